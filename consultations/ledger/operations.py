"""Ledger operations: the only code that writes ledger entries.

Generated entries follow their consultation (`sync_entry`, called from signals once the
change is committed, and for every consultation by `manage.py consultations_refresh_ledger`).
Manual entries record activities held offline; any entry's participant figure can be
corrected by staff, and the computed figure stays stored beside the correction.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from consultations.errors import ConsultationError
from consultations.ledger import checklist, figures
from consultations.ledger.models import LedgerEntry, Source


class LedgerError(ConsultationError):
    """A ledger rule refused the change; `message` is shown to the person."""

    code = "ledger_refused"


def held_dates(consultation):
    """(first day, last day or None) of the activity: input and the meeting or hearing;
    without either, the notice, else the day it was published."""
    meeting = timezone.localdate(consultation.meeting_at) if consultation.meeting_at else None
    days = [d for d in (consultation.input_opens, meeting) if d]
    if days:
        first = min(days)
    else:
        published = consultation.first_published_at or timezone.now()
        first = consultation.notice_date or timezone.localdate(published)
    last = max([d for d in (consultation.input_closes, meeting) if d], default=None)
    return first, (last if last and last > first else None)


def _offline_meeting_logged(consultation):
    return LedgerEntry.objects.filter(
        consultation=consultation, source=Source.MANUAL, held_on__lte=timezone.localdate()
    ).exists()


def _new_generated_entry(consultation, generated):
    """Insert the consultation's generated entry; when a concurrent sync inserted it first
    (the unique constraint waits for it, then refuses), lock and use that one."""
    first, _last = held_dates(consultation)
    try:
        with transaction.atomic():
            return LedgerEntry.objects.create(
                consultation=consultation,
                source=Source.GENERATED,
                held_on=first,
                topic=consultation.title[:255],
                category_id=consultation.category_id,
                format_id=consultation.format_id,
            )
    except IntegrityError:
        return generated.get()


@transaction.atomic
def sync_entry(consultation_id, today=None):
    """Create, update or remove the generated entry of one consultation; returns it or None.

    A live consultation has exactly one generated entry (a unique constraint); a draft,
    unpublished or deleted one has none. Corrections typed by staff are kept.
    """
    from consultations.consultation_pages.models import ConsultationPage

    consultation = (
        ConsultationPage.objects.filter(pk=consultation_id, live=True)
        .select_related("category", "format")
        .first()
    )
    generated = LedgerEntry.objects.select_for_update().filter(
        consultation_id=consultation_id, source=Source.GENERATED
    )
    if consultation is None:
        generated.delete()
        return None
    entry = generated.first() or _new_generated_entry(consultation, generated)
    # Counted after the entry's row is locked: a sync that waited sees every change
    # committed before it, so the last sync to commit writes the latest figures.
    counted = figures.consultation_figures(consultation)
    outcome = checklist.live_outcome(consultation)
    area = consultation.area
    entry.community = consultation.community
    entry.area = area
    entry.held_on, entry.held_until = held_dates(consultation)
    entry.topic = consultation.title[:255]
    entry.category_id = consultation.category_id
    entry.format_id = consultation.format_id
    entry.organiser = consultation.organiser
    entry.hearing_attended = counted.attended
    entry.ballots_online = counted.ballots_online
    entry.ballots_assisted = counted.ballots_assisted
    entry.ballots_paper = counted.ballots_paper
    entry.suggestions = counted.suggestions
    entry.suggestions_answered = counted.suggestions_answered
    entry.participants_computed = counted.participants
    entry.outcome = outcome
    entry.outcome_due = consultation.outcome_due
    entry.outcome_published_on = checklist.outcome_published_on(outcome)
    entry.steps = checklist.stored_steps(
        consultation,
        counted,
        offline_meeting=_offline_meeting_logged(consultation),
        today=today,
    )
    entry.save()
    entry.communities.set(consultation.scope_communities())
    entry.participant_groups.set(consultation.participant_groups.all())
    entry.save()
    return entry


def refresh_all(today=None):
    """Sync every consultation's entry (the hourly command); returns how many are live."""
    from consultations.consultation_pages.models import ConsultationPage

    ids = set(ConsultationPage.objects.values_list("pk", flat=True))
    ids |= set(
        LedgerEntry.objects.filter(source=Source.GENERATED).values_list(
            "consultation_id", flat=True
        )
    )
    return sum(1 for pk in ids if pk and sync_entry(pk, today=today) is not None)


def forget_consultation(consultation_id):
    """A consultation is being deleted: its generated entry goes with it (manual entries
    that mention it stay, unlinked)."""
    LedgerEntry.objects.filter(consultation_id=consultation_id, source=Source.GENERATED).delete()


def _check_counted_communities(entry):
    if entry.community_id is None and not entry.communities.exists():
        raise LedgerError(_("Choose the community, or the communities a township activity covers."))


@transaction.atomic
def save_manual_entry(form, user):
    """Create or edit an offline activity entered by hand (a modeladmin form)."""
    entry = form.save(commit=False)
    created = entry.pk is None
    if not created and entry.is_generated:
        raise LedgerError(_("An entry from the portal's records can only be corrected."))
    entry.source = Source.MANUAL
    if entry.community_id and not entry.area_id:
        entry.area = entry.community.get_parent().specific
    entry.save()
    form.save_m2m()
    if entry.community_id:
        entry.communities.add(entry.community)
        entry.save()  # a ParentalManyToManyField is written on save
    _check_counted_communities(entry)
    log(
        instance=entry,
        action="consultations.ledger.create" if created else "consultations.ledger.edit",
        user=user,
    )
    return entry


@transaction.atomic
def correct_entry(form, user):
    """Correct a generated entry's participant figure, minutes and photos."""
    entry = form.save(commit=False)
    if not entry.is_generated:
        raise LedgerError(_("Only an entry from the portal's records is corrected."))
    if entry.participants_recorded is not None and not entry.correction_note.strip():
        raise LedgerError(_("Say why the figure is corrected."))
    entry.save()
    form.save_m2m()
    log(instance=entry, action="consultations.ledger.correct", user=user)
    return entry


@transaction.atomic
def set_correction(entry, *, participants, note, user=None):
    """Correct a generated entry's participant figure outside a form (the demo, scripts)."""
    entry = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
    if not entry.is_generated:
        raise LedgerError(_("Only an entry from the portal's records is corrected."))
    if participants is not None and not note.strip():
        raise LedgerError(_("Say why the figure is corrected."))
    entry.participants_recorded = participants
    entry.correction_note = note
    entry.save(update_fields=["participants_recorded", "correction_note", "updated_at"])
    log(instance=entry, action="consultations.ledger.correct", user=user)
    return entry


@transaction.atomic
def delete_manual_entry(entry, user):
    if entry.is_generated:
        raise LedgerError(_("An entry from the portal's records follows its consultation."))
    log(instance=entry, action="consultations.ledger.delete", user=user)
    entry.delete()
