"""Staff screens: the ledger (wagtail-modeladmin) and the yearly compliance report.

The ledger's list, create, edit and inspect views are modeladmin's, with the portal's
permission predicates in place of Django's model permissions, and every write handed to
`operations`. The compliance report is a Wagtail ReportView over the communities of the
official's area; its figures come from `figures.compliance`.
"""

import django_filters
from django.contrib import messages
from django.contrib.admin import SimpleListFilter
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.views.reports import ReportView
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import (
    CreateView,
    DeleteView,
    EditView,
    HistoryView,
    IndexView,
    InspectView,
)

from consultations.communities.models import CommunityIndexPage, CommunityPage
from consultations.consultation_pages.models import Category, Format
from consultations.errors import ConsultationError
from consultations.exports import PortalExportMixin
from consultations.ledger import exports, figures, operations
from consultations.ledger.checklist import CHECKLIST_STEPS, STEP_LABELS, entry_checklist
from consultations.ledger.forms import CorrectionForm, LedgerEntryForm
from consultations.ledger.models import LedgerEntry, LedgerSettings, Source
from consultations.permissions import (
    AdminViewRequiresMixin,
    can_add_ledger_entry,
    can_change_ledger_entry,
    can_delete_ledger_entry,
    can_read_ledger_entry,
    can_see_compliance_report,
    can_see_ledger,
    compliance_communities_for,
    ledger_areas_for,
    ledger_communities_for,
    ledger_entries_for,
    refuse_unless,
)

# --- the ledger (modeladmin) -------------------------------------------------------------

MANUAL_PANELS = [
    MultiFieldPanel(
        [
            FieldPanel("community"),
            FieldPanel("area"),
            FieldPanel("communities"),
        ],
        heading=gettext_lazy("Where"),
    ),
    FieldRowPanel([FieldPanel("held_on"), FieldPanel("held_until")]),
    FieldPanel("topic"),
    FieldRowPanel([FieldPanel("category"), FieldPanel("format")]),
    FieldPanel("organiser"),
    FieldPanel("participant_groups"),
    FieldPanel("participants_recorded"),
    FieldPanel("consultation"),
    FieldPanel("outcome_summary"),
    FieldPanel("minutes"),
    InlinePanel("photos", label=gettext_lazy("Photos")),
]

CORRECTION_PANELS = [
    FieldPanel("participants_recorded"),
    FieldPanel("correction_note"),
    FieldPanel("outcome_summary"),
    FieldPanel("minutes"),
    InlinePanel("photos", label=gettext_lazy("Photos")),
]


class LedgerPermissionHelper(PermissionHelper):
    """The portal's predicates (consultations/permissions.py) instead of model permissions."""

    def user_can_list(self, user):
        return can_see_ledger(user)

    def user_can_create(self, user):
        return can_add_ledger_entry(user)

    def user_can_inspect_obj(self, user, obj):
        return can_read_ledger_entry(user, obj)

    def user_can_edit_obj(self, user, obj):
        return can_change_ledger_entry(user, obj)

    def user_can_delete_obj(self, user, obj):
        return can_delete_ledger_entry(user, obj)


class YearFilter(SimpleListFilter):
    title = gettext_lazy("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        dates = ledger_entries_for(request.user).dates("held_on", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in dates]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(held_on__year=int(self.value()))
        return queryset


class CommunityFilter(SimpleListFilter):
    title = gettext_lazy("community")
    parameter_name = "community"

    def lookups(self, request, model_admin):
        return [(str(c.pk), c.title) for c in ledger_communities_for(request.user).order_by("path")]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(communities=int(self.value()))
        return queryset


class TownshipFilter(SimpleListFilter):
    title = gettext_lazy("township or street")
    parameter_name = "township"

    def lookups(self, request, model_admin):
        areas = ledger_areas_for(request.user).filter(kind__in=["township", "street"])
        return [(str(a.pk), a.title) for a in areas.order_by("path")]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            area = CommunityIndexPage.objects.filter(pk=int(self.value())).first()
            if area is None:
                return queryset.none()
            return queryset.filter(
                communities__in=CommunityPage.objects.descendant_of(area)
            ).distinct()
        return queryset


class CatalogueFilter(SimpleListFilter):
    """Filter by a catalogue snippet (without Django's admin site, which the portal omits)."""

    model = None

    def lookups(self, request, model_admin):
        return [(str(item.pk), item.label) for item in self.model.objects.all()]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(**{self.parameter_name: int(self.value())})
        return queryset


class CategoryFilter(CatalogueFilter):
    title = gettext_lazy("topic category")
    parameter_name = "category"
    model = Category


class FormatFilter(CatalogueFilter):
    title = gettext_lazy("consultation format")
    parameter_name = "format"
    model = Format


class SourceFilter(SimpleListFilter):
    title = gettext_lazy("source")
    parameter_name = "source"

    def lookups(self, request, model_admin):
        return Source.choices

    def queryset(self, request, queryset):
        if self.value() in Source.values:
            return queryset.filter(source=self.value())
        return queryset


class LedgerIndexView(PortalExportMixin, IndexView):
    """modeladmin's list with its export (`?export=`): the entries as filtered and searched,
    in the columns of `exports.ledger_sheet`."""

    export_filename = "consultation-ledger"

    def get_export_sheets(self, queryset):
        entries = (
            queryset.select_related("category", "format", "community", "area", "outcome")
            .prefetch_related("communities", "participant_groups")
            .order_by("held_on", "pk")
        )
        return [exports.ledger_sheet(entries, timezone.localdate())]


class LedgerCreateView(CreateView):
    def form_valid(self, form):
        try:
            self.instance = operations.save_manual_entry(form, self.request.user)
        except ConsultationError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, self.get_success_message(self.instance))
        return redirect(self.get_success_url())


class LedgerEditView(EditView):
    def get_edit_handler(self):
        panels = CORRECTION_PANELS if self.instance.is_generated else MANUAL_PANELS
        form_class = CorrectionForm if self.instance.is_generated else LedgerEntryForm
        return ObjectList(panels, base_form_class=form_class).bind_to_model(LedgerEntry)

    def form_valid(self, form):
        try:
            if self.instance.is_generated:
                self.instance = operations.correct_entry(form, self.request.user)
            else:
                self.instance = operations.save_manual_entry(form, self.request.user)
        except ConsultationError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, self.get_success_message(self.instance))
        return redirect(self.url_helper.get_action_url("inspect", self.pk_quoted))


class LedgerDeleteView(DeleteView):
    def post(self, request, *args, **kwargs):
        try:
            operations.delete_manual_entry(self.instance, request.user)
        except ConsultationError as error:
            messages.error(request, error.message)
            return redirect(self.index_url)
        messages.success(request, _("The ledger entry was deleted."))
        return redirect(self.index_url)


class LedgerInspectView(InspectView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entry = self.instance
        context["entry"] = entry
        context["checklist"] = entry_checklist(entry, timezone.localdate())
        context["photos"] = entry.photos.select_related("image")
        return context


class LedgerHistoryView(HistoryView):
    """An entry's history names the entry and who changed it: for those who may read it
    (modeladmin's history view asks no permission of its own)."""

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_inspect_obj(user, self.instance)


class LedgerEntryAdmin(ModelAdmin):
    model = LedgerEntry
    menu_label = gettext_lazy("Ledger")
    menu_icon = "list-ul"
    menu_order = 250
    add_to_settings_menu = False
    inspect_view_enabled = True
    list_display = (
        "held_on",
        "topic",
        "place_title",
        "category",
        "format",
        "participants_display",
        "source",
    )
    list_filter = (
        YearFilter,
        CommunityFilter,
        TownshipFilter,
        CategoryFilter,
        FormatFilter,
        SourceFilter,
    )
    search_fields = ("topic", "organiser", "outcome_summary")
    ordering = ("-held_on", "-pk")
    list_per_page = 50
    # Shows modeladmin's export buttons; the columns are exports.ledger_sheet's.
    list_export = ("held_on", "topic")
    permission_helper_class = LedgerPermissionHelper
    index_view_class = LedgerIndexView
    create_view_class = LedgerCreateView
    edit_view_class = LedgerEditView
    delete_view_class = LedgerDeleteView
    inspect_view_class = LedgerInspectView
    history_view_class = LedgerHistoryView
    inspect_template_name = "consultations/ledger/admin/inspect.html"
    edit_handler = ObjectList(MANUAL_PANELS, base_form_class=LedgerEntryForm)

    def get_queryset(self, request):
        return (
            ledger_entries_for(request.user)
            .select_related("category", "format", "community", "area")
            .order_by("-held_on", "-pk")
        )

    def place_title(self, entry):
        place = entry.place
        return place.title if place else ""

    place_title.short_description = gettext_lazy("Community or township")

    def participants_display(self, entry):
        if entry.is_corrected:
            return _("%(recorded)d (computed %(computed)d)") % {
                "recorded": entry.participants_recorded,
                "computed": entry.participants_computed,
            }
        return entry.participants

    participants_display.short_description = gettext_lazy("Number of participants")


def ledger_export(request):
    """The older address of the ledger's export (`?format=`): the list's, same filters."""
    refuse_unless(can_see_ledger(request.user))
    query = request.GET.copy()
    file_format = query.pop("format", ["xlsx"])[-1]
    query["export"] = file_format if file_format in PortalExportMixin.FORMATS else "xlsx"
    return redirect(LedgerEntryAdmin().url_helper.index_url + "?" + query.urlencode())


# --- the yearly compliance report ---------------------------------------------------------


def report_years(today):
    first = LedgerEntry.objects.order_by("held_on").values_list("held_on", flat=True).first()
    start = min(first.year if first else today.year, today.year)
    return [(str(y), str(y)) for y in range(today.year, start - 1, -1)]


def _areas(request):
    user = request.user if request else None
    areas = ledger_areas_for(user) if user is not None else CommunityIndexPage.objects.none()
    return areas.order_by("path")


class ComplianceFilterSet(WagtailFilterSet):
    year = django_filters.ChoiceFilter(
        label=gettext_lazy("Year"), method="filter_year", empty_label=None, choices=[]
    )
    area = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Township, street or county"),
        queryset=_areas,
        method="filter_area",
        empty_label=gettext_lazy("All my communities"),
    )

    class Meta:
        model = CommunityPage
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["year"].extra["choices"] = report_years(timezone.localdate())

    def filter_year(self, queryset, name, value):
        return queryset  # the year chooses the figures, not the communities

    def filter_area(self, queryset, name, value):
        return queryset.descendant_of(value) if value else queryset


class ComplianceReport(AdminViewRequiresMixin, PortalExportMixin, ReportView):
    """Each community's activities for a year against the requirement (三(六)), the
    procedure checklist's completeness and overdue disclosures; totals per township."""

    page_title = gettext_lazy("Consultation compliance")
    header_icon = "list-ul"
    index_url_name = "ledger_admin:report"
    index_results_url_name = "ledger_admin:report_results"
    results_template_name = "consultations/ledger/admin/report_results.html"
    filterset_class = ComplianceFilterSet
    paginate_by = None
    print_view = False
    # Shows the report's export buttons; the sheets are exports.compliance_sheets'.
    list_export = ["title"]

    def user_is_allowed(self, user):
        return can_see_compliance_report(user)

    def get_queryset(self):
        return compliance_communities_for(self.request.user).live().order_by("path")

    def chosen_year(self):
        today = timezone.localdate()
        value = self.request.GET.get("year", "")
        years = {int(y) for y, _label in report_years(today)}
        return int(value) if value.isdigit() and int(value) in years else today.year

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        required = LedgerSettings.for_request(self.request).activities_per_year
        report = figures.compliance(self.chosen_year(), self.object_list, today, required)
        context["report"] = report
        context["object_list"] = report.rows
        context["charts"] = charts(report)
        context["step_labels"] = [(key, STEP_LABELS[key]) for key in CHECKLIST_STEPS]
        query = self.request.GET.copy()
        query.pop("export", None)
        context["query"] = query.urlencode()
        return context

    def get_filename(self):
        return f"consultation-compliance-{self.chosen_year()}"

    def get_export_sheets(self, queryset):
        return exports.compliance_sheets(self.report)

    def render_to_response(self, context, **response_kwargs):
        if self.is_export:
            self.report = context["report"]
        if self.print_view:
            return TemplateResponse(
                self.request, "consultations/ledger/admin/report_print.html", context
            )
        return super().render_to_response(context, **response_kwargs)


def bar_chart(title, data):
    """An inline SVG bar chart's geometry: [(label, value)] → bars with widths in %."""
    peak = max((value for _label, value in data), default=0) or 1
    return {
        "title": title,
        "bars": [
            {"label": label, "value": value, "width": round(value * 100 / peak, 1), "y": i * 24}
            for i, (label, value) in enumerate(data)
        ],
        "height": max(len(data) * 24, 24),
    }


def charts(report):
    months = [(_("Month %(n)d") % {"n": i + 1}, n) for i, n in enumerate(report.by_month)]
    return [
        bar_chart(_("Activities per month"), months),
        bar_chart(_("Activities per category"), report.by_category),
        bar_chart(
            _("Activities per township or street"),
            [(t["township"].title, t["activities"]) for t in report.townships],
        ),
    ]
