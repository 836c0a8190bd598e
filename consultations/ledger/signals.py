"""Keep generated ledger entries current with their consultations (台账, 三(六)).

A consultation published, unpublished, moved or deleted, a page attached to it
published or removed, and every record that feeds its figures (a suggestion, a hearing
registration or check-in, a vote in the register, a paper tally, a decision item)
schedule one `operations.sync_entry` of that consultation once the transaction commits,
so a resident's vote or suggestion never waits for, nor fails with, the ledger. Several
changes in one transaction sync once. Residents' records sync from the task queue, a few
seconds later and once per burst (`schedule_soon`), so a vote's request does not wait for
the ledger's figures either. `manage.py consultations_refresh_ledger` heals
anything missed (changes made by queryset updates, dates passing).
"""

import threading
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import default_task_backend, task
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from consultations.hearings.models import Registration
from consultations.ledger import operations
from consultations.outcomes.models import DecisionItem
from consultations.polls.models import PaperTally, VoterRegister
from consultations.suggestions.models import Suggestion

_scheduled = threading.local()


def _consultation_ids(key):
    """The consultation a scheduled key points at: the page itself, or its parent."""
    from consultations.consultation_pages.models import ConsultationPage

    kind, value = key
    if kind == "page":
        path = Page.objects.filter(pk=value).values_list("path", flat=True).first()
        if path is None:
            return []
    else:
        path = value
    paths = [path]
    if len(path) > Page.steplen:
        paths.append(path[: -Page.steplen])
    return list(ConsultationPage.objects.filter(path__in=paths).values_list("pk", flat=True))


def schedule(kind, value):
    """Sync the consultation at ("page", id), or ("path", path)."""
    keys = getattr(_scheduled, "keys", None)
    if keys is None:
        keys = _scheduled.keys = set()
    key = (kind, value)
    keys.add(key)

    def run():
        if key not in keys:
            return  # already synced by an earlier callback of this transaction
        keys.discard(key)
        for consultation_id in _consultation_ids(key):
            operations.sync_entry(consultation_id)

    transaction.on_commit(run, robust=True)


# Residents' records (a vote, a suggestion, a registration) come in bursts on a notice
# day or a poll's last evening: their sync goes to the task queue, at most one waiting per
# consultation, run a few seconds after the first of them (so after every record of the
# burst that it covers), and never in the resident's request. Backends that cannot defer
# (the immediate one of the tests and `make run`) run it at once, as before.
SYNC_DELAY_SECONDS = 10


@task()
def sync_entry_soon(kind, value):
    cache.delete(_waiting_key(kind, value))
    for consultation_id in _consultation_ids((kind, value)):
        operations.sync_entry(consultation_id)


def _waiting_key(kind, value):
    return f"ledger:sync-waiting:{kind}:{value}"


def schedule_soon(kind, value):
    """Sync the consultation at ("page", id) from the task queue once this commits."""
    waiting = getattr(_scheduled, "soon", None)
    if waiting is None:
        waiting = _scheduled.soon = set()
    waiting.add((kind, value))

    def enqueue():
        if (kind, value) not in waiting:
            return  # queued by an earlier callback of this transaction
        waiting.discard((kind, value))
        if not default_task_backend.supports_defer:
            sync_entry_soon.enqueue(kind, value)
            return
        if cache.add(_waiting_key(kind, value), 1, SYNC_DELAY_SECONDS * 6):
            run_after = timezone.now() + timedelta(seconds=SYNC_DELAY_SECONDS)
            sync_entry_soon.using(run_after=run_after).enqueue(kind, value)

    transaction.on_commit(enqueue, robust=True)


@receiver(page_published)
@receiver(page_unpublished)
def _page_state_changed(sender, instance, **kwargs):
    schedule("path", instance.path)


@receiver(post_page_move)
def _page_moved(sender, instance, parent_page_before, parent_page_after, **kwargs):
    schedule("page", instance.pk)
    schedule("path", parent_page_before.path)


@receiver(pre_delete, sender=Page)
def _page_deleted(sender, instance, **kwargs):
    from consultations.consultation_pages.models import ConsultationPage

    if instance.specific_class is ConsultationPage:
        operations.forget_consultation(instance.pk)
    elif instance.depth > 1:
        schedule("path", instance.path[: -Page.steplen])


@receiver(post_save, sender=Suggestion)
@receiver(post_delete, sender=Suggestion)
@receiver(post_save, sender=VoterRegister)
@receiver(post_delete, sender=VoterRegister)
@receiver(post_save, sender=PaperTally)
@receiver(post_delete, sender=PaperTally)
def _record_changed(sender, instance, **kwargs):
    page_id = getattr(instance, "page_id", None) or getattr(instance, "poll_id", None)
    if page_id:
        schedule_soon("page", page_id)


@receiver(post_save, sender=DecisionItem)
def _decision_changed(sender, instance, **kwargs):
    if instance.page_id:
        schedule("page", instance.page_id)


@receiver(post_save, sender=Registration)
@receiver(post_delete, sender=Registration)
def _registration_changed(sender, instance, **kwargs):
    page_id = instance.hearing_page_id()
    if page_id:
        schedule_soon("page", page_id)
