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

import json
import logging
import uuid
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import PageLogEntry

from consultations.consultation_pages.models import ConsultationPage
from consultations.hearings.models import HearingPage, HearingSession
from consultations.permissions import can_publish_with_consultation
from consultations.polls.models import Eligibility, PollPage
from consultations.suggestions.models import SuggestionFormPage

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


# --- starting from a template ----------------------------------------------------------------
# "New consultation" offers the common shapes of the procedure (三(四)); one step creates
# the consultation and the chosen attached pages as drafts, with what they share taken
# from the consultation, so the editor writes only the content. Then the whole goes
# through one review (above).

SUGGESTIONS, HEARING, POLL = "suggestions", "hearing", "poll"

TEMPLATES = {
    "notice_suggestions": {
        "label": _("Notice and suggestions"),
        "description": _(
            "The advance notice and an online suggestion form open while input is open. "
            "For most matters."
        ),
        "pages": (SUGGESTIONS,),
    },
    "suggestions_hearing": {
        "label": _("Suggestions and a public hearing"),
        "description": _(
            "Suggestions online, then a public hearing with registration and seats. For "
            "matters of wide impact."
        ),
        "pages": (SUGGESTIONS, HEARING),
    },
    "suggestions_poll": {
        "label": _("Suggestions and an advisory poll"),
        "description": _(
            "Suggestions online and an advisory poll of the residents concerned, with a "
            "secret ballot."
        ),
        "pages": (SUGGESTIONS, POLL),
    },
    "full": {
        "label": _("Full procedure"),
        "description": _(
            "Suggestions, a public hearing and an advisory poll. The outcome announcement "
            "is added when the consultation has ended."
        ),
        "pages": (SUGGESTIONS, HEARING, POLL),
    },
}

HEARING_SEATS = 50


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _suggestion_page(consultation):
    # Its input window follows the consultation's dates unless it sets its own, and a
    # community's form is for that community's residents.
    return SuggestionFormPage(
        title=_("Suggestions: %(title)s") % {"title": consultation.title},
        intro=f"<p>{escape(consultation.summary)}</p>",
        restrict_to_community=consultation.community,
    )


def _hearing_page(consultation):
    page = HearingPage(
        title=_("Public hearing: %(title)s") % {"title": consultation.title},
        description=f"<p>{escape(consultation.summary)}</p>",
    )
    if consultation.meeting_at:
        starts = consultation.meeting_at
        place = consultation.meeting_place or str(_("To be announced"))
        page.sessions = [
            HearingSession(
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                place=place[:120],
                address=place[:200],
                seats=HEARING_SEATS,
                registration_deadline=starts - timedelta(days=1),
            )
        ]
    return page


def _poll_page(consultation):
    # Voting follows the input window; who may vote: the residents of the communities
    # the consultation covers (Eligibility.COMMUNITY), secret ballot, results after close.
    opens = consultation.input_opens or timezone.localdate()
    closes = consultation.input_closes or opens + timedelta(days=7)
    question = {
        "type": "question",
        "id": str(uuid.uuid4()),
        "value": {
            "text": str(_("Do you agree with the proposal?")),
            "help_text": "",
            "kind": "single",
            "min_choices": 1,
            "max_choices": None,
            "options": [
                {"type": "item", "id": str(uuid.uuid4()), "value": {"label": str(label)}}
                for label in (_("Agree"), _("Disagree"), _("Abstain"))
            ],
        },
    }
    return PollPage(
        title=_("Advisory poll: %(title)s") % {"title": consultation.title},
        introduction=f"<p>{escape(consultation.summary)}</p>",
        questions=json.dumps([question]),
        opens_at=_at(opens, 8),
        closes_at=_at(closes, 20),
        eligibility=Eligibility.COMMUNITY,
    )


PAGE_BUILDERS = {SUGGESTIONS: _suggestion_page, HEARING: _hearing_page, POLL: _poll_page}
# Short addresses below the consultation's own (its slug already names the topic).
PAGE_SLUGS = {SUGGESTIONS: "suggestions", HEARING: "hearing", POLL: "poll"}


def _add_draft(parent, page, user):
    page.owner = user
    page.live = False
    parent.add_child(instance=page)
    # Wagtail's own create path: the first revision, logged as `wagtail.create`.
    page.save_revision(user=user, log_action=True)
    return page


def start_from_template(parent, user, template, consultation, covered_communities=()):
    """Create `consultation` (an unsaved ConsultationPage) below `parent` and the attached
    pages of `template` as drafts, in one transaction. Returns the saved consultation.

    Titles of the attached pages name the consultation; the hearing's session takes the
    meeting's date and place, the poll the input window; the covered communities and
    who may take part follow from the consultation itself. The texts are written in the
    site's language (the content's), whatever the editor's admin language.
    """
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        if covered_communities:
            consultation.covered_communities = list(covered_communities)
        _add_draft(parent, consultation, user)
        for kind in TEMPLATES[template]["pages"]:
            page = PAGE_BUILDERS[kind](consultation)
            page.title = str(page.title)[:255]
            page.slug = PAGE_SLUGS[kind]
            _add_draft(consultation, page, user)
    return consultation
