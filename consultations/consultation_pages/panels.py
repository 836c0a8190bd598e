"""The admin dashboard panel for community editors, reviewers and officials.

It answers the three questions staff open the admin with: where do our consultations
stand, what waits for my approval, and which deadlines come up in the next two weeks.
"""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component
from wagtail.models import TaskState

from consultations.permissions import approval_tasks_for, staff_page_scope

DEADLINE_DAYS = 14


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

        return {
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
