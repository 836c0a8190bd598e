"""Publishing an outcome: community review → township approval → legal review (三(五)).

Driven through the Wagtail admin views, as an editor, reviewer, official and legal
reviewer would click through them.
"""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState
from wagtail.test.utils.form_data import querydict_from_html

from consultations.models import LegalReviewTask, OutcomePage
from consultations.outcomes.operations import ensure_outcome_workflow
from tests.conftest import PASSWORD, en

from .factories import make_outcome, page_url


def login(client, user):
    assert client.login(email=user.email, password=PASSWORD)


def submit_via_edit_view(client, page):
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.get(url)
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data["action-submit"] = "1"
    return client.post(url, data)


def act(client, page, action, comment=None):
    task_state = OutcomePage.objects.get(pk=page.pk).current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    data = {} if comment is None else {"comment": comment}
    return client.post(url, data)


def current_task(page):
    return OutcomePage.objects.get(pk=page.pk).current_workflow_task


def test_outcome_workflow_has_three_tasks_in_order(consultation):
    workflow = ensure_outcome_workflow(consultation)
    tasks = [task.specific for task in workflow.tasks]
    assert len(tasks) == 3
    assert isinstance(tasks[2], LegalReviewTask)
    # Idempotent: asking again gives the same workflow.
    assert ensure_outcome_workflow(consultation).pk == workflow.pk


def test_outcome_goes_live_through_three_tasks_after_a_legal_rejection(
    client, consultation, editor_a, reviewer_a, official, legal_reviewer
):
    page = make_outcome(consultation, live=False)
    assert page.get_workflow() is not None

    login(client, editor_a)
    response = submit_via_edit_view(client, page)
    assert response.status_code == 302
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS

    # Step 1: the community's reviewers.
    community_task = current_task(page)
    act(client, page, "approve")  # the editor may not approve: nothing moves
    assert current_task(page).pk == community_task.pk
    login(client, reviewer_a)
    act(client, page, "approve")
    assert current_task(page).pk != community_task.pk

    # Step 2: the township officials.
    login(client, official)
    mail.outbox.clear()
    act(client, page, "approve")
    assert isinstance(current_task(page).specific, LegalReviewTask)
    assert [legal_reviewer.email] in [m.to for m in mail.outbox]  # told it waits for them

    # Step 3: the legal reviewer opens the draft, and must say what to correct when
    # sending it back.
    login(client, legal_reviewer)
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert client.get(edit_url).status_code == 200
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert page.title in dashboard  # "awaiting your review"
    act(client, page, "reject", comment="")
    assert current_task(page).specific.__class__ is LegalReviewTask
    assert (
        TaskState.objects.filter(workflow_state=state, status=TaskState.STATUS_REJECTED).count()
        == 0
    )
    act(client, page, "reject", comment="第2项须补充村民会议表决结果。")
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    rejected = TaskState.objects.get(workflow_state=state, status=TaskState.STATUS_REJECTED)
    assert "村民会议" in rejected.comment
    assert not OutcomePage.objects.get(pk=page.pk).live

    # The editor corrects and resubmits; it returns to the legal review.
    login(client, editor_a)
    assert submit_via_edit_view(client, page).status_code == 302
    assert isinstance(current_task(page).specific, LegalReviewTask)

    login(client, legal_reviewer)
    act(client, page, "approve")
    page = OutcomePage.objects.get(pk=page.pk)
    assert page.live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED


def test_nobody_publishes_an_outcome_directly_officials_approve_and_unpublish(
    consultation, editor_a, reviewer_a, official, superuser
):
    page = make_outcome(consultation, live=False)
    assert not page.permissions_for_user(editor_a).can_publish()
    assert not page.permissions_for_user(reviewer_a).can_publish()
    assert page.permissions_for_user(reviewer_a).can_edit()
    assert not page.permissions_for_user(official).can_publish()
    assert not page.permissions_for_user(superuser).can_publish()
    live = make_outcome(consultation, slug="live-outcome")
    assert live.permissions_for_user(official).can_unpublish()
    assert not live.permissions_for_user(reviewer_a).can_unpublish()


def test_publish_button_in_the_admin_is_refused_to_a_community_reviewer(
    client, consultation, reviewer_a
):
    page = make_outcome(consultation, live=False)
    login(client, reviewer_a)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    data["action-publish"] = "1"
    client.post(url, data)
    assert not OutcomePage.objects.get(pk=page.pk).live


def test_residents_cannot_see_draft_outcomes(client, consultation, resident):
    page = make_outcome(consultation, live=False)
    login(client, resident)
    assert client.get(en(page_url(consultation) + "outcome/")).status_code == 404
    admin = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert admin.status_code in (302, 403)
    assert "/login/" in admin.get("Location", "/login/")


@pytest.mark.parametrize("suffix", ["", "print/"])
def test_published_outcome_and_print_view_are_public(client, consultation, suffix):
    page = make_outcome(consultation)
    response = client.get(en(page_url(page)) + suffix)
    assert response.status_code == 200
    assert "硬化主干道" in response.content.decode()
    if suffix:
        assert "<svg" in response.content.decode()


def test_editor_creates_an_outcome_in_the_admin_and_submits_it(client, consultation, editor_a):
    from wagtail.test.utils.form_data import rich_text

    login(client, editor_a)
    url = reverse("wagtailadmin_pages:add", args=["consultations", "outcomepage", consultation.pk])
    response = client.get(url)
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data.update(
        {
            "title": "村道硬化协商成果公告",
            "slug": "outcome",
            "opinion": rich_text("<p>同意硬化。</p>"),
            "decision_items-TOTAL_FORMS": "1",
            "decision_items-0-decision": "硬化主干道",
            "decision_items-0-status": "adopted",
            "decision_items-0-ORDER": "1",
            "decision_items-0-id": "",
            "decision_items-0-DELETE": "",
            "action-submit": "1",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = OutcomePage.objects.get(slug="outcome")
    assert not page.live
    assert page.current_workflow_state is not None
    assert page.current_workflow_state.workflow == ensure_outcome_workflow(consultation)


def test_the_legal_reviewer_lands_on_the_published_outcome(
    client, consultation, reviewer_a, official, legal_reviewer
):
    page = make_outcome(consultation, live=False)
    state = page.get_workflow().start(page, None)
    while not isinstance(state.current_task_state.task.specific, LegalReviewTask):
        task_state = state.current_task_state
        task_state.task.specific.on_action(task_state, None, "approve")
        state.refresh_from_db()
    login(client, legal_reviewer)
    response = act(client, page, "approve")
    page = OutcomePage.objects.get(pk=page.pk)
    assert page.live
    assert response.status_code == 302
    assert response["Location"] == page.url
    assert client.get(response["Location"]).status_code == 200
