"""Writes of the consultation-page capability: one consultation, one review.

A consultation that has never been live is reviewed together with its draft attached
pages (suggestion form, hearing, poll; never the outcome, which has its own legal
review). Only the consultation's own Wagtail workflow runs:

* when a task of it starts (submission, resubmission after changes were asked for, the
  next step), `take_into_review` records each draft attached page as part of the review
  with a `consultations.consultation_pages.bundle_submit` entry in that page's history
  (naming the consultation's workflow state) and cancels a review the page had been
  submitted to on its own, so that there is one review;
* while the workflow is in progress those pages are locked to everyone but the reviewers
  of its current task (`ReviewBundleLock`), who can open, edit and comment on them;
* when the workflow is approved, `publish_bundle` publishes the latest revision of each
  recorded page in the same transaction as the consultation, logged as
  `consultations.consultation_pages.bundle_publish`;
* a rejection asks for changes to the consultation, and its pages unlock with it.

So the review appears once, as the consultation's `wagtail.workflow.*` entries; the
attached pages' histories say that they were reviewed and published with it.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.log_actions import log
from wagtail.models import PageLogEntry

from consultations.consultation_pages.models import ConsultationPage
from consultations.permissions import can_publish_with_consultation

logger = logging.getLogger(__name__)

BUNDLE_SUBMIT = "consultations.consultation_pages.bundle_submit"
BUNDLE_PUBLISH = "consultations.consultation_pages.bundle_publish"


def _consultation_of(workflow_state):
    page = workflow_state.content_object
    page = getattr(page, "specific", page)
    return page if isinstance(page, ConsultationPage) else None


def _recorded(page, workflow_state):
    return PageLogEntry.objects.filter(
        page=page, action=BUNDLE_SUBMIT, data__workflow_state_id=workflow_state.pk
    ).exists()


def take_into_review(workflow_state, user=None):
    """Take the consultation's draft attached pages into its review (idempotent)."""
    consultation = _consultation_of(workflow_state)
    if consultation is None:
        return []
    taken = []
    with transaction.atomic():
        for page in consultation.bundled_pages():
            own = page.current_workflow_state
            if own is not None:
                own.cancel(user=user)
            if not _recorded(page, workflow_state):
                log(
                    instance=page,
                    action=BUNDLE_SUBMIT,
                    user=user,
                    data={
                        "workflow_state_id": workflow_state.pk,
                        "consultation": {"id": consultation.pk, "title": consultation.title},
                    },
                    revision=page.get_latest_revision(),
                )
            taken.append(page)
    return taken


def bundle_of(workflow_state):
    """The draft attached pages recorded in a consultation's review."""
    consultation = _consultation_of(workflow_state)
    if consultation is None:
        return []
    page_ids = PageLogEntry.objects.filter(
        action=BUNDLE_SUBMIT, data__workflow_state_id=workflow_state.pk
    ).values("page_id")
    return list(
        consultation.get_children().not_live().filter(pk__in=page_ids).specific().order_by("path")
    )


def publish_bundle(workflow_state, user=None):
    """Publish the pages reviewed with an approved consultation; returns those published.

    Runs inside `Workflow.finish` (one transaction with the consultation's publication).
    A page the approver may not publish, or whose draft no longer validates, stays a
    draft and goes through its own review; the refusal is logged, the approval stands.
    """
    published = []
    for page in bundle_of(workflow_state):
        revision = page.get_latest_revision()
        if revision is None or not can_publish_with_consultation(user, page):
            logger.warning("Page %s stays a draft: not publishable by the approver", page.pk)
            continue
        try:
            with transaction.atomic():
                revision.publish(user=user, log_action=BUNDLE_PUBLISH)
        except ValidationError as error:
            logger.warning("Page %s stays a draft: %s", page.pk, error)
            continue
        published.append(page)
    return published
