"""Outcome events that follow Wagtail's: a published announcement, a legal review asked for.

Connected in `ConsultationsConfig.ready()`.
"""

from django.contrib.auth import get_user_model
from django.dispatch import receiver
from wagtail.models import TaskState
from wagtail.signals import page_published, task_submitted

from home.mail import send_templated_mail

from .models import LegalReviewTask, OutcomePage
from .operations import record_outcome_published


@receiver(page_published, sender=OutcomePage)
def _outcome_published(sender, instance, **kwargs):
    record_outcome_published(instance)


@receiver(task_submitted, sender=TaskState)
def _legal_review_requested(sender, instance, user=None, **kwargs):
    """Tell the legal reviewers that an outcome waits for them (Wagtail only mails group tasks)."""
    task = instance.task.specific
    if not isinstance(task, LegalReviewTask):
        return
    recipients = list(
        get_user_model()
        .objects.filter(groups=task.reviewers_id, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    page = instance.workflow_state.content_object
    send_templated_mail(
        "consultations/outcomes/mail/legal_review_requested",
        {"page": page, "task": task, "submitted_by": user},
        recipients,
    )
