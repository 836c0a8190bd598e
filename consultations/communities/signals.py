"""Community and area pages keep their staff groups and workflows in step, however made.

Connected in `ConsultationsConfig.ready()`. Beside the admin's `after_create_page` hook
this covers pages made in code (load_demo, tests, imports); a publish that changes the
title renames what the page owns, and a move regroups it (communities/operations.py).
"""

from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.signals import post_page_move


def _saved(instance, created, raw, update_fields):
    if raw:
        return
    from .operations import ensure_setup, rename_owned

    if created:
        ensure_setup(instance)
    elif update_fields is None or "title" in update_fields or "kind" in update_fields:
        # A full save (publish) may carry a new title: rename, create nothing.
        rename_owned(instance)


@receiver(post_save, sender="consultations.CommunityPage")
def _community_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    _saved(instance, created, raw, update_fields)


@receiver(post_save, sender="consultations.CommunityIndexPage")
def _area_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    _saved(instance, created, raw, update_fields)


@receiver(post_page_move)
def _page_moved(sender, instance, parent_page_before=None, parent_page_after=None, **kwargs):
    from .models import CommunityIndexPage, CommunityPage

    if not issubclass(sender, (CommunityPage, CommunityIndexPage)):
        return
    if parent_page_before is not None and parent_page_after is not None:
        if parent_page_before.pk == parent_page_after.pk:
            return  # reordered among its siblings
    from .operations import setup_after_move

    setup_after_move(instance, old_parent=parent_page_before)
