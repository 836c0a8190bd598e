"""Suggestion events that follow Django's: a deleted suggestion.

Connected in `ConsultationsConfig.ready()`.
"""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Suggestion
from .operations import record_deletion


@receiver(post_delete, sender=Suggestion)
def _suggestion_deleted(sender, instance, **kwargs):
    """However a suggestion is deleted (Wagtail's form submissions view included), the
    deletion is audit-logged with who did it and the attachment leaves the disk."""
    record_deletion(instance)
