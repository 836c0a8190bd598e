"""Staff groups, tasks and workflows are named without internal ids.

Before, community setup named them "<title> <role> #<page id>"; now "<title>（<area>）
<role>", the area being the township, street or county directly above the page
(consultations/communities/operations.py, "names"). Renames what each page owns by its
keys; group names stay unique (" (2)" on a clash). Running it again changes nothing.
"""

from django.db import migrations

APPROVAL_NAMES = {"county": "县级审批", "township": "乡镇审批", "street": "街道审批"}
STEPLEN = 4  # treebeard's path step in Wagtail's page tree


def _label(page, role, titles, max_length=255):
    parent_title = titles.get(page.path[:-STEPLEN])
    place = f"{page.title}（{parent_title}）" if parent_title else page.title
    suffix = f" {role}"
    return place[: max_length - len(suffix)] + suffix


def _free_group_name(Group, name, pk):
    candidate, n = name, 1
    while Group.objects.filter(name=candidate).exclude(pk=pk).exists():
        n += 1
        tail = f" ({n})"
        candidate = name[: 150 - len(tail)] + tail
    return candidate


def rename_setup(apps, schema_editor=None):
    CommunityPage = apps.get_model("consultations", "CommunityPage")
    CommunityIndexPage = apps.get_model("consultations", "CommunityIndexPage")
    Group = apps.get_model("auth", "Group")
    Task = apps.get_model("wagtailcore", "Task")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    titles = dict(CommunityIndexPage.objects.values_list("path", "title"))
    wanted = []  # (model, pk, name)
    for page in CommunityPage.objects.all():
        wanted += [
            (Group, page.editors_group_id, _label(page, "编辑", titles, 150)),
            (Group, page.reviewers_group_id, _label(page, "审核", titles, 150)),
            (Task, page.review_task_id, _label(page, "社区审核", titles)),
            (Workflow, page.review_workflow_id, _label(page, "社区审核", titles)),
            (Workflow, page.outcome_workflow_id, _label(page, "协商成果发布", titles)),
        ]
    for area in CommunityIndexPage.objects.all():
        approval = APPROVAL_NAMES.get(area.kind, "乡镇审批")
        wanted += [
            (Group, area.officials_group_id, _label(area, "官员", titles, 150)),
            (Task, area.approval_task_id, _label(area, approval, titles)),
            (Task, area.area_review_task_id, _label(area, "村（社区）审核", titles)),
            (Workflow, area.approval_workflow_id, _label(area, approval, titles)),
            (Workflow, area.outcome_workflow_id, _label(area, "协商成果发布", titles)),
        ]
    renamed = 0
    for model, pk, name in wanted:
        if pk is None:
            continue
        if model is Group:
            name = _free_group_name(Group, name, pk)
        renamed += model.objects.filter(pk=pk).exclude(name=name).update(name=name)
    return renamed


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0013_merge_sealed_assisted"),
    ]

    operations = [
        migrations.RunPython(rename_setup, migrations.RunPython.noop, elidable=True),
    ]
