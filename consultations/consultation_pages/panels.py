"""The admin dashboard panel for community editors, reviewers and officials.

It answers the three questions staff open the admin with: where do our consultations
stand, what waits for my approval, and which deadlines come up in the next two weeks.
"""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.components import Component
from wagtail.models import TaskState

from consultations.permissions import approval_tasks_for, staff_page_scope

DEADLINE_DAYS = 14

# Worded for who looks: an official sees their county, township or street ("本乡镇"),
# editors and reviewers their communities ("本村（社区）").
HEADINGS = {
    "county": gettext_lazy("Consultations in your county"),
    "township": gettext_lazy("Consultations in your township"),
    "street": gettext_lazy("Consultations in your street"),
    None: gettext_lazy("Consultations in your communities"),
}
EMPTY = {
    "county": gettext_lazy("There is no consultation in your county yet."),
    "township": gettext_lazy("There is no consultation in your township yet."),
    "street": gettext_lazy("There is no consultation in your street yet."),
    None: gettext_lazy("There is no consultation in your communities yet."),
}


def official_area_kind(user):
    """The kind of the widest area `user` is an official of (county first), or None."""
    from consultations.models import CommunityIndexPage

    kinds = set(
        CommunityIndexPage.objects.filter(officials_group__in=user.groups.all()).values_list(
            "kind", flat=True
        )
    )
    for kind in ("county", "township", "street"):
        if kind in kinds:
            return kind
    return None


class ConsultationsPanel(Component):
    name = "consultations"
    template_name = "consultations/consultation_pages/dashboard_panel.html"
    order = 50

    def __init__(self, user, scope):
        self.user = user
        self.scope = scope

    def get_context_data(self, parent_context):
        from consultations.models import ConsultationPage, Stage

        today = timezone.localdate()
        horizon = today + timedelta(days=DEADLINE_DAYS)
        consultations = ConsultationPage.objects.filter(self.scope)

        counts = {
            row["stage"]: row["n"]
            for row in consultations.order_by().values("stage").annotate(n=Count("pk"))
        }
        by_stage = [
            {"value": value, "label": label, "count": counts.get(value, 0)}
            for value, label in Stage.choices
        ]

        # Consultations in a workflow step this user may approve.
        tasks = approval_tasks_for(self.user)
        waiting_ids = TaskState.objects.filter(
            status=TaskState.STATUS_IN_PROGRESS,
            task__in=tasks.values("pk"),
            workflow_state__base_content_type__app_label="wagtailcore",
            workflow_state__base_content_type__model="page",
        ).values_list("workflow_state__object_id", flat=True)
        awaiting = list(
            consultations.filter(pk__in=[int(pk) for pk in waiting_ids]).order_by("path")
        )

        deadlines = []
        upcoming = consultations.live().filter(
            Q(input_closes__range=(today, horizon))
            | Q(meeting_at__date__range=(today, horizon))
            | Q(outcome_due__range=(today, horizon))
        )
        for page in upcoming:
            for label, value in (
                (_("Input closes"), page.input_closes),
                (_("Meeting or hearing"), page.meeting_at and timezone.localdate(page.meeting_at)),
                (_("Outcome due"), page.outcome_due),
            ):
                if value and today <= value <= horizon:
                    deadlines.append({"page": page, "label": label, "date": value})
        deadlines.sort(key=lambda item: item["date"])

        kind = None if self.user.is_superuser else official_area_kind(self.user)
        return {
            "panel_heading": HEADINGS[kind],
            "empty_text": EMPTY[kind],
            "by_stage": by_stage,
            "total": sum(counts.values()),
            "awaiting": awaiting,
            "deadlines": deadlines,
            "deadline_days": DEADLINE_DAYS,
        }


def consultations_panel_for(user):
    scope = staff_page_scope(user)
    if scope is None:
        return None
    return ConsultationsPanel(user, scope)
