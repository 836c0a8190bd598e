"""Existing communities and areas adopt the groups, tasks and workflows they already have.

Before 0008, community setup found its objects by name: "<title> <role> #<page id>".
This migration fills the new keys from that naming scheme so that existing databases
keep their groups (and members), tasks and workflows (and workflow states):

* groups: the oldest group whose name ends with " <role> #<page id>" (the one the old
  setup kept renaming);
* review and approval workflows: the workflow assigned to the page, if it is one of its
  own (renaming a page used to create a new one and assign it); else the newest with
  the page's role and id, preferring the current name;
* tasks: the matching task of that workflow; else the newest, preferring the current name;
* outcome workflows: the newest " 协商成果发布 #<page id>", preferring the current name.

Objects left behind by the old renames are kept (they may carry workflow history) but no
page owns them. Keys already set are left alone, so running it again changes nothing.
`adopt_community_setup` uses only the `apps` it is given (historical models); tests call
it with the live app registry.
"""

from django.db import migrations

APPROVAL_ROLES = ("县级审批", "乡镇审批", "街道审批")


def _suffixes(page, roles):
    return tuple(f" {role} #{page.pk}" for role in roles)


def _named(queryset, suffixes):
    matching = queryset.none()
    for suffix in suffixes:
        matching = matching | queryset.filter(name__endswith=suffix)
    return matching


def _preferred(queryset, current_name):
    return (
        queryset.filter(name=current_name).order_by("-pk").first()
        or queryset.order_by("-pk").first()
    )


def adopt_community_setup(apps, schema_editor=None):
    """Fill the setup keys of every community and area page; returns how many were set."""
    Group = apps.get_model("auth", "Group")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    CommunityPage = apps.get_model("consultations", "CommunityPage")
    CommunityIndexPage = apps.get_model("consultations", "CommunityIndexPage")

    def group(page, role):
        return _named(Group.objects.all(), _suffixes(page, [role])).order_by("pk").first()

    def workflow(page, roles, current_name, assigned=True):
        suffixes = _suffixes(page, roles)
        if assigned:
            link = WorkflowPage.objects.filter(page_id=page.pk).first()
            if link is not None:
                candidate = Workflow.objects.get(pk=link.workflow_id)
                if candidate.name.endswith(suffixes):
                    return candidate
        return _preferred(_named(Workflow.objects.all(), suffixes), current_name)

    def task(page, roles, current_name, in_workflow):
        candidates = _named(GroupApprovalTask.objects.all(), _suffixes(page, roles))
        if in_workflow is not None:
            steps = WorkflowTask.objects.filter(workflow_id=in_workflow.pk)
            used = candidates.filter(pk__in=steps.values("task_id")).order_by("-pk").first()
            if used is not None:
                return used
        return _preferred(candidates, current_name)

    def adopt(model, page, found):
        keys = {
            f"{field}_id": obj.pk
            for field, obj in found.items()
            if obj is not None and getattr(page, f"{field}_id") is None
        }
        if keys:
            model.objects.filter(pk=page.pk).update(**keys)
        return len(keys)

    adopted = 0
    for page in CommunityPage.objects.order_by("path"):
        title, pk = page.title, page.pk
        review = workflow(page, ["社区审核"], f"{title} 社区审核 #{pk}")
        adopted += adopt(
            CommunityPage,
            page,
            {
                "editors_group": group(page, "编辑"),
                "reviewers_group": group(page, "审核"),
                "review_workflow": review,
                "review_task": task(page, ["社区审核"], f"{title} 社区审核 #{pk}", review),
                "outcome_workflow": workflow(
                    page, ["协商成果发布"], f"{title} 协商成果发布 #{pk}", assigned=False
                ),
            },
        )
    for page in CommunityIndexPage.objects.order_by("path"):
        title, pk = page.title, page.pk
        role = {"county": "县级审批", "street": "街道审批"}.get(page.kind, "乡镇审批")
        approval = workflow(page, APPROVAL_ROLES, f"{title} {role} #{pk}")
        adopted += adopt(
            CommunityIndexPage,
            page,
            {
                "officials_group": group(page, "官员"),
                "approval_workflow": approval,
                "approval_task": task(page, APPROVAL_ROLES, f"{title} {role} #{pk}", approval),
                "area_review_task": task(
                    page, ["村(社区)审核"], f"{title} 村(社区)审核 #{pk}", approval
                ),
                "outcome_workflow": workflow(
                    page, ["协商成果发布"], f"{title} 协商成果发布 #{pk}", assigned=False
                ),
            },
        )
    return adopted


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0008_community_setup_keys"),
    ]

    operations = [
        migrations.RunPython(adopt_community_setup, migrations.RunPython.noop, elidable=True),
    ]
