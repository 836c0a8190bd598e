"""Community setup: the staff groups and publishing workflows of each community and area.

* "<community> 社区审核" (community review): the community's reviewers (e.g. the
  supervisory committee, 村务监督委员会) approve a consultation before it goes live.
  Assigned to each CommunityPage, so it covers every page below it.
* "<township> 乡镇审批" (township approval), for consultations that sit directly under a
  township, street or county page (cross-community matters, 三(二)): first a review by
  the reviewers of the communities below that area (the communities concerned check the
  content), then the area's officials approve and publish. Assigned to the area page;
  community pages below it carry their own workflow, which takes precedence.
* "<place> 协商成果发布" (outcome publication): the outcome capability's workflow
  (community review → township approval → legal review), made with the setup of the
  community or area it serves (consultations/outcomes/operations.py).

Officials of an area are members of every approval task below it, so they can approve
anything in their township or county.

Each page holds keys to what it owns (CommunityPage: editors and reviewers groups,
review task and workflow, outcome workflow; CommunityIndexPage: officials group,
approval and area-review tasks, approval and outcome workflows). Setup finds them by
these keys, never by name: names only follow the page (title, kind, the area above it), so renaming or
moving a page renames what it owns and creates nothing new. Everything here is
idempotent. It runs when a page is created (the `after_create_page` hook and a post-save
signal), when its title changes or it moves (signals.py), from `load_demo` and from the
`consultations_install_workflows` command; never while a page is viewed.

The outcome capability builds its workflow from `community_review_task`,
`township_approval_task` and `area_review_task`; their names and signatures are a
contract.
"""

import contextvars
import logging

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from consultations.communities.models import CommunityIndexPage, CommunityPage

logger = logging.getLogger(__name__)

# Set while an area renames what the pages below it own (one level, no recursion).
_children_renamed = contextvars.ContextVar("children_renamed", default=False)

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

# What the approval step of an area is called, by the area's kind.
APPROVAL_NAMES = {"county": "县级审批", "township": "乡镇审批", "street": "街道审批"}


# --- names ---------------------------------------------------------------------------
# Names are labels that follow the page: its title and the area it sits in, e.g.
# "东村（青石镇） 社区审核", so that staff can tell two villages of the same name apart
# without an internal id. They are never used to find anything (the page holds the keys);
# group names, which must be unique, get " (2)" in the rare case of a clash.


def _place(page):
    """The page's title with the area directly above it, "东村（青石镇）" (or the title alone)."""
    cached = getattr(page, "_setup_place", None)
    if cached is not None and cached[0] == (page.path, page.title):
        return cached[1]
    parent_title = (
        CommunityIndexPage.objects.filter(path=page.path[: -page.steplen])
        .values_list("title", flat=True)
        .first()
        if page.depth and page.depth > 1
        else None
    )
    place = f"{page.title}（{parent_title}）" if parent_title else page.title
    page._setup_place = ((page.path, page.title), place)
    return place


def _label(page, role, max_length=255):
    suffix = f" {role}"
    return _place(page)[: max_length - len(suffix)] + suffix


def community_group_names(community):
    return (_label(community, "编辑", 150), _label(community, "审核", 150))


def area_group_name(area):
    return _label(area, "官员", 150)


def community_review_name(community):
    return _label(community, "社区审核")


def approval_name(area):
    return _label(area, APPROVAL_NAMES.get(area.kind, "乡镇审批"))


_approval_name = approval_name  # the former private name


def area_review_name(area):
    return _label(area, "村（社区）审核")


def outcome_workflow_name(place):
    return _label(place, "协商成果发布")


def owned_names(page):
    """{field: name} of everything `page` (a community or area) owns."""
    if isinstance(page, CommunityPage):
        editors, reviewers = community_group_names(page)
        return {
            "editors_group": editors,
            "reviewers_group": reviewers,
            "review_task": community_review_name(page),
            "review_workflow": community_review_name(page),
            "outcome_workflow": outcome_workflow_name(page),
        }
    return {
        "officials_group": area_group_name(page),
        "approval_task": approval_name(page),
        "area_review_task": area_review_name(page),
        "approval_workflow": approval_name(page),
        "outcome_workflow": outcome_workflow_name(page),
    }


# --- owned objects, by key --------------------------------------------------------------


def _as(page, model):
    return page if isinstance(page, model) else page.specific


def _free_group_name(name, group_pk=None):
    """`name`, or `name (2)`, `name (3)`… if another group has it (group names are unique)."""
    candidate, n = name, 1
    while Group.objects.filter(name=candidate).exclude(pk=group_pk).exists():
        n += 1
        tail = f" ({n})"
        candidate = name[: 150 - len(tail)] + tail
    return candidate


def _rename(obj, name):
    if isinstance(obj, Group):
        name = _free_group_name(name, obj.pk)
    if obj.name != name:
        obj.name = name
        obj.save(update_fields=["name"])


def _create(model, name):
    if model is Group:
        return Group.objects.create(name=_free_group_name(name))
    if model is Workflow:
        return Workflow.objects.create(name=name, active=True)
    return model.objects.create(name=name)


def _owned(page, field, model, name):
    """What `page` owns under `field`, named `name`: (object, created).

    The key is read from the database (the instance may be stale) with the page row
    locked, so that two setups of the same page do not both create it.
    """
    page_model = type(page)
    attname = page_model._meta.get_field(field).attname
    with transaction.atomic():
        key = (
            page_model.objects.select_for_update()
            .filter(pk=page.pk)
            .values_list(attname, flat=True)
            .first()
        )
        obj = model.objects.filter(pk=key).first() if key else None
        created = obj is None
        if created:
            obj = _create(model, name)
            page_model.objects.filter(pk=page.pk).update(**{attname: obj.pk})
        else:
            _rename(obj, name)
    setattr(page, field, obj)
    return obj, created


def rename_owned(page):
    """Rename what a community or area page owns after its title (or kind) changed.

    Cheap when nothing changed (a few queries, no writes); creates nothing.
    """
    page = _as(page, (CommunityPage, CommunityIndexPage))
    if not isinstance(page, (CommunityPage, CommunityIndexPage)):
        return
    names = owned_names(page)
    page_model = type(page)
    keys = (
        page_model.objects.filter(pk=page.pk)
        .values(*[page_model._meta.get_field(field).attname for field in names])
        .first()
    )
    if keys is None:
        return
    by_model = {}
    for field, name in names.items():
        key = keys[page_model._meta.get_field(field).attname]
        if key:
            model = page_model._meta.get_field(field).related_model
            by_model.setdefault(model, {})[key] = name
    for model, wanted in by_model.items():
        for obj in model.objects.filter(pk__in=wanted):
            _rename(obj, wanted[obj.pk])
    if isinstance(page, CommunityIndexPage) and not _children_renamed.get():
        # The names of the pages directly below carry this area's title.
        token = _children_renamed.set(True)
        try:
            for model in (CommunityPage, CommunityIndexPage):
                for child in model.objects.child_of(page):
                    rename_owned(child)
        finally:
            _children_renamed.reset(token)


def _grant_staff_permissions(group):
    wanted = set()
    for app_label, codename in STAFF_PERMISSIONS:
        wanted.update(
            Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).values_list("pk", flat=True)[:1]
        )
    if missing := wanted - set(group.permissions.values_list("pk", flat=True)):
        group.permissions.add(*missing)


def _grant_page_permissions(group, page, codenames):
    for codename in codenames:
        permission = Permission.objects.get(
            content_type__app_label="wagtailcore", codename=codename
        )
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def _owned_group(page, field, name, codenames, repair):
    group, created = _owned(page, field, Group, name)
    if created or repair:
        _grant_staff_permissions(group)
        _grant_page_permissions(group, page, codenames)
    return group


def ensure_community_groups(community, *, repair=True):
    """The editor and reviewer groups of a CommunityPage, created or renamed as needed.

    With `repair`, their permissions are granted again (idempotent); without, only when
    a group is new (for callers that merely need the groups).
    """
    community = _as(community, CommunityPage)
    editors_name, reviewers_name = community_group_names(community)
    editors = _owned_group(
        community, "editors_group", editors_name, EDITOR_PAGE_PERMISSIONS, repair
    )
    reviewers = _owned_group(
        community, "reviewers_group", reviewers_name, REVIEWER_PAGE_PERMISSIONS, repair
    )
    return editors, reviewers


def ensure_area_officials_group(area, *, repair=True):
    """The officials group of a county or township page, created or renamed as needed."""
    area = _as(area, CommunityIndexPage)
    return _owned_group(
        area, "officials_group", area_group_name(area), OFFICIAL_PAGE_PERMISSIONS, repair
    )


def responsible_group(place):
    """The group answering for a place's consultations, read by key (no writes): the
    editors of a community, the officials of an area; None before setup has run."""
    if place is None:
        return None
    if isinstance(place, CommunityPage):
        group_id = CommunityPage.objects.filter(pk=place.pk).values_list(
            "editors_group_id", flat=True
        )
    else:
        group_id = CommunityIndexPage.objects.filter(pk=place.pk).values_list(
            "officials_group_id", flat=True
        )
    return Group.objects.filter(pk__in=group_id).first()


# --- tasks and workflows ----------------------------------------------------------------


def _areas_above(page):
    """The county/township/street pages above `page`, nearest first (and `page` itself if
    it is one)."""
    return list(CommunityIndexPage.objects.ancestor_of(page, inclusive=True).order_by("-depth"))


def _officials_groups(page):
    return [ensure_area_officials_group(area, repair=False) for area in _areas_above(page)]


def _managed_group_ids():
    """Groups owned by some community or area (the ones setup may take out of a task)."""
    ids = set(CommunityIndexPage.objects.values_list("officials_group_id", flat=True))
    for editors, reviewers in CommunityPage.objects.values_list(
        "editors_group_id", "reviewers_group_id"
    ):
        ids.update((editors, reviewers))
    ids.discard(None)
    return ids


def _managed_task_ids():
    ids = set(CommunityPage.objects.values_list("review_task_id", flat=True))
    for approval, review in CommunityIndexPage.objects.values_list(
        "approval_task_id", "area_review_task_id"
    ):
        ids.update((approval, review))
    ids.discard(None)
    return ids


def _set_task_groups(task, groups):
    """Make `groups` the members of `task`. Groups no community or area owns (added by
    hand in the admin) stay; owned groups that no longer belong (after a move) leave."""
    wanted = {group.pk for group in groups}
    current = set(task.groups.values_list("pk", flat=True))
    if missing := wanted - current:
        task.groups.add(*missing)
    if (extra := current - wanted) and (stale := extra & _managed_group_ids()):
        task.groups.remove(*stale)


def _owned_task(page, field, name, groups):
    task, _created = _owned(page, field, GroupApprovalTask, name)
    _set_task_groups(task, groups)
    return task


def _set_workflow_tasks(workflow, tasks):
    """Make `tasks` the steps of `workflow`, in order. Steps added by hand in the admin
    stay after them; steps owned by a community or area that no longer belong (after a
    move) leave."""
    links = {link.task_id: link for link in WorkflowTask.objects.filter(workflow=workflow)}
    current = sorted(links, key=lambda task_id: links[task_id].sort_order or 0)
    wanted = [task.pk for task in tasks]
    others = [task_id for task_id in current if task_id not in wanted]
    if others:
        managed = _managed_task_ids()
        others = [task_id for task_id in others if task_id not in managed]
    order = wanted + others
    if current == order:
        return
    WorkflowTask.objects.filter(workflow=workflow).exclude(task_id__in=order).delete()
    for sort_order, task_id in enumerate(order):
        link = links.get(task_id)
        if link is None:
            WorkflowTask.objects.create(workflow=workflow, task_id=task_id, sort_order=sort_order)
        elif link.sort_order != sort_order:
            WorkflowTask.objects.filter(pk=link.pk).update(sort_order=sort_order)


def _assign(workflow, page):
    link = WorkflowPage.objects.filter(page=page).first()
    if link is None:
        WorkflowPage.objects.create(page=page, workflow=workflow)
    elif link.workflow_id != workflow.pk:
        link.workflow = workflow
        link.save(update_fields=["workflow"])


def owned_workflow(page, field, name, tasks, *, assign=False):
    """The workflow `page` owns under `field`, named `name`, with `tasks` as its steps;
    with `assign`, also the workflow of `page` and the pages below it."""
    workflow, _created = _owned(page, field, Workflow, name)
    _set_workflow_tasks(workflow, tasks)
    if assign:
        _assign(workflow, page)
    return workflow


def community_review_task(community):
    """The approval step of a community: its reviewers, and the officials above it."""
    community = _as(community, CommunityPage)
    _editors, reviewers = ensure_community_groups(community, repair=False)
    return _owned_task(
        community,
        "review_task",
        community_review_name(community),
        [reviewers, *_officials_groups(community)],
    )


def township_approval_task(area):
    """The approval step of a township/street (or county): its officials and those above."""
    area = _as(area, CommunityIndexPage)
    return _owned_task(area, "approval_task", approval_name(area), _officials_groups(area))


def area_review_task(area):
    """The first step for an area-level consultation: reviewers of the communities below.

    Officials of the area are members too, so the step never waits on an area that has
    no community reviewers yet.
    """
    area = _as(area, CommunityIndexPage)
    reviewers = [
        ensure_community_groups(community, repair=False)[1]
        for community in CommunityPage.objects.descendant_of(area).order_by("path")
    ]
    return _owned_task(
        area, "area_review_task", area_review_name(area), [*reviewers, *_officials_groups(area)]
    )


def ensure_community_workflow(community):
    """The "community review" workflow, assigned to the CommunityPage."""
    community = _as(community, CommunityPage)
    return owned_workflow(
        community,
        "review_workflow",
        community_review_name(community),
        [community_review_task(community)],
        assign=True,
    )


def ensure_area_workflow(area):
    """The "township approval" workflow, assigned to the township (or county) page."""
    area = _as(area, CommunityIndexPage)
    return owned_workflow(
        area,
        "approval_workflow",
        approval_name(area),
        [area_review_task(area), township_approval_task(area)],
        assign=True,
    )


def _ensure_outcome_workflow(place):
    from consultations.outcomes.operations import ensure_place_outcome_workflow

    ensure_place_outcome_workflow(place)


def ensure_community_setup(community):
    """Groups and workflows of a community; its reviewers join the areas' review steps."""
    community = _as(community, CommunityPage)
    with transaction.atomic():
        ensure_community_groups(community)
        ensure_community_workflow(community)
        for area in _areas_above(community):
            if area.area_review_task_id:
                area_review_task(area)  # adds this community's reviewers to the first step
        _ensure_outcome_workflow(community)


def ensure_area_setup(area):
    """Officials group and workflows of a county, township or street page."""
    area = _as(area, CommunityIndexPage)
    with transaction.atomic():
        ensure_area_officials_group(area)
        ensure_area_workflow(area)
        _ensure_outcome_workflow(area)


def ensure_setup(page):
    """The setup of a community or area page (other pages: nothing)."""
    page = _as(page, (CommunityPage, CommunityIndexPage))
    if isinstance(page, CommunityPage):
        ensure_community_setup(page)
    elif isinstance(page, CommunityIndexPage):
        ensure_area_setup(page)


def setup_after_move(page, old_parent=None):
    """After `page` moved: the officials above its communities and areas changed, and so
    did the communities below the areas it left and joined. Renames and regroups; creates
    nothing for pages that were already set up."""
    page = Page.objects.get(pk=page.pk).specific
    if not isinstance(page, (CommunityPage, CommunityIndexPage)):
        return
    with transaction.atomic():
        areas = list(CommunityIndexPage.objects.descendant_of(page, inclusive=True))
        if old_parent is not None:
            areas += _areas_above(old_parent)
        areas += _areas_above(page.get_parent())
        seen = set()
        for area in sorted(areas, key=lambda area: area.path):
            if area.pk not in seen:
                seen.add(area.pk)
                ensure_area_setup(area)
        for community in CommunityPage.objects.descendant_of(page, inclusive=True):
            ensure_community_setup(community)


def install_all():
    """Set up every area and community (the `consultations_install_workflows` command).

    Returns (number of areas, number of communities).
    """
    with transaction.atomic():
        areas = list(CommunityIndexPage.objects.order_by("path"))
        for area in areas:
            ensure_area_setup(area)
        communities = list(CommunityPage.objects.order_by("path"))
        for community in communities:
            ensure_community_setup(community)
    return len(areas), len(communities)
