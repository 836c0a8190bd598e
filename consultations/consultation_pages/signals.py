"""Keep each consultation's stored stage equal to derive_stage() as pages change.

Connected in `ConsultationsConfig.ready()`, so that they also run in `load_demo`,
management commands and tests, not only in the admin.

Automatic stage refreshes: a consultation's own save/publish/unpublish (its `save()`),
publish/unpublish/delete/move of any page directly below it. A capability whose child
changes stage for another reason (a poll closing, results published without a page
publish) calls `consultation.refresh_stage()` itself; the hourly command
`consultations_refresh_stages` catches changes that come from the date alone.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    task_submitted,
    workflow_approved,
)

from consultations.consultation_pages.models import Category, Format
from consultations.consultation_pages.operations import publish_bundle, take_into_review


def refresh_consultation_at(path):
    """Refresh the stage of the consultation at `path`, if there is one."""
    from consultations.models import ConsultationPage

    consultation = ConsultationPage.objects.filter(path=path).first()
    if consultation is not None:
        consultation.refresh_stage()


def refresh_for_page(page):
    """Refresh the consultation that `page` is, or is directly attached to."""
    refresh_consultation_at(page.path)
    if page.depth > 1:
        refresh_consultation_at(page.path[: -Page.steplen])


@receiver(page_published)
@receiver(page_unpublished)
def _page_state_changed(sender, instance, **kwargs):
    refresh_for_page(instance)


@receiver(post_delete, sender=Page)
def _page_deleted(sender, instance, **kwargs):
    if instance.depth > 1:
        parent_path = instance.path[: -Page.steplen]
        transaction.on_commit(lambda: refresh_consultation_at(parent_path))


@receiver(post_save, sender=Category)
@receiver(post_save, sender=Format)
@receiver(post_delete, sender=Category)
@receiver(post_delete, sender=Format)
def _catalogue_changed(sender, instance, **kwargs):
    from django.core.cache import cache

    from consultations.consultation_pages.models import CATALOGUE_CACHE_KEY

    cache.delete(CATALOGUE_CACHE_KEY)


@receiver(post_page_move)
def _page_moved(sender, instance, parent_page_before, parent_page_after, **kwargs):
    refresh_consultation_at(parent_page_before.path)
    refresh_consultation_at(parent_page_after.path)


# --- one consultation, one review (operations.py) ------------------------------------------


@receiver(task_submitted)
def _take_attached_pages_into_review(sender, instance, user=None, **kwargs):
    take_into_review(instance.workflow_state, user=user)


@receiver(workflow_approved)
def _publish_attached_pages_with_consultation(sender, instance, user=None, **kwargs):
    publish_bundle(instance, user=user)
