"""Suggestion events that follow Django's: a deleted suggestion; a board that changed.

Connected in `ConsultationsConfig.ready()`.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Suggestion
from .operations import forget_board, record_deletion


@receiver(post_save, sender=Suggestion)
def _suggestion_saved(sender, instance, **kwargs):
    """Submitted, published, rejected, merged or answered: its board shows it afresh."""
    forget_board(instance.page_id)


@receiver(post_delete, sender=Suggestion)
def _suggestion_deleted(sender, instance, **kwargs):
    """However a suggestion is deleted (Wagtail's form submissions view included), the
    deletion is audit-logged with who did it and the attachment leaves the disk."""
    record_deletion(instance)
    forget_board(instance.page_id)
