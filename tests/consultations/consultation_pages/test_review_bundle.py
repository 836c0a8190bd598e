"""One consultation, one review: a new consultation is submitted, reviewed, rejected and
approved together with its draft attached pages (never the outcome), through the admin."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import PageLogEntry, WorkflowState

from consultations.models import (
    ConsultationPage,
    HearingPage,
    OutcomePage,
    PollPage,
    SuggestionFormPage,
)
from consultations.permissions import can_publish_with_consultation
from tests.consultations.consultation_pages.test_admin import edit_url, form, login
from tests.consultations.hearings.factories import session_fields
from tests.consultations.polls.factories import DEFAULT_QUESTIONS

pytestmark = pytest.mark.django_db

BUNDLE_SUBMIT = "consultations.consultation_pages.bundle_submit"
BUNDLE_PUBLISH = "consultations.consultation_pages.bundle_publish"


def draft(parent, page):
    parent.add_child(instance=page)
    page.save_revision()
    return page


def draft_consultation(tree):
    """A consultation that has never been live, with a draft of each attached page."""
    import json

    from consultations.hearings.models import HearingSession
    from tests.conftest import make_consultation

    live = make_consultation(tree.a, slug="draft-topic", title="文化广场修建")
    ConsultationPage.objects.filter(pk=live.pk).update(live=False, first_published_at=None)
    consultation = ConsultationPage.objects.get(pk=live.pk)
    children = {
        "suggestions": draft(
            consultation, SuggestionFormPage(title="意见征集", slug="s", live=False)
        ),
        "hearing": draft(
            consultation,
            HearingPage(
                title="听证会",
                slug="h",
                live=False,
                description="<p>听取村民对广场方案的意见。</p>",
                sessions=[HearingSession(**session_fields(days=20))],
            ),
        ),
        "poll": draft(
            consultation,
            PollPage(
                title="民意征询",
                slug="p",
                live=False,
                questions=json.dumps(DEFAULT_QUESTIONS),
                opens_at=timezone.now() + timedelta(days=2),
                closes_at=timezone.now() + timedelta(days=12),
            ),
        ),
        "outcome": draft(
            consultation,
            OutcomePage(title="协商成果公告", slug="o", opinion="<p>草稿</p>", live=False),
        ),
    }
    return consultation, children


def submit(client, user, consultation):
    login(client, user)
    response = client.post(edit_url(consultation), form(consultation, **{"action-submit": "1"}))
    assert response.status_code == 302, response.context["form"].errors
    client.logout()
    return WorkflowState.objects.active().get(object_id=str(consultation.pk))


def act(client, user, consultation, action, **data):
    state = WorkflowState.objects.active().get(object_id=str(consultation.pk))
    login(client, user)
    url = (
        f"/en/admin/pages/workflow/action/{consultation.pk}/{action}/{state.current_task_state_id}/"
    )
    response = client.post(url, data)
    client.logout()
    return response


def fresh(page):
    return type(page).objects.get(pk=page.pk)


def test_submit_reject_resubmit_approve_puts_everything_live_together(
    client, tree, editor_a, reviewer_a
):
    consultation, children = draft_consultation(tree)
    bundled = [children["suggestions"], children["hearing"], children["poll"]]

    state = submit(client, editor_a, consultation)
    # One review: only the consultation's workflow runs; its draft pages are recorded in it.
    assert WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS).count() == 1
    for page in bundled:
        entry = PageLogEntry.objects.get(page=page, action=BUNDLE_SUBMIT)
        assert entry.data["workflow_state_id"] == state.pk
        # Locked to the editor while in review, open to the reviewer (who may comment).
        lock = fresh(page).get_lock()
        assert lock.for_user(editor_a) and not lock.for_user(reviewer_a)
    assert not PageLogEntry.objects.filter(page=children["outcome"], action=BUNDLE_SUBMIT)
    assert fresh(children["outcome"]).get_lock() is None

    # The reviewer's screen lists the pages reviewed together, with preview and edit links.
    login(client, reviewer_a)
    response = client.get(edit_url(consultation))
    html = response.content.decode()
    for page in bundled:
        assert f"/admin/pages/{page.pk}/view_draft/" in html
        assert f"/admin/pages/{page.pk}/edit/" in html
    assert f"/admin/pages/{children['outcome'].pk}/view_draft/" not in html
    # The editor sees why a bundled page is locked.
    client.logout()
    login(client, editor_a)
    locked = client.get(edit_url(children["poll"])).content.decode()
    assert "being reviewed together with its consultation" in locked
    client.logout()

    # Rejected: all return together, unlocked for changes, nothing live.
    act(client, reviewer_a, consultation, "reject", comment="请补充听证会地点")
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    for page in [consultation, *bundled]:
        assert not fresh(page).live
    assert fresh(children["poll"]).get_lock() is None

    # Resubmitted and approved once: the consultation and its pages go live together.
    submit(client, editor_a, fresh(consultation))
    response = act(client, reviewer_a, consultation, "approve", comment="")
    assert response.status_code in (200, 302)
    assert fresh(consultation).live
    for page in bundled:
        page = fresh(page)
        assert page.live
        publish = PageLogEntry.objects.get(page=page, action=BUNDLE_PUBLISH)
        assert publish.user == reviewer_a
    assert not fresh(children["outcome"]).live  # the outcome has its own legal review
    # The review appears once, on the consultation.
    assert PageLogEntry.objects.filter(action="wagtail.workflow.approve").count() == 1
    assert (
        PageLogEntry.objects.filter(page=consultation, action="wagtail.workflow.approve").count()
        == 1
    )


def test_a_page_submitted_alone_before_joins_the_consultations_review(
    client, tree, editor_a, reviewer_a
):
    consultation, children = draft_consultation(tree)
    poll = children["poll"]
    own = poll.get_workflow().start(poll, editor_a)
    submit(client, editor_a, consultation)
    own.refresh_from_db()
    assert own.status == WorkflowState.STATUS_CANCELLED
    act(client, reviewer_a, consultation, "approve")
    assert fresh(poll).live


def test_a_page_added_later_to_a_live_consultation_is_reviewed_alone(
    client, tree, consultation, editor_a, reviewer_a
):
    later = draft(consultation, SuggestionFormPage(title="补充意见征集", slug="more", live=False))
    assert consultation.bundled_pages() == []
    # Editing the live consultation and submitting it does not take the new page along.
    submit(client, editor_a, consultation)
    assert not PageLogEntry.objects.filter(page=later, action=BUNDLE_SUBMIT).exists()
    assert fresh(later).get_lock() is None
    act(client, reviewer_a, consultation, "approve")
    assert not fresh(later).live
    # It goes through its own review.
    state = later.get_workflow().start(fresh(later), editor_a)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS


def test_another_communitys_editor_cannot_review_the_bundle(client, tree, editor_a, editor_b):
    consultation, children = draft_consultation(tree)
    submit(client, editor_a, consultation)
    act(client, editor_b, consultation, "approve")
    assert not fresh(consultation).live
    assert not fresh(children["poll"]).live
    assert fresh(children["poll"]).get_lock().for_user(editor_b)


def test_the_approver_publishes_only_pages_they_may_publish(tree, editor_a, reviewer_a, official):
    consultation, children = draft_consultation(tree)
    poll = children["poll"]
    assert can_publish_with_consultation(reviewer_a, poll)
    assert can_publish_with_consultation(official, poll)
    assert not can_publish_with_consultation(editor_a, poll)
