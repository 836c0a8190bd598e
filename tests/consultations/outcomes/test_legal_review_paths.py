"""No path makes an outcome announcement live without a completed legal review.

Each test is one way in: the Publish button for every role (superusers included), bulk
publish, scheduled publishing of an unconfirmed revision, revert-and-publish, copy, move,
the API, a script and the `publish_scheduled` command. A superuser's explicit override is
the one exception; it is logged and shown on the public page.
"""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry, TaskState, WorkflowState
from wagtail.test.utils.form_data import querydict_from_html

from consultations.models import LegalReviewOverride, LegalReviewTask, OutcomePage
from consultations.outcomes.models import LegalReviewRequired
from consultations.outcomes.operations import OutcomeError, publish_with_legal_override
from tests.conftest import PASSWORD, en, make_consultation

from .factories import make_outcome, page_url, publish_through_workflow

STAFF = ["editor_a", "reviewer_a", "official", "legal_reviewer", "superuser"]


def login(client, user):
    assert client.login(email=user.email, password=PASSWORD)


def is_live(page):
    return OutcomePage.objects.get(pk=page.pk).live


def waiting_for_township(page, editor):
    """The announcement submitted, approved by the community, waiting for the township."""
    state = page.get_workflow().start(page, editor)
    first = state.current_task_state
    first.task.specific.on_action(first, None, "approve")
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not isinstance(state.current_task_state.task.specific, LegalReviewTask)
    return state


def press_publish(client, page):
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.get(url)
    if response.status_code == 200:
        data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    else:  # the edit view is refused to this role at this step: post the form anyway
        data = {"title": page.title, "slug": page.slug}
    data["action-publish"] = "1"
    return client.post(url, data)


@pytest.mark.parametrize("role", STAFF)
def test_publish_button_during_the_workflow_never_skips_the_legal_review(
    client, consultation, editor_a, role, request
):
    user = request.getfixturevalue(role)
    page = make_outcome(consultation, live=False)
    state = waiting_for_township(page, editor_a)
    assert not page.permissions_for_user(user).can_publish()
    login(client, user)
    press_publish(client, page)
    assert not is_live(page)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS  # not cancelled


@pytest.mark.parametrize("role", ["official", "superuser"])
def test_publish_button_without_a_workflow_is_refused(client, consultation, role, request):
    page = make_outcome(consultation, live=False)
    login(client, request.getfixturevalue(role))
    press_publish(client, page)
    assert not is_live(page)


def test_bulk_publish_is_refused_to_a_superuser(client, consultation, superuser):
    page = make_outcome(consultation, live=False)
    login(client, superuser)
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"]) + f"?id={page.pk}"
    client.post(url, {"include_descendants": ""})
    assert not is_live(page)


def test_publishing_an_unconfirmed_revision_from_code_is_refused(consultation, superuser):
    page = make_outcome(consultation, live=False)
    with pytest.raises(LegalReviewRequired):
        page.get_latest_revision().publish(user=superuser, skip_permission_checks=True)
    with pytest.raises(LegalReviewRequired):
        page.get_latest_revision().publish()
    assert not is_live(page)


def test_saving_the_page_live_from_a_script_is_refused(consultation):
    page = make_outcome(consultation, live=False)
    page = OutcomePage.objects.get(pk=page.pk)
    page.live = True
    page.live_revision = page.get_latest_revision()
    with pytest.raises(LegalReviewRequired):
        page.save()
    assert not is_live(page)


def test_scheduled_publishing_of_an_unconfirmed_revision_is_refused_and_logged(consultation):
    page = make_outcome(consultation, live=False)
    other = make_consultation(consultation.get_parent(), slug="other", title="另一议题")
    revision = page.get_latest_revision()
    past = timezone.now() - timedelta(minutes=5)
    type(revision).objects.filter(pk=revision.pk).update(approved_go_live_at=past)
    other_revision = other.save_revision()
    type(other_revision).objects.filter(pk=other_revision.pk).update(approved_go_live_at=past)

    call_command("publish_scheduled", verbosity=0)

    assert not is_live(page)
    revision.refresh_from_db()
    assert revision.approved_go_live_at is None  # not tried again every minute
    assert PageLogEntry.objects.filter(
        page=page, action="consultations.outcomes.publish_refused"
    ).exists()
    other_revision.refresh_from_db()
    assert other_revision.approved_go_live_at is None  # the command went on with the others


def test_scheduled_publishing_of_a_confirmed_revision_goes_ahead(consultation):
    page = make_outcome(consultation, live=False)
    OutcomePage.objects.filter(pk=page.pk).update(go_live_at=timezone.now() + timedelta(hours=1))
    page.refresh_from_db()
    page.save_revision()
    publish_through_workflow(page)
    assert not is_live(page)  # scheduled, not yet live
    revision = page.get_latest_revision()
    revision.refresh_from_db()
    assert revision.approved_go_live_at is not None
    # An hour later (the time the command runs), as far as the revision knows.
    past = timezone.now() - timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled", verbosity=0)
    assert is_live(page)


def test_a_new_revision_of_a_live_outcome_needs_its_own_review(consultation, superuser):
    page = make_outcome(consultation)
    reviewed = OutcomePage.objects.get(pk=page.pk).live_revision_id
    page = OutcomePage.objects.get(pk=page.pk)
    page.title = "改过的公告"
    revision = page.save_revision(user=superuser)
    with pytest.raises(LegalReviewRequired):
        revision.publish(user=superuser)
    assert OutcomePage.objects.get(pk=page.pk).live_revision_id == reviewed


def test_revert_to_an_old_revision_and_publish_is_refused(client, consultation, superuser):
    page = make_outcome(consultation)
    old = page.get_latest_revision()
    page = OutcomePage.objects.get(pk=page.pk)
    page.title = "第二版"
    page.save_revision()
    login(client, superuser)
    url = reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, old.pk])
    response = client.get(url)
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data["action-publish"] = "1"
    client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    page = OutcomePage.objects.get(pk=page.pk)
    assert page.live_revision_id == old.pk  # still the reviewed one, nothing new went live


def test_copy_of_a_live_outcome_is_a_draft(client, consultation, superuser):
    page = make_outcome(consultation)
    other = make_consultation(consultation.get_parent(), slug="other", title="另一议题")
    login(client, superuser)
    url = reverse("wagtailadmin_pages:copy", args=[page.pk])
    client.post(
        url,
        {
            "new_title": "复制",
            "new_slug": "outcome",
            "new_parent_page": other.pk,
            "copy_subpages": "",
            "publish_copies": "on",
            "alias": "",
        },
    )
    copy = OutcomePage.objects.child_of(other).get()
    assert not copy.live
    # From code too, whatever keep_live says.
    third = make_consultation(consultation.get_parent(), slug="third", title="第三议题")
    assert not page.copy(to=third, keep_live=True).live


def test_copy_of_a_consultation_with_its_live_outcome_keeps_the_outcome_draft(
    consultation, superuser
):
    make_outcome(consultation)
    copy = consultation.copy(
        recursive=True,
        to=consultation.get_parent(),
        update_attrs={"slug": "copied", "title": "复制的议题"},
        keep_live=True,
        user=superuser,
    )
    assert copy.live
    assert not OutcomePage.objects.child_of(copy).get().live


def test_a_live_outcome_cannot_be_moved_to_another_consultation(client, consultation, superuser):
    page = make_outcome(consultation)
    other = make_consultation(consultation.get_parent(), slug="other", title="另一议题")
    assert not page.permissions_for_user(superuser).can_move_to(other)
    login(client, superuser)
    client.post(reverse("wagtailadmin_pages:move_confirm", args=[page.pk, other.pk]))
    assert OutcomePage.objects.get(pk=page.pk).get_parent().pk == consultation.pk
    with pytest.raises(LegalReviewRequired):
        OutcomePage.objects.get(pk=page.pk).move(other, pos="last-child")


def test_the_api_lists_only_reviewed_outcomes(client, consultation):
    draft = make_outcome(consultation, live=False)
    with pytest.raises(LegalReviewRequired):
        draft.get_latest_revision().publish()
    response = client.get("/api/v2/pages/?type=consultations.OutcomePage")
    assert response.status_code == 200
    assert response.json()["meta"]["total_count"] == 0
    publish_through_workflow(draft)
    response = client.get("/api/v2/pages/?type=consultations.OutcomePage")
    assert response.json()["meta"]["total_count"] == 1


def test_the_legal_reviewer_confirms_the_version_they_edited(consultation, legal_reviewer):
    page = make_outcome(consultation, live=False)
    state = page.get_workflow().start(page, None)
    while not isinstance(state.current_task_state.task.specific, LegalReviewTask):
        task_state = state.current_task_state
        task_state.task.specific.on_action(task_state, None, "approve")
        state.refresh_from_db()
    page = OutcomePage.objects.get(pk=page.pk)
    page.title = "法律审核时改正的标题"
    edited = page.save_revision(user=legal_reviewer)
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, legal_reviewer, "approve")
    page = OutcomePage.objects.get(pk=page.pk)
    assert page.live and page.live_revision_id == edited.pk
    assert TaskState.objects.get(pk=task_state.pk).revision_id == edited.pk


def test_superuser_override_is_explicit_logged_and_shown(client, consultation, superuser, official):
    page = make_outcome(consultation, live=False)
    with pytest.raises(OutcomeError):
        publish_with_legal_override(page, user=official, reason="急需公布")
    assert not is_live(page)

    login(client, superuser)
    url = reverse("outcomes_admin:override", args=[page.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200  # the reason is required
    assert not is_live(page)
    response = client.post(url, {"reason": "防汛紧急情况，须立即公布"})
    assert response.status_code == 302
    assert is_live(page)
    override = LegalReviewOverride.objects.get(page=page)
    assert override.user == superuser
    entry = PageLogEntry.objects.get(
        page=page, action="consultations.outcomes.override_legal_review"
    )
    assert entry.user == superuser and entry.data["reason"] == "防汛紧急情况，须立即公布"
    public = client.get(en(page_url(page))).content.decode()
    assert "without the legal review" in public and "防汛紧急情况" in public


def test_override_screen_is_refused_to_officials(client, consultation, official):
    from tests.consultations.conftest import assert_admin_refused

    page = make_outcome(consultation, live=False)
    login(client, official)
    url = reverse("outcomes_admin:override", args=[page.pk])
    assert_admin_refused(client.get(url))
    assert_admin_refused(client.post(url, {"reason": "x"}))
    assert not is_live(page)
