"""Community setup: the staff groups and publishing workflows of each community and area.

* "<community> 社区审核" (community review): the community's reviewers (e.g. the
  supervisory committee, 村务监督委员会) approve a consultation before it goes live.
  Assigned to each CommunityPage, so it covers every page below it.
* "<township> 乡镇审批" (township approval), for consultations that sit directly under a
  township, street or county page (cross-community matters, 三(二)): first a review by
  the reviewers of the communities below that area (the communities concerned check the
  content), then the area's officials approve and publish. Assigned to the area page;
  community pages below it carry their own workflow, which takes precedence.

Officials of an area are members of every approval task below it, so they can approve
anything in their township or county. Groups, tasks and workflows are created when a
CommunityPage or CommunityIndexPage is created (the `after_create_page` hook and a
post-save signal), and again, idempotently, by `load_demo`.

The outcome capability builds its own three-step workflow from `community_review_task`
and `township_approval_task`; their names and signatures are a contract.
"""

from django.contrib.auth.models import Group, Permission
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from consultations.communities.models import CommunityIndexPage, CommunityPage

# --- staff groups ---------------------------------------------------------------------
# Editors of a community edit only below their CommunityPage; reviewers of a community
# approve its consultations; officials of a township or county approve and publish
# everything below their CommunityIndexPage.

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
REVIEWER_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
OFFICIAL_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]

# Model permissions every staff group needs to work in the admin: reach it, and choose
# images and documents for consultation pages.
STAFF_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
]


def _grant_staff_permissions(group):
    for app_label, codename in STAFF_PERMISSIONS:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission:
            group.permissions.add(permission)


def _grant_page_permissions(group, page, codenames):
    for codename in codenames:
        permission = Permission.objects.get(
            content_type__app_label="wagtailcore", codename=codename
        )
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def community_group_names(community):
    # The page id keeps names unique when two villages share a name.
    return (f"{community.title} 编辑 #{community.pk}", f"{community.title} 审核 #{community.pk}")


def _named_group(name, page):
    """The group called `name`, found by its role and page id (the name's ending) so that
    renaming a page renames its group instead of leaving the members in an old one."""
    suffix = name[len(page.title) :]
    group = Group.objects.filter(name__endswith=suffix).order_by("pk").first()
    if group is None:
        return Group.objects.create(name=name)
    if group.name != name:
        group.name = name
        group.save(update_fields=["name"])
    return group


def ensure_community_groups(community):
    """Create (or complete) the editor and reviewer groups of a CommunityPage."""
    editor_name, reviewer_name = community_group_names(community)
    editors = _named_group(editor_name, community)
    reviewers = _named_group(reviewer_name, community)
    for group, codenames in (
        (editors, EDITOR_PAGE_PERMISSIONS),
        (reviewers, REVIEWER_PAGE_PERMISSIONS),
    ):
        _grant_staff_permissions(group)
        _grant_page_permissions(group, community, codenames)
    return editors, reviewers


def area_group_name(area):
    return f"{area.title} 官员 #{area.pk}"


def ensure_area_officials_group(area):
    """Create (or complete) the officials group of a county or township page."""
    officials = _named_group(area_group_name(area), area)
    _grant_staff_permissions(officials)
    _grant_page_permissions(officials, area, OFFICIAL_PAGE_PERMISSIONS)
    return officials


# --- workflows ------------------------------------------------------------------------


def _areas_above(page):
    """The county/township/street pages above `page`, nearest first (and `page` itself if
    it is one)."""
    return list(CommunityIndexPage.objects.ancestor_of(page, inclusive=True).order_by("-depth"))


def _officials_groups(page):
    return [ensure_area_officials_group(area) for area in _areas_above(page)]


def _task(name, groups):
    task = GroupApprovalTask.objects.filter(name=name).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=name)
    task.groups.add(*groups)
    return task


def _workflow(name, tasks, page):
    workflow = Workflow.objects.filter(name=name).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=name, active=True)
    for index, task in enumerate(tasks):
        if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=index)
    WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    return workflow


def community_review_task(community):
    """The approval step of a community: its reviewers, and the officials above it."""
    _editors, reviewers = ensure_community_groups(community)
    return _task(
        f"{community.title} 社区审核 #{community.pk}", [reviewers, *_officials_groups(community)]
    )


# What the approval step of an area is called, by the area's kind.
APPROVAL_NAMES = {"county": "县级审批", "township": "乡镇审批", "street": "街道审批"}


def _approval_name(area):
    return f"{area.title} {APPROVAL_NAMES.get(area.kind, '乡镇审批')} #{area.pk}"


def township_approval_task(area):
    """The approval step of a township/street (or county): its officials and those above."""
    return _task(_approval_name(area), _officials_groups(area))


def area_review_task(area):
    """The first step for an area-level consultation: reviewers of the communities below.

    Officials of the area are members too, so the step never waits on an area that has
    no community reviewers yet.
    """
    reviewers = [
        ensure_community_groups(community)[1]
        for community in CommunityPage.objects.descendant_of(area)
    ]
    return _task(f"{area.title} 村(社区)审核 #{area.pk}", [*reviewers, *_officials_groups(area)])


def ensure_community_workflow(community):
    """The "community review" workflow, assigned to the CommunityPage."""
    return _workflow(
        f"{community.title} 社区审核 #{community.pk}",
        [community_review_task(community)],
        community,
    )


def ensure_area_workflow(area):
    """The "township approval" workflow, assigned to the township (or county) page."""
    return _workflow(
        _approval_name(area),
        [area_review_task(area), township_approval_task(area)],
        area,
    )


def ensure_community_setup(community):
    """Groups and workflow of a new community; its reviewers join the areas' review steps."""
    community = community.specific if not isinstance(community, CommunityPage) else community
    ensure_community_workflow(community)
    for area in _areas_above(community):
        if WorkflowPage.objects.filter(page=area).exists():
            area_review_task(area)  # adds this community's reviewers to the first step


def ensure_area_setup(area):
    """Officials group and workflow of a new county, township or street page."""
    ensure_area_officials_group(area)
    ensure_area_workflow(area)
