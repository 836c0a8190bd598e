"""Admin integration: the ledger (modeladmin), the compliance report, the dashboard
panel, the checklist button on consultations, and the ledger's log action names."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import HeaderButton
from wagtail_modeladmin.options import modeladmin_register

from consultations.ledger import admin
from consultations.ledger.models import Source
from consultations.ledger.panels import CompliancePanel
from consultations.permissions import can_see_compliance_report, ledger_entries_for

modeladmin_register(admin.LedgerEntryAdmin)

admin_urlpatterns = [
    path("report/", admin.ComplianceReport.as_view(), name="report"),
    path(
        "report/results/",
        admin.ComplianceReport.as_view(results_only=True),
        name="report_results",
    ),
    path("report/print/", admin.ComplianceReport.as_view(print_view=True), name="report_print"),
    path("export/", admin.ledger_export, name="export"),
]


@hooks.register("register_admin_urls")
def register_ledger_admin_urls():
    return [path("ledger/", include((admin_urlpatterns, "ledger_admin")))]


class OfficialsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_compliance_report(request.user)


@hooks.register("register_reports_menu_item")
def register_compliance_report_menu_item():
    return OfficialsMenuItem(
        _("Consultation compliance"),
        reverse("ledger_admin:report"),
        name="consultation-compliance",
        icon_name="list-ul",
        order=640,
    )


@hooks.register("construct_homepage_panels")
def add_compliance_panel(request, panels):
    if can_see_compliance_report(request.user):
        panels.append(CompliancePanel(request.user))


@hooks.register("register_page_header_buttons")
def checklist_button(page, user, view_name, next_url=None):
    """On a consultation's admin pages: its ledger entry with the procedure checklist."""
    from consultations.consultation_pages.models import ConsultationPage

    if page.specific_class is not ConsultationPage:
        return
    entry = (
        ledger_entries_for(user)
        .filter(consultation_id=page.pk, source=Source.GENERATED)
        .values_list("pk", flat=True)
        .first()
    )
    if entry:
        yield HeaderButton(
            _("Procedure checklist"),
            url=admin.LedgerEntryAdmin().url_helper.get_action_url("inspect", entry),
            icon_name="tasks",
            priority=45,
        )


@hooks.register("register_log_actions")
def register_ledger_log_actions(actions):
    actions.register_action(
        "consultations.ledger.create", _("Add ledger entry"), _("Ledger entry added")
    )
    actions.register_action(
        "consultations.ledger.edit", _("Edit ledger entry"), _("Ledger entry edited")
    )
    actions.register_action(
        "consultations.ledger.correct", _("Correct ledger figures"), _("Ledger figures corrected")
    )
    actions.register_action(
        "consultations.ledger.delete", _("Delete ledger entry"), _("Ledger entry deleted")
    )
