"""Fixtures and builders for the outcome tests (imported by tests/consultations/test_outcomes*.py)."""

import pytest
from django.conf import settings
from django.utils import translation

from consultations.models import DecisionItem, OutcomePage
from consultations.outcomes.models import DecisionStatus
from consultations.outcomes.operations import ensure_legal_reviewers_group
from tests.conftest import make_user


def make_outcome(consultation, *, live=True, items=None, title="协商成果公告", slug="outcome"):
    """An OutcomePage under `consultation` with decision items (dicts of field values)."""
    page = OutcomePage(
        title=title,
        slug=slug,
        opinion="<p>同意对村主干道进行硬化。</p>",
        how_held="村民代表会议",
        live=live,
    )
    for index, fields in enumerate(items or [{"decision": "硬化主干道 1.2 公里"}]):
        page.decision_items.add(DecisionItem(sort_order=index, **fields))
    consultation.add_child(instance=page)
    page.save_revision()
    if live:
        publish_through_workflow(page)
    page.refresh_from_db()
    return page


def publish_through_workflow(page, user=None):
    """Run the outcome's workflow to its end: every step approves, the legal review last.

    (What the reviewers click in the admin, without the screens: test_workflow.py drives
    the screens.) Returns the finished workflow state.
    """
    page = OutcomePage.objects.get(pk=page.pk)
    state = page.get_workflow().start(page, user)
    while state.status == state.STATUS_IN_PROGRESS:
        task_state = state.current_task_state
        task_state.task.specific.on_action(task_state, user, "approve")
        state.refresh_from_db()
    return state


@pytest.fixture
def legal_reviewer(tree):
    return make_user("legal@example.com", staff=True, groups=[ensure_legal_reviewers_group()])


@pytest.fixture
def not_adopted():
    return {
        "decision": "增设路灯",
        "status": DecisionStatus.NOT_ADOPTED,
        "reason": "本年度预算不足",
    }


def page_url(page):
    """The Chinese (unprefixed) URL of a page, whatever language a test left active."""
    with translation.override(settings.LANGUAGE_CODE):
        return page.url


def en_reverse(name, *args):
    """The English address of a named URL, whatever language a test left active."""
    from django.urls import reverse

    with translation.override(settings.LANGUAGE_CODE):
        return "/en" + reverse(name, args=args)
