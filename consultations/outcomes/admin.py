"""Admin views for officials and editors: overdue reports and the implementation record."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.documents.widgets import AdminDocumentChooser
from wagtail.images.widgets import AdminImageChooser

from consultations.exports import PortalExportMixin, Spreadsheet
from consultations.models import DecisionItem, OutcomePage, ProgressUpdate
from consultations.permissions import (
    AdminViewRequiresMixin,
    can_override_legal_review,
    can_record_progress,
    can_see_reports,
    refuse_unless,
    report_pages,
)

from . import operations
from .exports import implementation_sheets


class OfficialsOnlyMixin(AdminViewRequiresMixin):
    """The deadline reports are for township/street and county officials (三(五))."""

    def user_is_allowed(self, user):
        return can_see_reports(user)


class OverdueConsultationsReport(OfficialsOnlyMixin, PortalExportMixin, ReportView):
    """Consultations past their disclosure deadline without a published outcome."""

    page_title = gettext_lazy("Overdue outcome announcements")
    header_icon = "warning"
    index_url_name = "outcomes_admin:overdue"
    index_results_url_name = "outcomes_admin:overdue_results"
    paginate_by = 50
    columns = [
        TitleColumn(
            "title",
            label=gettext_lazy("Consultation"),
            get_url=lambda page: reverse("wagtailadmin_pages:edit", args=[page.pk]),
        ),
        Column("place", label=gettext_lazy("Community or township")),
        DateColumn("outcome_due", label=gettext_lazy("Outcome due")),
        Column("days_late", label=gettext_lazy("Days overdue")),
    ]
    list_export = ["title", "place", "outcome_due", "days_late"]
    export_headings = {
        "title": gettext_lazy("Consultation"),
        "place": gettext_lazy("Community or township"),
        "outcome_due": gettext_lazy("Outcome due"),
        "days_late": gettext_lazy("Days overdue"),
    }
    export_sheet_title = gettext_lazy("Overdue outcomes")
    export_filename = "overdue-outcome-announcements"

    def get_queryset(self):
        today = timezone.localdate()
        editable = report_pages(self.request.user)
        return operations.overdue_consultations(today).filter(pk__in=editable.values("pk"))

    def decorate_paginated_queryset(self, object_list):
        today = timezone.localdate()
        for page in object_list:
            place = page.community or page.area
            page.place = place.title if place else ""
            page.days_late = (today - page.outcome_due).days
        return object_list


class OverdueItemsReport(OfficialsOnlyMixin, PortalExportMixin, ReportView):
    """Decision items past their due date and not done."""

    page_title = gettext_lazy("Overdue decisions")
    header_icon = "warning"
    index_url_name = "outcomes_admin:overdue_items"
    index_results_url_name = "outcomes_admin:overdue_items_results"
    paginate_by = 50
    columns = [
        TitleColumn(
            "decision",
            label=gettext_lazy("Decision"),
            get_url=lambda item: reverse("outcomes_admin:implementation", args=[item.page_id]),
        ),
        Column("outcome_title", label=gettext_lazy("Outcome announcement")),
        Column("responsible", label=gettext_lazy("Responsible")),
        DateColumn("due_date", label=gettext_lazy("Due")),
        Column("implementation_label", label=gettext_lazy("Implementation status")),
    ]
    list_export = [
        "decision",
        "outcome_title",
        "responsible",
        "due_date",
        "implementation_label",
        "days_late",
    ]
    export_headings = {
        "decision": gettext_lazy("Decision"),
        "outcome_title": gettext_lazy("Outcome announcement"),
        "responsible": gettext_lazy("Responsible"),
        "due_date": gettext_lazy("Due"),
        "implementation_label": gettext_lazy("Implementation status"),
        "days_late": gettext_lazy("Days overdue"),
    }
    export_sheet_title = gettext_lazy("Overdue decisions")
    export_filename = "overdue-decisions"

    def get_queryset(self):
        editable = report_pages(self.request.user)
        return operations.overdue_items(timezone.localdate()).filter(page__in=editable.values("pk"))

    def decorate_paginated_queryset(self, object_list):
        today = timezone.localdate()
        for item in object_list:
            item.outcome_title = item.page.title
            item.implementation_label = item.get_implementation_display()
            item.days_late = (today - item.due_date).days
        return object_list


class ProgressUpdateForm(forms.ModelForm):
    class Meta:
        model = ProgressUpdate
        fields = ["date", "text", "new_status", "image", "document"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "text": forms.Textarea(attrs={"rows": 3}),
            "image": AdminImageChooser,
            "document": AdminDocumentChooser,
        }


def _editable_outcome(request, page_id):
    page = get_object_or_404(OutcomePage, pk=page_id)
    refuse_unless(can_record_progress(request.user, page))
    return page


def implementation(request, page_id):
    """The implementation record of one outcome: each item's progress, and a form to add one.

    Progress is recorded here rather than in the page editor, so that it is kept even
    when an older revision of the announcement is republished.
    """
    page = _editable_outcome(request, page_id)
    if not page.live:
        raise Http404(_("Progress can be recorded once the outcome is published."))
    items = list(page.decision_items.all().prefetch_related("updates"))
    spreadsheet = Spreadsheet(request, f"implementation-{page.pk}")
    if spreadsheet.is_export:
        return spreadsheet.response(implementation_sheets(items))
    form_item, form = None, None
    if request.method == "POST":
        item_id = request.POST.get("item")
        form_item = next((item for item in items if str(item.pk) == item_id), None)
        if form_item is None:
            raise Http404
        form = ProgressUpdateForm(request.POST, prefix=f"item-{form_item.pk}")
        if form.is_valid():
            operations.record_progress(form_item, user=request.user, **form.cleaned_data)
            messages.success(request, _("Progress recorded."))
            return redirect("outcomes_admin:implementation", page.pk)
    for item in items:
        item.progress_form = (
            form if item is form_item else ProgressUpdateForm(prefix=f"item-{item.pk}")
        )
    return TemplateResponse(
        request,
        "consultations/outcomes/admin/implementation.html",
        {
            "page": page,
            "items": items,
            "media": ProgressUpdateForm().media,
            "spreadsheet": spreadsheet,
        },
    )


def item_redirect(request, item_id):
    item = get_object_or_404(DecisionItem, pk=item_id)
    return redirect("outcomes_admin:implementation", item.page_id)


class LegalOverrideForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is the legal review skipped?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Shown on the public page with the announcement."),
    )


def legal_override(request, page_id):
    """A superuser publishes the latest version without the legal review, saying why."""
    page = get_object_or_404(OutcomePage, pk=page_id)
    refuse_unless(can_override_legal_review(request.user, page))
    form = LegalOverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            operations.publish_with_legal_override(
                page, user=request.user, reason=form.cleaned_data["reason"]
            )
        except operations.OutcomeError as error:
            form.add_error(None, error.message)
        else:
            messages.warning(request, _("Published without the legal review; this is logged."))
            return redirect("wagtailadmin_pages:edit", page.pk)
    return TemplateResponse(
        request,
        "consultations/outcomes/admin/legal_override.html",
        {"page": page, "form": form},
    )
