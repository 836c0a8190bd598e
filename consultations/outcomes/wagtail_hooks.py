"""Admin integration: deadline reports, dashboard panel, implementation record."""

from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import HeaderButton

from consultations.models import OutcomePage
from consultations.permissions import (
    can_override_legal_review,
    can_record_progress,
    can_see_reports,
    report_pages,
)

from . import admin, operations

admin_urlpatterns = [
    path("overdue/", admin.OverdueConsultationsReport.as_view(), name="overdue"),
    path(
        "overdue/results/",
        admin.OverdueConsultationsReport.as_view(results_only=True),
        name="overdue_results",
    ),
    path("overdue-items/", admin.OverdueItemsReport.as_view(), name="overdue_items"),
    path(
        "overdue-items/results/",
        admin.OverdueItemsReport.as_view(results_only=True),
        name="overdue_items_results",
    ),
    path("<id:page_id>/implementation/", admin.implementation, name="implementation"),
    path("items/<id:item_id>/", admin.item_redirect, name="item"),
    path("<id:page_id>/override/", admin.legal_override, name="override"),
]


@hooks.register("register_admin_urls")
def register_outcome_admin_urls():
    return [path("outcomes/", include((admin_urlpatterns, "outcomes_admin")))]


class OfficialsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_reports(request.user)


@hooks.register("register_reports_menu_item")
def register_overdue_report_menu_item():
    return OfficialsMenuItem(
        _("Overdue outcomes"),
        reverse("outcomes_admin:overdue"),
        name="overdue-outcomes",
        icon_name="warning",
        order=650,
    )


@hooks.register("register_reports_menu_item")
def register_overdue_items_menu_item():
    return OfficialsMenuItem(
        _("Overdue decisions"),
        reverse("outcomes_admin:overdue_items"),
        name="overdue-decisions",
        icon_name="warning",
        order=660,
    )


class OverduePanel(Component):
    """Dashboard panel: what is past its disclosure or implementation deadline."""

    name = "overdue_outcomes"
    template_name = "consultations/outcomes/admin/overdue_panel.html"
    order = 90

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        today = timezone.localdate()
        editable = report_pages(request.user).values("pk")
        consultations = operations.overdue_consultations(today).filter(pk__in=editable)
        items = operations.overdue_items(today).filter(page__in=editable)
        return {
            "consultations": consultations[:10],
            "consultation_count": consultations.count(),
            "items": items[:10],
            "item_count": items.count(),
            "today": today,
        }


@hooks.register("construct_homepage_panels")
def add_overdue_panel(request, panels):
    if can_see_reports(request.user):
        panels.append(OverduePanel())


@hooks.register("after_edit_page")
def land_on_the_published_outcome(request, page):
    """A legal reviewer who confirms an outcome from its editor may not edit it any more
    once it is live: land on the published outcome instead of a permission error."""
    if not isinstance(page.specific, OutcomePage) or "action-workflow-action" not in request.POST:
        return None
    live = OutcomePage.objects.filter(pk=page.pk, live=True).first()
    if live is not None and not live.permissions_for_user(request.user).can_edit():
        return redirect(live.get_url())
    return None


@hooks.register("register_log_actions")
def register_outcome_log_actions(actions):
    """Progress recorded on a decision is kept in the outcome page's history."""
    actions.register_action(
        "consultations.outcomes.progress", _("Record progress"), _("Progress recorded")
    )
    actions.register_action(
        "consultations.outcomes.override_legal_review",
        _("Publish without legal review"),
        _("Published without legal review"),
    )
    actions.register_action(
        "consultations.outcomes.publish_refused",
        _("Refuse publication without legal review"),
        _("Publication refused: no legal review of this version"),
    )


@hooks.register("register_page_header_buttons")
def implementation_record_button(page, user, view_name, next_url=None):
    if page.specific_class is OutcomePage and page.live and can_record_progress(user, page):
        yield HeaderButton(
            _("Implementation record"),
            url=reverse("outcomes_admin:implementation", args=[page.pk]),
            icon_name="list-ul",
            priority=40,
        )


@hooks.register("register_page_header_buttons")
def legal_override_button(page, user, view_name, next_url=None):
    if page.specific_class is OutcomePage and can_override_legal_review(user, page):
        yield HeaderButton(
            _("Publish without legal review"),
            url=reverse("outcomes_admin:override", args=[page.pk]),
            icon_name="warning",
            priority=90,
        )
