"""The one source of the portal's figures: participants, activities, answered suggestions.

Every screen that shows how many took part in a consultation, how many activities a
community held or how many suggestions were answered reads it from here: the outcome
page's "how the consultation was held", the consultation page's block, the ledger (whose
entries store these figures, kept current by `operations.sync_entry`), the compliance
report, its exports, the dashboard panel and the public record.

Participants of a consultation = attended the hearing + ballots cast (online, assisted at
the office, on paper) + suggestions received (rejected ones are not counted). Only *that*
someone took part is read, never what they said or chose (the secret ballot stays secret).
"""

from dataclasses import asdict, dataclass

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from consultations.hearings import operations as hearings


@dataclass(frozen=True)
class ConsultationFigures:
    sessions: int = 0
    confirmed: int = 0
    attended: int = 0
    speakers: int = 0
    ballots_online: int = 0
    ballots_assisted: int = 0
    ballots_paper: int = 0
    suggestions: int = 0
    suggestions_published: int = 0
    suggestions_answered: int = 0

    @property
    def ballots(self):
        return self.ballots_online + self.ballots_assisted + self.ballots_paper

    @property
    def participants(self):
        return self.attended + self.ballots + self.suggestions

    @property
    def suggestions_unanswered(self):
        return self.suggestions_published - self.suggestions_answered

    def as_dict(self):
        data = asdict(self)
        data.update(
            ballots=self.ballots,
            participants=self.participants,
            suggestions_unanswered=self.suggestions_unanswered,
        )
        return data


def consultation_figures(consultation):
    """The figures of one consultation, from its hearings, polls and suggestion forms."""
    from consultations.polls.models import PaperTally, VoterRegister
    from consultations.suggestions.models import Suggestion

    if consultation is None or not consultation.pk:
        return ConsultationFigures()
    totals = hearings.attendance_totals(consultation)
    polls_below = {"poll__path__startswith": consultation.path, "poll__depth": consultation.depth + 1}
    register = VoterRegister.objects.filter(**polls_below).aggregate(
        online=Count("pk", filter=Q(assisted=False)), assisted=Count("pk", filter=Q(assisted=True))
    )
    paper = PaperTally.objects.filter(**polls_below).aggregate(n=Sum("voters"))["n"] or 0
    suggestions = Suggestion.objects.filter(page__path__startswith=consultation.path).aggregate(
        received=Count("pk", filter=~Q(status=Suggestion.Status.REJECTED)),
        published=Count("pk", filter=Q(status=Suggestion.Status.PUBLISHED)),
        answered=Count(
            "pk", filter=Q(status=Suggestion.Status.PUBLISHED) & ~Q(answer_status="")
        ),
    )
    return ConsultationFigures(
        sessions=totals["sessions"],
        confirmed=totals["confirmed"],
        attended=totals["attended"],
        speakers=totals["speakers"],
        ballots_online=register["online"],
        ballots_assisted=register["assisted"],
        ballots_paper=paper,
        suggestions=suggestions["received"],
        suggestions_published=suggestions["published"],
        suggestions_answered=suggestions["answered"],
    )


# The labelled figures for "how the consultation was held", in the order shown; a figure
# of zero is left out (a consultation without a hearing shows no hearing line).
FIGURE_LABELS = (
    ("sessions", _("Hearing sessions")),
    ("confirmed", _("Confirmed seats at the hearing")),
    ("attended", _("Attended the hearing")),
    ("speakers", _("Speakers at the hearing")),
    ("suggestions", _("Suggestions received")),
    ("suggestions_answered", _("Suggestions answered")),
    ("ballots_online", _("Ballots cast online")),
    ("ballots_assisted", _("Ballots cast with help at the community office")),
    ("ballots_paper", _("Paper ballots")),
    ("ballots", _("Residents who voted in the poll")),
    ("participants", _("Participants in all")),
)


def figure_rows(figures):
    """[{"key", "label", "value"}] of the non-zero figures, for templates."""
    values = figures.as_dict()
    return [
        {"key": key, "label": label, "value": values[key]}
        for key, label in FIGURE_LABELS
        if values.get(key)
    ]


# --- activities per community ---------------------------------------------------------


def months_left(year, today):
    """Whole months left in `year` after the current one (12 for a future year)."""
    if year < today.year:
        return 0
    if year > today.year:
        return 12
    return 12 - today.month


def held_entries(year, today, communities=None):
    """The ledger entries of `year` held by `today` (planned ones are not yet activities)."""
    from consultations.ledger.models import LedgerEntry

    entries = LedgerEntry.objects.filter(held_on__year=year, held_on__lte=today)
    if communities is not None:
        entries = entries.filter(communities__in=communities).distinct()
    return entries


def community_activity_counts(year, today, communities):
    """{community id: number of activities held in `year`}: one query for any number.

    A township-level activity counts once for each community it covers (三(二)).
    """
    from consultations.ledger.models import LedgerEntry

    through = LedgerEntry.communities.through
    rows = (
        through.objects.filter(
            communitypage__in=communities,
            ledgerentry__held_on__year=year,
            ledgerentry__held_on__lte=today,
        )
        .values("communitypage_id")
        .annotate(n=Count("ledgerentry_id", distinct=True))
    )
    return {row["communitypage_id"]: row["n"] for row in rows}


def participants_total(entries):
    """The participants of a list of entries, counting each entry's recorded figure."""
    return sum(entry.participants for entry in entries)
