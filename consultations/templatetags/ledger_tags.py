"""Template tags of the ledger: the "how this consultation was held" block."""

from django import template
from django.utils import timezone

from consultations.ledger.checklist import entry_checklist
from consultations.ledger.figures import entry_figures, figure_rows
from consultations.ledger.models import LedgerEntry, Source

register = template.Library()


@register.inclusion_tag("consultations/ledger/how_held.html")
def how_consultation_was_held(page):
    """The checklist and figures of the consultation's ledger entry (one query), the same
    figures the ledger, report and exports show."""
    entry = LedgerEntry.objects.filter(consultation_id=page.pk, source=Source.GENERATED).first()
    if entry is None:
        return {"entry": None}
    return {
        "entry": entry,
        "checklist": entry_checklist(entry, timezone.localdate()),
        "rows": figure_rows(entry_figures(entry), participants=entry.participants),
    }
