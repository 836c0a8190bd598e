"""The officials' dashboard panel: what to fix before the year's inspection (三(六))."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import Page

from consultations.ledger import figures
from consultations.ledger.models import LedgerEntry, LedgerSettings
from consultations.permissions import compliance_communities_for, staff_page_scope

UPCOMING_DAYS = 30


class CompliancePanel(Component):
    name = "ledger_compliance"
    template_name = "consultations/ledger/admin/dashboard_panel.html"
    order = 60

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        from consultations.outcomes.operations import overdue_consultations
        from consultations.suggestions.models import Suggestion

        request = parent_context["request"]
        today = timezone.localdate()
        communities = compliance_communities_for(self.user).live()
        required = LedgerSettings.for_request(request).activities_per_year
        report = figures.compliance(today.year, communities, today, required)
        below = [row for row in report.rows if row.below_requirement]
        upcoming = (
            LedgerEntry.objects.filter(
                communities__in=communities,
                held_on__gt=today,
                held_on__lte=today + timedelta(days=UPCOMING_DAYS),
            )
            .distinct()
            .select_related("consultation", "community", "area")
            .order_by("held_on")[:10]
        )
        scope = staff_page_scope(self.user) or Q(pk__in=[])
        overdue = overdue_consultations(today).filter(scope)[:10]
        unanswered = (
            Suggestion.objects.filter(status=Suggestion.Status.PUBLISHED, answer_status="")
            .filter(page__in=Page.objects.filter(scope).values("pk"))
            .select_related("page")
            .order_by("submit_time")[:10]
        )
        return {
            "year": today.year,
            "required": required,
            "below": below,
            "months_left": figures.months_left(today.year, today),
            "upcoming": upcoming,
            "overdue": overdue,
            "unanswered": unanswered,
            "upcoming_days": UPCOMING_DAYS,
        }
