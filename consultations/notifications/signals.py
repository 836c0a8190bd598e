"""Publishing turns into events: a consultation notice, a poll opened, an outcome's news.

Connected in `ConsultationsConfig.ready()`. Each event has a key, so publishing a page a
second time tells nobody twice.
"""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from consultations.models import ConsultationPage, OutcomeEvent, PollPage
from consultations.notifications.models import Event
from consultations.notifications.operations import notify


def _on_commit(function):
    transaction.on_commit(function)


@receiver(page_published, sender=ConsultationPage)
def _consultation_published(sender, instance, **kwargs):
    _on_commit(lambda: notify(Event.NOTICE, instance, f"notice:{instance.pk}"))


@receiver(page_published, sender=PollPage)
def _poll_published(sender, instance, **kwargs):
    _on_commit(lambda: notify(Event.POLL, instance, f"poll:{instance.pk}"))


@receiver(post_save, sender=OutcomeEvent)
def _outcome_event(sender, instance, created, **kwargs):
    """Outcome news is mailed by the outcomes' feedback digest; here it reaches the inbox
    (and texts) of the same people: the participants and the followers."""
    if not created:
        return

    def tell():
        from consultations.outcomes.operations import participant_user_ids

        outcome = instance.outcome
        notify(
            Event.OUTCOME,
            outcome,
            f"outcome:{instance.pk}",
            user_ids=participant_user_ids(outcome.consultation),
            mail=False,
        )

    _on_commit(tell)
