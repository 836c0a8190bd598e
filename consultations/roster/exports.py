"""The roster as a spreadsheet (consultations/exports.py), in the columns an import reads
back: headings and words in the staff member's language, both of which the import knows."""

from django.utils.translation import pgettext_lazy

from accounts.models import ResidenceStatus
from consultations.exports import Sheet
from consultations.roster.models import PersonStatus
from consultations.roster.operations import COLUMNS

# Short words the import accepts (operations.REGISTERED, STATUS_WORDS…) in either language.
RESIDENCE_WORDS = {
    ResidenceStatus.REGISTERED: pgettext_lazy("roster export", "Registered"),
    ResidenceStatus.NON_REGISTERED: pgettext_lazy("roster export", "Non-registered"),
}
STATUS_WORDS = {
    PersonStatus.LIVING: pgettext_lazy("roster export", "Living here"),
    PersonStatus.MOVED: pgettext_lazy("roster export", "Moved away"),
    PersonStatus.DECEASED: pgettext_lazy("roster export", "Deceased"),
}


def roster_sheet(people):
    columns = [(name, label) for name, label, _aliases in COLUMNS]
    rows = (
        {
            "full_name": person.full_name,
            "local_id": person.local_id,
            "phone": person.phone,
            "residence_status": RESIDENCE_WORDS[person.residence_status],
            "group": person.group,
            "household": person.household,
            "is_household_representative": person.is_household_representative,
            "date_of_birth": person.date_of_birth,
            "status": STATUS_WORDS[person.status],
            "status_since": person.status_since,
        }
        for person in people
    )
    return Sheet(pgettext_lazy("spreadsheet", "Roster"), columns, rows)
