"""Consultation pages in the admin: advance-notice rules on publish, who may do what,
the review workflows, scheduled publishing, the audit log and the dashboard panel."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageLogEntry, TaskState, WorkflowPage, WorkflowState
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from consultations.communities.operations import (
    community_group_names,
    community_review_task,
    ensure_area_workflow,
    ensure_community_workflow,
    township_approval_task,
)
from consultations.models import (
    CommunityPage,
    ConsultationPage,
    ConsultationRules,
    Stage,
)
from tests.conftest import PASSWORD, add_page, make_consultation, make_user

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(email=user.email, password=PASSWORD)
    return client


def form(page=None, **overrides):
    """POST data for the consultation edit form (values of `page`, then overrides)."""
    today = timezone.localdate()
    data = {
        "title": getattr(page, "title", "新议题"),
        "slug": getattr(page, "slug", "new-topic"),
        "summary": getattr(page, "summary", "拟修建村文化广场，请村民提出意见。"),
        "body": streamfield([]),
        "category": getattr(page, "category_id", None) or 1,
        "format": getattr(page, "format_id", None) or 1,
        "organiser": "村民委员会",
        "contact": "",
        "notice_date": str(today),
        "input_opens": str(today + timedelta(days=1)),
        "input_closes": str(today + timedelta(days=15)),
        "meeting_at": (today + timedelta(days=20)).strftime("%Y-%m-%d 19:30"),
        "meeting_place": "村委会议室",
        "outcome_due": str(today + timedelta(days=40)),
        "comments": inline_formset([]),
    }
    lists = {key: overrides.pop(key) for key in list(overrides) if isinstance(overrides[key], list)}
    data.update(overrides)
    return {**nested_form_data(data), **lists}


def edit_url(page):
    return f"/en/admin/pages/{page.pk}/edit/"


def add_url(parent):
    return f"/en/admin/pages/add/consultations/consultationpage/{parent.pk}/"


# --- advance notice (三(四) 提前通报) -------------------------------------------------------


def test_publishing_with_too_short_notice_is_refused_with_a_clear_message(
    client, consultation, superuser
):
    login(client, superuser)
    today = timezone.localdate()
    data = form(
        consultation,
        notice_date=str(today),
        meeting_at=(today + timedelta(days=1)).strftime("%Y-%m-%d 19:30"),
        **{"action-publish": "publish"},
    )
    response = client.post(edit_url(consultation), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "at least 3 days after the notice" in html
    assert "cannot be published yet" in html
    consultation.refresh_from_db()
    assert consultation.meeting_at is None  # the live page did not change


def test_publishing_with_too_short_input_period_is_refused(client, consultation, superuser):
    login(client, superuser)
    today = timezone.localdate()
    data = form(
        consultation,
        input_opens=str(today),
        input_closes=str(today + timedelta(days=2)),
        **{"action-publish": "publish"},
    )
    response = client.post(edit_url(consultation), data)
    assert response.status_code == 200
    assert "Input must stay open for at least 7 days" in response.content.decode()


def test_a_draft_may_break_the_rules_and_publishing_follows_the_site_setting(
    client, tree, superuser
):
    login(client, superuser)
    today = timezone.localdate()
    short = {"meeting_at": (today + timedelta(days=2)).strftime("%Y-%m-%d 19:30")}
    response = client.post(add_url(tree.a), form(**short))
    assert response.status_code == 302
    page = ConsultationPage.objects.get(slug="new-topic")
    assert not page.live and page.stage == Stage.DRAFT

    rules = ConsultationRules.for_site(tree.home.get_site())
    rules.min_notice_days = 1
    rules.save()
    response = client.post(edit_url(page), form(page, **short, **{"action-publish": "1"}))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live and page.stage == Stage.NOTICE


# --- who may do what --------------------------------------------------------------------


def test_editor_of_b_cannot_see_edit_or_publish_pages_of_a(client, consultation, editor_b, tree):
    login(client, editor_b)
    # Wagtail answers a refused admin view with 403 to scripts and, for a browser, with
    # a redirect to the dashboard and an error message; either way nothing is shown.
    xhr = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
    assert client.get(edit_url(consultation), **xhr).status_code == 403
    refused = client.get(edit_url(consultation), follow=True)
    assert refused.redirect_chain[0][0] == "/en/admin/"
    assert "you do not have permission" in refused.content.decode()
    assert consultation.summary not in refused.content.decode()
    data = form(consultation, title="B改的", **{"action-publish": "1"})
    assert client.post(edit_url(consultation), data, **xhr).status_code == 403
    client.post(edit_url(consultation), data)
    assert consultation.revisions.count() == 1
    assert ConsultationPage.objects.get(pk=consultation.pk).title == consultation.title
    assert client.get(add_url(tree.a), **xhr).status_code == 403
    # The explorer starts at B and never lists A's pages to B's editor.
    explorer = client.get("/en/admin/pages/", follow=True).content.decode()
    assert tree.b.title in explorer
    assert f"/admin/pages/{tree.a.pk}/" not in explorer
    for url in (f"/en/admin/pages/{tree.a.pk}/", f"/en/admin/pages/{tree.township.pk}/"):
        assert consultation.title not in client.get(url, follow=True).content.decode()


def test_editor_of_a_edits_but_cannot_publish_directly(client, consultation, editor_a):
    login(client, editor_a)
    assert client.get(edit_url(consultation)).status_code == 200
    today = timezone.localdate()
    data = form(consultation, title="改过的标题", **{"action-publish": "1"})
    data["notice_date"] = str(today - timedelta(days=5))
    response = client.post(edit_url(consultation), data)
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.title != "改过的标题"  # saved as a draft revision only
    assert consultation.get_latest_revision().as_object().title == "改过的标题"


def test_permission_matrix(consultation, editor_a, reviewer_a, editor_b, official, tree):
    township_page = make_consultation(tree.township, slug="cross", title="跨村公路")
    matrix = {
        (editor_a, consultation): (True, False),
        (reviewer_a, consultation): (True, True),
        (editor_b, consultation): (False, False),
        (official, consultation): (True, True),
        (editor_a, township_page): (False, False),
        (official, township_page): (True, True),
    }
    for (user, page), (can_edit, can_publish) in matrix.items():
        perms = page.permissions_for_user(user)
        assert (perms.can_edit(), perms.can_publish()) == (can_edit, can_publish), (
            user.email,
            page.title,
        )


# --- groups and workflows follow the tree -----------------------------------------------


def test_new_community_gets_groups_and_its_review_workflow(tree):
    village = add_page(tree.township, CommunityPage(title="丁村", slug="village-d"))
    editors_name, reviewers_name = community_group_names(village)
    assert Group.objects.filter(name__in=[editors_name, reviewers_name]).count() == 2
    workflow = WorkflowPage.objects.get(page=village).workflow
    assert [t.specific for t in workflow.tasks] == [community_review_task(village)]
    # Idempotent: doing it again changes nothing.
    ensure_community_workflow(village)
    ensure_community_workflow(village)
    assert Group.objects.filter(name=reviewers_name).count() == 1
    assert workflow.workflow_tasks.count() == 1
    # Officials of the township (and the county) approve in the community's step too.
    groups = set(community_review_task(village).groups.values_list("name", flat=True))
    assert reviewers_name in groups
    assert any("测试镇" in name for name in groups)


def test_community_created_in_the_admin_gets_its_groups(client, tree, superuser):
    login(client, superuser)
    data = nested_form_data(
        {
            "title": "戊村",
            "slug": "village-e",
            "kind": "village",
            "intro": rich_text(""),
            "committee_contacts": inline_formset([]),
            "comments": inline_formset([]),
        }
    )
    response = client.post(
        f"/en/admin/pages/add/consultations/communitypage/{tree.township.pk}/", data
    )
    assert response.status_code == 302
    village = CommunityPage.objects.get(slug="village-e")
    assert WorkflowPage.objects.filter(page=village).exists()
    assert Group.objects.filter(name=community_group_names(village)[0]).exists()


def test_township_level_consultations_use_the_township_approval_workflow(tree, consultation):
    cross = make_consultation(tree.township, slug="cross", title="跨村公路")
    assert consultation.get_workflow() == WorkflowPage.objects.get(page=tree.a).workflow
    workflow = cross.get_workflow()
    assert workflow == ensure_area_workflow(tree.township)
    tasks = [t.specific for t in workflow.tasks]
    assert len(tasks) == 2 and tasks[1] == township_approval_task(tree.township)
    # The first step: reviewers of the township's communities (and its officials).
    first_groups = set(tasks[0].groups.values_list("name", flat=True))
    assert community_group_names(tree.a)[1] in first_groups
    assert community_group_names(tree.b)[1] in first_groups
    assert community_group_names(tree.c)[1] not in first_groups


def test_workflow_from_submit_to_live_with_mail_and_audit_log(
    client, tree, editor_a, reviewer_a, editor_b
):
    # The editor writes a new consultation and submits it for review.
    login(client, editor_a)
    response = client.post(add_url(tree.a), form(**{"action-submit": "1"}))
    assert response.status_code == 302
    page = ConsultationPage.objects.get(slug="new-topic")
    assert not page.live
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    task_state = state.current_task_state
    # The reviewer is told by mail (Wagtail's moderation notification).
    assert any(reviewer_a.email in message.to for message in mail.outbox)
    assert not any(editor_b.email in message.to for message in mail.outbox)

    # B's editor cannot approve it.
    client.logout()
    login(client, editor_b)
    approve = f"/en/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/"
    client.post(approve, {})
    page.refresh_from_db()
    assert not page.live

    # A's reviewer approves: the last step publishes.
    client.logout()
    login(client, reviewer_a)
    response = client.post(approve, {})
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    assert page.stage == Stage.NOTICE
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED

    actions = set(PageLogEntry.objects.filter(page=page).values_list("action", flat=True))
    assert {"wagtail.workflow.start", "wagtail.workflow.approve", "wagtail.publish"} <= actions
    publish = PageLogEntry.objects.get(page=page, action="wagtail.publish")
    assert publish.user == reviewer_a


def test_official_approves_a_township_consultation_after_community_review(
    client, tree, reviewer_a, official, superuser
):
    login(client, superuser)
    client.post(add_url(tree.township), form(slug="cross", **{"action-submit": "1"}))
    client.logout()
    page = ConsultationPage.objects.get(slug="cross")
    state = WorkflowState.objects.get(object_id=str(page.pk))

    login(client, reviewer_a)
    first = state.current_task_state
    client.post(f"/en/admin/pages/workflow/action/{page.pk}/approve/{first.pk}/", {})
    state.refresh_from_db()
    second = state.current_task_state
    assert second.pk != first.pk and not ConsultationPage.objects.get(pk=page.pk).live
    # The community reviewer cannot take the township's step.
    client.post(f"/en/admin/pages/workflow/action/{page.pk}/approve/{second.pk}/", {})
    assert TaskState.objects.get(pk=second.pk).status == TaskState.STATUS_IN_PROGRESS
    client.logout()

    login(client, official)
    client.post(f"/en/admin/pages/workflow/action/{page.pk}/approve/{second.pk}/", {})
    page.refresh_from_db()
    assert page.live


# --- scheduled publishing -----------------------------------------------------------------


def test_publish_scheduled_publishes_a_scheduled_consultation(tree, monkeypatch):
    page = make_consultation(tree.a, slug="later")
    page.unpublish()
    now = timezone.now()
    go_live = now + timedelta(hours=1)
    page.go_live_at = go_live
    page.save_revision(approved_go_live_at=go_live)
    call_command("publish_scheduled")
    assert not ConsultationPage.objects.get(pk=page.pk).live

    # Two hours later, the timer runs publish_scheduled again.
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(hours=2))
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live and page.stage == Stage.OPEN
    assert PageLogEntry.objects.filter(page=page, action="wagtail.publish.scheduled").exists()


# --- dashboard -----------------------------------------------------------------------------


def test_dashboard_panel_shows_stages_approvals_and_deadlines(client, tree, official, editor_b):
    today = timezone.localdate()
    make_consultation(
        tree.a, slug="soon", title="即将截止的议题", input_closes=today + timedelta(3)
    )
    make_consultation(tree.c, slug="street", title="街道的议题")
    waiting = make_consultation(tree.b, slug="waiting", title="待审议题")
    waiting.unpublish()
    waiting.get_workflow().start(waiting, make_user("x@example.com", staff=True))

    login(client, official)
    response = client.get("/en/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Consultations in your township" in html  # worded for the official
    assert "即将截止的议题" in html  # input closes within 14 days
    assert "待审议题" in html  # waiting for the official's approval
    assert "街道的议题" not in html  # another street's consultation
    client.logout()

    login(client, editor_b)
    html = client.get("/en/admin/").content.decode()
    assert "Consultations in your communities" in html
    assert "即将截止的议题" not in html
    # In Chinese: the township for its official, the community for its editor.
    assert "本村（社区）的协商议题" in client.get("/admin/").content.decode()
    client.logout()
    login(client, official)
    assert "本乡镇的协商议题" in client.get("/admin/").content.decode()


def test_residents_get_no_dashboard_panel(tree):
    from consultations.consultation_pages.panels import consultations_panel_for

    assert consultations_panel_for(make_user("r@example.com", community=tree.a)) is None


def test_township_official_can_approve_a_community_consultation(client, tree, official, editor_a):
    page = make_consultation(tree.a, slug="draft-topic")
    page.unpublish()
    page.get_workflow().start(page, editor_a)
    task_state = WorkflowState.objects.get(object_id=str(page.pk)).current_task_state
    login(client, official)
    client.post(f"/en/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/", {})
    page.refresh_from_db()
    assert page.live and page.stage == Stage.OPEN


def test_bulk_publish_applies_the_notice_rules_too(client, tree, superuser):
    page = make_consultation(tree.a, slug="bulk")
    page.unpublish()
    page.meeting_at = timezone.now() - timedelta(days=4)  # a day after the notice
    page.save_revision()
    login(client, superuser)
    url = f"/en/admin/bulk/wagtailcore/page/publish/?id={page.pk}"
    response = client.post(url, {}, follow=True)
    assert "break the advance-notice rules" in response.content.decode()
    assert not ConsultationPage.objects.get(pk=page.pk).live


def test_covered_communities_must_lie_in_the_township(client, tree, superuser):
    login(client, superuser)
    data = form(slug="cross", covered_communities=[tree.a.pk, tree.c.pk])
    response = client.post(add_url(tree.township), data)
    # The form offers only the township's communities; anything else is refused.
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    response = client.post(add_url(tree.a), form(covered_communities=[tree.b.pk]))
    assert response.status_code == 200
    assert not ConsultationPage.objects.exists()
    response = client.post(
        add_url(tree.township), form(slug="cross", covered_communities=[tree.a.pk, tree.b.pk])
    )
    assert response.status_code == 302
    page = ConsultationPage.objects.get(slug="cross")
    assert set(page.covered_communities.values_list("pk", flat=True)) == {tree.a.pk, tree.b.pk}


def test_install_workflows_command_restores_what_is_missing(tree):
    WorkflowPage.objects.filter(page__in=[tree.a, tree.township]).delete()
    call_command("consultations_install_workflows", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert WorkflowPage.objects.get(page=tree.a).workflow.name == "甲村（测试镇） 社区审核"
    assert WorkflowPage.objects.get(page=tree.township).workflow.name == "测试镇（测试县） 乡镇审批"
    assert WorkflowPage.objects.get(page=tree.street).workflow.name == "测试街道（测试县） 街道审批"


def test_republishing_with_unchanged_dates_is_not_refused_after_rules_tighten(
    client, consultation, superuser, tree
):
    rules = ConsultationRules.for_site(tree.home.get_site())
    rules.min_input_days = 30  # stricter than the page's 12 days
    rules.save()
    login(client, superuser)
    data = form(
        consultation,
        summary="修正错别字。",
        notice_date=str(consultation.notice_date),
        input_opens=str(consultation.input_opens),
        input_closes=str(consultation.input_closes),
        meeting_at="",
        outcome_due=str(consultation.outcome_due),
        **{"action-publish": "1"},
    )
    response = client.post(edit_url(consultation), data)
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.summary == "修正错别字。"
    # Changing a date brings the rules back into play.
    data["input_closes"] = str(consultation.input_closes + timedelta(days=1))
    response = client.post(edit_url(consultation), data)
    assert response.status_code == 200
    assert "Input must stay open for at least 30 days" in response.content.decode()


def test_a_rule_breaking_draft_cannot_be_published_later_unchanged(client, consultation, superuser):
    login(client, superuser)
    today = timezone.localdate()
    short = form(
        consultation,
        input_opens=str(today),
        input_closes=str(today + timedelta(days=2)),
    )
    assert client.post(edit_url(consultation), short).status_code == 302  # draft saved
    short["action-publish"] = "1"
    response = client.post(edit_url(consultation), short)
    assert response.status_code == 200
    assert "Input must stay open for at least 7 days" in response.content.decode()


def test_renaming_a_community_keeps_its_groups_and_their_members(tree, editor_a):
    from consultations.communities.operations import ensure_community_groups

    editors, _reviewers = ensure_community_groups(tree.a)
    tree.a.title = "甲村（更名）"
    tree.a.save_revision().publish()
    renamed_editors, _ = ensure_community_groups(tree.a)
    assert renamed_editors.pk == editors.pk
    assert renamed_editors.name == "甲村（更名）（测试镇） 编辑"
    assert editor_a in renamed_editors.user_set.all()
