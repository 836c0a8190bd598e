"""Names staff see in the Chinese admin are Chinese and carry no internal ids.

* Community setup's groups, tasks and workflows:

  before, "<title> <role> #<page id>"; now "<title>（<area>） <role>", the area being the
  township, street or county directly above the page (consultations/communities/
  operations.py, "names"). Renamed by the keys each page holds; group names stay unique
  (" (2)" on a clash).
* The legal review's group and task (consultations/outcomes/operations.py finds them by
  these names): "法律审核 legal reviewers" → "法律审核人员", "法律审核 legal review" → "法律审核".
* What Wagtail's own migrations made in English, when still so named: the "Moderators"
  and "Editors" groups, the "Moderators approval" workflow and task, the "Root" page and the
  "Welcome to your new Wagtail site!" page.

Running it again changes nothing.
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


RENAMES = [
    # (app label, model, old name, new name)
    ("auth", "Group", "法律审核 legal reviewers", "法律审核人员"),
    ("wagtailcore", "Task", "法律审核 legal review", "法律审核"),
    ("auth", "Group", "Moderators", "审核员"),
    ("auth", "Group", "Editors", "编辑人员"),
    ("wagtailcore", "Workflow", "Moderators approval", "审核员审批"),
    ("wagtailcore", "Task", "Moderators approval", "审核员审批"),
]


def rename_english(apps, schema_editor=None):
    for app_label, model_name, old, new in RENAMES:
        model = apps.get_model(app_label, model_name)
        if not model.objects.filter(name=new).exists():
            model.objects.filter(name=old).update(name=new)
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=1, title="Root").update(title="根页面", draft_title="根页面")
    welcome = "Welcome to your new Wagtail site!"
    Page.objects.filter(depth=2, title=welcome).update(title="初始页面", draft_title="初始页面")


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0013_merge_sealed_assisted"),
    ]

    operations = [
        migrations.RunPython(rename_setup, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(rename_english, migrations.RunPython.noop, elidable=True),
    ]
