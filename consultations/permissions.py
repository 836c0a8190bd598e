"""Who may do what: groups and page permissions that follow the administrative tree.

Editors of a community edit only below their CommunityPage; reviewers of a community
approve its consultations; officials of a township or county approve and publish
everything below their CommunityIndexPage (DESIGN.md §4).
"""

from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission

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
