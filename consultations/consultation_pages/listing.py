"""Filtering, counting and paginating consultations for the index and community pages.

Filters come from GET parameters (community, category, stage, format, year) so that the
form works without JavaScript and every filtered list has its own address. Each option
shows how many consultations it would give together with the other filters chosen
(faceted counts): one grouped query per filter, never a query per consultation.
"""

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, ExtractYear, Substr, TruncDate
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from home.input_guard import ListingFilterForm, PageNumberField, YearField

PER_PAGE = 12


class ConsultationFilterForm(ListingFilterForm):
    """The listing's GET parameters; each choice field offers what the visitor may pick."""

    community = forms.ChoiceField(required=False)
    category = forms.ChoiceField(required=False)
    stage = forms.ChoiceField(required=False)
    format = forms.ChoiceField(required=False)
    year = YearField()
    page = PageNumberField()

    def __init__(self, data, *, choices):
        super().__init__(data)
        for name, values in choices.items():
            self.fields[name].choices = [("", ""), *((value, value) for value in values)]


def consultations_of_community(queryset, community):
    """Consultations under `community`, and township-level ones that cover it."""
    from consultations.models import ConsultationPage

    covered = ConsultationPage.covered_communities.through.objects.filter(
        communitypage_id=community.pk
    ).values("consultationpage_id")
    return queryset.filter(
        Q(path__startswith=community.path, depth=community.depth + 1) | Q(pk__in=covered)
    )


class ConsultationListing:
    """The consultations of `queryset` filtered by the request's GET parameters.

    Attributes for templates: `page_obj`, `facets` (each with `name`, `label`, `options`
    of `value`, `label`, `count`, `selected`), `is_filtered`, `total`.
    """

    def __init__(self, request, queryset, *, with_community_filter=False, per_page=PER_PAGE):
        from portal.db_router import replica_reads

        # A listing may be read from the replica (portal/db_router.py): all its queries,
        # the current page's rows included, run here.
        with replica_reads():
            self._build(request, queryset, with_community_filter, per_page)

    def _build(self, request, queryset, with_community_filter, per_page):
        from consultations.consultation_pages.models import catalogue
        from consultations.models import CommunityPage, Stage

        self.request = request
        self.base = queryset.annotate(
            year=ExtractYear(Coalesce("notice_date", TruncDate("first_published_at")))
        )
        params = request.GET
        self.invalid = []

        from consultations.permissions import visible_pages

        self.communities = (
            list(
                visible_pages(CommunityPage.objects.all(), request)
                .order_by("path")
                .only("pk", "title", "path")
            )
            if with_community_filter
            else []
        )
        self.categories, self.formats = catalogue()
        self.stages = [(value, label) for value, label in Stage.choices if value != Stage.DRAFT]

        self.selected = {}  # name -> value to filter on (object, string or year)
        self.raw = {}  # name -> the parameter as given, to mark the chosen option
        valid = {
            "community": {str(c.pk): c for c in self.communities},
            "category": {c.slug: c for c in self.categories},
            "stage": {value: value for value, _label in self.stages},
            "format": {f.slug: f for f in self.formats},
        }
        # Bounded fields (home/input_guard.py): an unknown choice, a year out of range or
        # a page below 1 is left out and the page says so.
        form = ConsultationFilterForm(
            {name: value.strip() for name, value in params.items()},
            choices={name: list(options) for name, options in valid.items()},
        )
        filters = form.filters
        self.invalid = form.ignored
        for name, options in valid.items():
            if name in filters:
                self.selected[name] = options[filters[name]]
                self.raw[name] = filters[name]
        if "year" in filters:
            self.selected["year"] = filters["year"]
            self.raw["year"] = str(filters["year"])

        filtered = self._filtered(exclude=None)
        ordered = filtered.select_related("category", "format").order_by(
            F("notice_date").desc(nulls_last=True), "-first_published_at", "-pk"
        )
        self.page_obj = Paginator(ordered, per_page).get_page(filters.get("page", 1))
        self.page_obj.object_list = list(self.page_obj.object_list)
        self.total = self.page_obj.paginator.count
        self.is_filtered = bool(self.selected)
        self.facets = self._facets()

    # --- filtering -----------------------------------------------------------------------

    def _apply(self, queryset, name, value):
        if name == "community":
            return consultations_of_community(queryset, value)
        if name == "category":
            return queryset.filter(category=value)
        if name == "format":
            return queryset.filter(format=value)
        if name == "stage":
            return queryset.filter(stage=value)
        if name == "year":
            return queryset.filter(year=value)
        raise ValueError(name)

    def _filtered(self, exclude):
        queryset = self.base
        for name, value in self.selected.items():
            if name != exclude:
                queryset = self._apply(queryset, name, value)
        return queryset

    # --- counts per option ---------------------------------------------------------------

    def _counts(self, name):
        queryset = self._filtered(exclude=name).order_by()
        if name == "community":
            return self._community_counts(queryset)
        field = {"category": "category_id", "format": "format_id"}.get(name, name)
        return {row[field]: row["n"] for row in queryset.values(field).annotate(n=Count("pk"))}

    def _community_counts(self, queryset):
        from consultations.models import ConsultationPage

        # A consultation's own community is its parent: group by the parent's path.
        parent_path = Substr("path", 1, (F("depth") - 1) * Page.steplen)
        by_path = {
            row["parent_path"]: row["n"]
            for row in queryset.annotate(parent_path=parent_path)
            .values("parent_path")
            .annotate(n=Count("pk"))
        }
        covered = {
            row["communitypage_id"]: row["n"]
            for row in ConsultationPage.covered_communities.through.objects.filter(
                consultationpage_id__in=queryset.values("pk")
            )
            .values("communitypage_id")
            .annotate(n=Count("consultationpage_id"))
        }
        return {c.pk: by_path.get(c.path, 0) + covered.get(c.pk, 0) for c in self.communities}

    def _facets(self):
        facets = []
        if self.communities:
            counts = self._counts("community")
            facets.append(
                self._facet(
                    "community",
                    _("Community"),
                    [(str(c.pk), c.title, counts.get(c.pk, 0)) for c in self.communities],
                )
            )
        counts = self._counts("category")
        facets.append(
            self._facet(
                "category",
                _("Topic category"),
                [(c.slug, c.label, counts.get(c.pk, 0)) for c in self.categories],
            )
        )
        counts = self._counts("stage")
        facets.append(
            self._facet(
                "stage",
                _("Stage"),
                [(value, label, counts.get(value, 0)) for value, label in self.stages],
            )
        )
        counts = self._counts("format")
        facets.append(
            self._facet(
                "format",
                _("Consultation format"),
                [(f.slug, f.label, counts.get(f.pk, 0)) for f in self.formats],
            )
        )
        counts = self._counts("year")
        years = sorted((y for y in counts if y), reverse=True)
        facets.append(self._facet("year", _("Year"), [(str(y), str(y), counts[y]) for y in years]))
        return facets

    def _facet(self, name, label, options):
        selected_value = self.raw.get(name)
        if selected_value and not any(value == selected_value for value, _l, _c in options):
            # A chosen year with no consultation left still shows as chosen.
            options = [*options, (selected_value, selected_value, 0)]
        return {
            "name": name,
            "label": label,
            "options": [
                {
                    "value": value,
                    "label": option_label,
                    "count": count,
                    "selected": value == selected_value,
                }
                for value, option_label, count in options
            ],
        }
