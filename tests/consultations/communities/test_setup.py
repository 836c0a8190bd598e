"""Community setup holds what it owns by keys: renames and moves create nothing new."""

from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import GroupApprovalTask, Task, Workflow, WorkflowPage, WorkflowTask

from consultations.communities.operations import (
    community_group_names,
    community_review_task,
    ensure_area_setup,
    ensure_community_groups,
    ensure_community_setup,
    township_approval_task,
)
from consultations.models import CommunityIndexPage, CommunityPage, OutcomePage
from consultations.outcomes.operations import ensure_outcome_workflow, responsible_editor_emails
from tests.conftest import PASSWORD, add_page, make_consultation, make_user

pytestmark = pytest.mark.django_db

COMMUNITY_KEYS = CommunityPage.owned_setup_fields
AREA_KEYS = CommunityIndexPage.owned_setup_fields


def counts():
    return {
        "groups": Group.objects.count(),
        "group approval tasks": GroupApprovalTask.objects.count(),
        "tasks": Task.objects.count(),
        "workflows": Workflow.objects.count(),
        "workflow steps": WorkflowTask.objects.count(),
        "assignments": WorkflowPage.objects.count(),
    }


def fresh(page):
    return type(page).objects.get(pk=page.pk)


def keys(page):
    page = fresh(page)
    return {name: getattr(page, f"{name}_id") for name in page.owned_setup_fields}


def run_setup_everywhere():
    for area in CommunityIndexPage.objects.order_by("path"):
        ensure_area_setup(area)
    for community in CommunityPage.objects.order_by("path"):
        ensure_community_setup(community)


def install():
    call_command("consultations_install_workflows", stdout=open("/dev/null", "w"))  # noqa: SIM115


def step_groups(task):
    return set(task.groups.values_list("pk", flat=True))


def test_new_pages_own_their_groups_tasks_and_workflows(tree):
    a, township = fresh(tree.a), fresh(tree.township)
    assert all(keys(a).values()) and all(keys(township).values())
    editors, reviewers = community_group_names(a)
    assert (a.editors_group.name, a.reviewers_group.name) == (editors, reviewers)
    assert WorkflowPage.objects.get(page=a).workflow_id == a.review_workflow_id
    assert WorkflowPage.objects.get(page=township).workflow_id == township.approval_workflow_id
    assert [t.pk for t in a.review_workflow.tasks] == [a.review_task_id]
    assert [t.pk for t in township.approval_workflow.tasks] == [
        township.area_review_task_id,
        township.approval_task_id,
    ]
    # The outcome workflow: community review → township approval → legal review.
    outcome_steps = [t.specific for t in a.outcome_workflow.tasks]
    assert [t.pk for t in outcome_steps[:2]] == [a.review_task_id, township.approval_task_id]
    assert type(outcome_steps[2]).__name__ == "LegalReviewTask"


def test_setup_and_the_install_command_are_idempotent(tree):
    before, owned = counts(), {page.pk: keys(page) for page in (tree.a, tree.township)}
    run_setup_everywhere()
    run_setup_everywhere()
    install()
    install()
    assert counts() == before
    assert {page.pk: keys(page) for page in (tree.a, tree.township)} == owned


def test_setup_of_an_unchanged_page_writes_nothing(tree):
    ensure_community_setup(tree.a)
    with CaptureQueriesContext(connection) as queries:
        ensure_community_setup(tree.a)
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []


def test_renaming_a_community_and_its_township_renames_what_they_own(tree):
    editors, reviewers = ensure_community_groups(tree.a)
    editor = make_user("editor-a@example.com", staff=True, groups=[editors])
    reviewer = make_user("reviewer-a@example.com", staff=True, groups=[reviewers])
    official = make_user(
        "official@example.com", staff=True, groups=[fresh(tree.township).officials_group]
    )
    before = counts()
    owned = {page.pk: keys(page) for page in (tree.a, tree.township)}

    a = fresh(tree.a)
    a.title = "甲村（更名）"
    a.save_revision().publish()
    township = fresh(tree.township)
    township.title = "新测试镇"
    township.kind = CommunityIndexPage.Kind.STREET
    township.save_revision().publish()

    # Publishing renamed everything at once, before any setup ran.
    a, township = fresh(tree.a), fresh(tree.township)
    assert a.editors_group.name == "甲村（更名）（新测试镇） 编辑"
    assert a.reviewers_group.name == "甲村（更名）（新测试镇） 审核"
    assert a.review_task.name == a.review_workflow.name == "甲村（更名）（新测试镇） 社区审核"
    assert a.outcome_workflow.name == "甲村（更名）（新测试镇） 协商成果发布"
    assert township.officials_group.name == "新测试镇（测试县） 官员"
    assert township.approval_task.name == "新测试镇（测试县） 街道审批"
    assert township.approval_workflow.name == "新测试镇（测试县） 街道审批"
    assert township.area_review_task.name == "新测试镇（测试县） 村（社区）审核"

    run_setup_everywhere()
    run_setup_everywhere()
    install()
    install()
    assert counts() == before
    assert {page.pk: keys(page) for page in (tree.a, tree.township)} == owned
    assert not Group.objects.filter(name__startswith="甲村 ").exists()
    assert not Workflow.objects.filter(name__startswith="测试镇 ").exists()
    assert not Task.objects.filter(name__startswith="测试镇 ").exists()
    # Members stay in their (renamed) groups.
    assert list(fresh(tree.a).editors_group.user_set.all()) == [editor]
    assert list(fresh(tree.a).reviewers_group.user_set.all()) == [reviewer]
    assert list(fresh(tree.township).officials_group.user_set.all()) == [official]
    assert WorkflowPage.objects.get(page=tree.a).workflow_id == owned[tree.a.pk]["review_workflow"]


def test_publishing_a_revision_from_before_setup_keeps_the_keys(tree):
    owned = keys(tree.a)
    revision = fresh(tree.a).save_revision()
    for name in COMMUNITY_KEYS:
        revision.content[name] = None
    revision.save(update_fields=["content"])
    revision.publish()
    assert keys(tree.a) == owned


def test_a_copied_community_gets_its_own_setup(tree):
    copy = fresh(tree.a).copy(update_attrs={"slug": "village-a-copy", "title": "甲村二"})
    assert set(keys(copy).values()).isdisjoint(keys(tree.a).values())
    assert fresh(copy).editors_group.name == "甲村二（测试镇） 编辑"


def test_moving_a_community_regroups_it_and_creates_nothing(tree):
    before = counts()
    owned = keys(tree.a)
    township, street = fresh(tree.township), fresh(tree.street)
    a = fresh(tree.a)
    assert township.officials_group_id in step_groups(a.review_task)
    assert a.reviewers_group_id in step_groups(township.area_review_task)

    tree.a.move(tree.street, pos="last-child")

    a, township, street = fresh(tree.a), fresh(tree.township), fresh(tree.street)
    assert keys(a) == owned
    assert counts() == before
    # Its review step: its reviewers and the officials of the street (and county) now.
    assert township.officials_group_id not in step_groups(a.review_task)
    assert street.officials_group_id in step_groups(a.review_task)
    assert a.reviewers_group_id in step_groups(a.review_task)
    # The areas' first steps follow the communities below them.
    assert a.reviewers_group_id not in step_groups(township.area_review_task)
    assert a.reviewers_group_id in step_groups(street.area_review_task)
    # Its outcome workflow now goes to the street for approval.
    steps = [t.pk for t in a.outcome_workflow.tasks]
    assert steps[:2] == [a.review_task_id, street.approval_task_id]
    assert len(steps) == 3
    run_setup_everywhere()
    install()
    assert counts() == before


def test_steps_and_groups_added_by_hand_are_kept(tree):
    a = fresh(tree.a)
    extra_group = Group.objects.create(name="乡镇纪委")
    a.review_task.groups.add(extra_group)
    extra_task = GroupApprovalTask.objects.create(name="额外审核")
    WorkflowTask.objects.create(workflow=a.review_workflow, task=extra_task, sort_order=5)
    install()
    a = fresh(tree.a)
    assert extra_group.pk in step_groups(a.review_task)
    assert [t.pk for t in a.review_workflow.tasks] == [a.review_task_id, extra_task.pk]


def test_a_rename_onto_a_taken_group_name_still_works(tree):
    a = fresh(tree.a)
    Group.objects.create(name="丁村（测试镇） 编辑")
    a.title = "丁村"
    a.save_revision().publish()
    assert fresh(tree.a).editors_group.name == "丁村（测试镇） 编辑 (2)"
    install()
    assert fresh(tree.a).editors_group.name == "丁村（测试镇） 编辑 (2)"


def test_reminders_go_to_the_editors_group_by_key(tree, consultation):
    editors, _reviewers = ensure_community_groups(tree.a)
    make_user("editor-a@example.com", staff=True, groups=[editors])
    Group.objects.filter(pk=editors.pk).update(name="改过名的编辑组")
    assert responsible_editor_emails(consultation) == ["editor-a@example.com"]


# --- adopting what the name-based setup made ----------------------------------------------

adoption = import_module("consultations.migrations.0009_adopt_community_setup")


OLD_ROLES = {
    "editors_group": "编辑",
    "reviewers_group": "审核",
    "review_task": "社区审核",
    "review_workflow": "社区审核",
    "outcome_workflow": "协商成果发布",
    "officials_group": "官员",
    "area_review_task": "村(社区)审核",
}


def name_the_old_way():
    """What the setup before 0014 named everything: "<title> <role> #<page id>"."""
    for page in [*CommunityPage.objects.all(), *CommunityIndexPage.objects.all()]:
        for field in page.owned_setup_fields:
            role = OLD_ROLES.get(field) or {"county": "县级审批", "street": "街道审批"}.get(
                page.kind, "乡镇审批"
            )
            obj = getattr(page, field)
            if obj is not None:
                type(obj).objects.filter(pk=obj.pk).update(name=f"{page.title} {role} #{page.pk}")


def forget_keys():
    name_the_old_way()
    CommunityPage.objects.update(**{f"{name}_id": None for name in COMMUNITY_KEYS})
    CommunityIndexPage.objects.update(**{f"{name}_id": None for name in AREA_KEYS})


def test_the_data_migration_adopts_the_objects_named_after_each_page(tree):
    pages = [*CommunityPage.objects.all(), *CommunityIndexPage.objects.all()]
    owned = {page.pk: keys(page) for page in pages}
    a = fresh(tree.a)
    # What the old name-based setup left behind after a rename: the groups kept (and
    # renamed) by their "<role> #<id>" ending, a new task and workflow with the new name
    # assigned to the page, and the old ones orphaned.
    old_task = GroupApprovalTask.objects.create(name=f"甲村旧名 社区审核 #{a.pk}")
    old_workflow = Workflow.objects.create(name=f"甲村旧名 社区审核 #{a.pk}", active=True)
    WorkflowTask.objects.create(workflow=old_workflow, task=old_task, sort_order=0)
    old_outcome = Workflow.objects.create(name=f"甲村旧名 协商成果发布 #{a.pk}", active=True)
    Group.objects.filter(pk=owned[a.pk]["editors_group"]).update(name=f"甲村旧名 编辑 #{a.pk}")
    forget_keys()

    assert adoption.adopt_community_setup(apps) == sum(len(k) for k in owned.values())
    assert {page.pk: keys(page) for page in pages} == owned
    assert old_outcome.pk not in {k["outcome_workflow"] for k in owned.values()}
    # Running it again (or on adopted pages) changes nothing.
    assert adoption.adopt_community_setup(apps) == 0
    before = counts()
    install()
    assert counts() == before
    assert fresh(tree.a).editors_group.name == "甲村（测试镇） 编辑"


def test_the_data_migration_adopts_outcome_workflows_by_their_current_name(tree):
    a = fresh(tree.a)
    current = a.outcome_workflow_id
    Workflow.objects.create(name=f"甲村旧名 协商成果发布 #{a.pk}", active=True)
    forget_keys()
    adoption.adopt_community_setup(apps)
    assert fresh(tree.a).outcome_workflow_id == current


def test_the_data_migration_leaves_pages_without_such_objects_alone(tree):
    forget_keys()
    name_the_old_way()
    Group.objects.filter(name__endswith=f" 编辑 #{tree.b.pk}").delete()
    adoption.adopt_community_setup(apps)
    assert fresh(tree.b).editors_group_id is None
    install()
    assert fresh(tree.b).editors_group.name == "乙村（测试镇） 编辑"


# --- outcome workflow: made with the setup, read on GET --------------------------------------


def test_opening_an_outcome_in_the_admin_creates_no_workflow(client, tree):
    from tests.consultations.outcomes.factories import make_outcome

    consultation = make_consultation(tree.a)
    page = make_outcome(consultation, live=False)
    superuser = make_user("admin@example.com", superuser=True)
    assert client.login(email=superuser.email, password=PASSWORD)
    before = counts()
    response = client.get(f"/en/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    assert counts() == before
    assert (
        OutcomePage.objects.get(pk=page.pk).get_workflow().pk == fresh(tree.a).outcome_workflow_id
    )


def test_an_outcome_of_a_place_without_setup_has_no_workflow_and_makes_none(tree):
    from tests.consultations.outcomes.factories import make_outcome

    consultation = make_consultation(tree.a)
    page = make_outcome(consultation, live=False)
    CommunityPage.objects.filter(pk=tree.a.pk).update(outcome_workflow=None)
    before = counts()
    assert OutcomePage.objects.get(pk=page.pk).get_workflow() is None
    assert counts() == before
    # Setup (e.g. the install command) makes it again.
    assert ensure_outcome_workflow(consultation).pk == fresh(tree.a).outcome_workflow_id


def test_township_level_outcomes_use_the_area_steps(tree):
    cross = make_consultation(tree.township, slug="cross", title="跨村公路")
    township = fresh(tree.township)
    workflow = ensure_outcome_workflow(cross)
    assert workflow.pk == township.outcome_workflow_id
    steps = [t.pk for t in workflow.tasks]
    assert steps[:2] == [township.area_review_task_id, township_approval_task(township).pk]


def test_community_created_below_a_new_area_joins_its_first_step(tree):
    village = add_page(tree.township, CommunityPage(title="丁村", slug="village-d"))
    township = fresh(tree.township)
    assert fresh(village).reviewers_group_id in step_groups(township.area_review_task)
    assert community_review_task(village).pk == fresh(village).review_task_id


# --- 0014: names without internal ids -------------------------------------------------------

renaming = import_module("consultations.migrations.0014_chinese_names")


def test_the_data_migration_names_everything_without_ids(tree):
    name_the_old_way()
    assert renaming.rename_setup(apps) > 0
    a, township, county = fresh(tree.a), fresh(tree.township), fresh(tree.county)
    assert a.editors_group.name == "甲村（测试镇） 编辑"
    assert a.review_workflow.name == "甲村（测试镇） 社区审核"
    assert township.approval_workflow.name == "测试镇（测试县） 乡镇审批"
    assert township.area_review_task.name == "测试镇（测试县） 村（社区）审核"
    assert county.officials_group.name == "测试县 官员"
    for model in (Group, Task, Workflow):
        assert not model.objects.filter(name__contains="#").exists()
    # Again: nothing to do, and the live setup agrees with the migration.
    assert renaming.rename_setup(apps) == 0
    before = {
        model: list(model.objects.values_list("name", flat=True))
        for model in (Group, Task, Workflow)
    }
    install()
    assert {
        model: list(model.objects.values_list("name", flat=True))
        for model in (Group, Task, Workflow)
    } == before
