"""Moving to another community ends the roster link: the resident verifies again there."""

from django.contrib.auth import get_user_model
from django.db.models.signals import pre_save
from django.dispatch import receiver

from consultations.roster.operations import end_link_on_move


@receiver(pre_save, sender=get_user_model(), dispatch_uid="roster_end_link_on_move")
def end_roster_link_on_move(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None:
        return
    if update_fields is not None and "community" not in update_fields:
        return
    end_link_on_move(instance)
