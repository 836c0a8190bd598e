"""The public consultation record of a community (三(五) disclosure, 三(六) ledger).

The year's activities of a community with their outcomes and checklist summary, as the
community page's `record/` route, its RSS feed and JSON. Only what the public may see:
live consultations without a view restriction; manual entries (offline activities) are
listed with their own summary.
"""

from django.utils import timezone

from consultations.ledger.checklist import entry_checklist
from consultations.ledger.figures import held_entries, participants_total
from consultations.ledger.models import LedgerEntry
from consultations.permissions import public_record_pages


def public_entries(community, year, today=None):
    """The community's ledger entries of `year` that the public may read."""
    from consultations.consultation_pages.models import ConsultationPage

    today = today or timezone.localdate()
    visible = public_record_pages(ConsultationPage.objects.all())
    entries = (
        held_entries(year, today, [community])
        .select_related("category", "format", "outcome", "consultation", "community", "area")
        .order_by("held_on", "pk")
    )
    restricted_links = LedgerEntry.objects.filter(consultation__isnull=False).exclude(
        consultation__in=visible
    )
    entries = entries.exclude(pk__in=restricted_links.values("pk"))
    rows = list(entries)
    for entry in rows:
        entry.checklist_items = entry_checklist(entry, today)
        entry.steps_done = sum(1 for item in entry.checklist_items if item["state"] is True)
    return rows


def record_summary(entries):
    return {"activities": len(entries), "participants": participants_total(entries)}


def record_years(community, today=None):
    today = today or timezone.localdate()
    years = {
        d.year
        for d in LedgerEntry.objects.filter(communities=community, held_on__lte=today).dates(
            "held_on", "year"
        )
    }
    years.add(today.year)
    return sorted(years, reverse=True)


def entry_as_json(entry, request=None):
    return {
        "held_on": entry.held_on.isoformat(),
        "held_until": entry.held_until.isoformat() if entry.held_until else None,
        "topic": entry.topic,
        "category": entry.category.label,
        "format": entry.format.label,
        "organiser": entry.organiser,
        "participants": entry.participants,
        "source": entry.source,
        "url": entry.consultation.get_full_url(request) if entry.consultation else None,
        "outcome_url": entry.outcome.get_full_url(request) if entry.outcome else None,
        "outcome": entry.outcome_summary,
        "checklist": {item["key"]: item["state"] for item in entry.checklist_items},
    }
