"""The admin's view of the page tree, narrowed to the pages a staff member holds rights on.

Wagtail's page types usage report counts and names pages across the whole tree (the most
recently edited page of each type, drafts included); here it counts and names only the
pages the user may administer (`permissions.pages_user_may_administer`), so an editor of
one community never reads another community's draft titles. `admin_overrides` puts the
report at Wagtail's own address, ahead of Wagtail's admin URLs (portal/urls.py).
"""

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.models import Page

from consultations.permissions import pages_user_may_administer


class ScopedPageTypesUsageReport(PageTypesUsageReportView):
    """Page types usage, counting only the pages the user holds rights on."""

    def get_queryset(self):
        queryset = super().get_queryset()
        user = self.request.user
        if user.is_superuser:
            return queryset
        scope = Q(pk__in=pages_user_may_administer(user).values("pk"))
        data = self.filters.form.cleaned_data
        if data.get("page_locale"):
            scope &= Q(locale__language_code=data["page_locale"])
        if data.get("site"):
            scope &= Q(path__startswith=data["site"])
        pages = Page.objects.filter(scope)
        latest = pages.filter(content_type=OuterRef("pk")).order_by(
            F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk"
        )
        return queryset.annotate(
            count=Count("pages", filter=Q(pages__in=pages)),
            last_edited_page_id=Subquery(latest.values("pk")[:1]),
        ).order_by("-count", "app_label", "model")


def _admin_view(view):
    # What Wagtail wraps each of its admin URLs in: the admin's sign-in check, no caching.
    return never_cache(require_admin_access(view))


admin_overrides = [
    path(
        "admin/reports/page-types-usage/",
        _admin_view(ScopedPageTypesUsageReport.as_view()),
        name="portal_page_types_usage",
    ),
    path(
        "admin/reports/page-types-usage/results/",
        _admin_view(ScopedPageTypesUsageReport.as_view(results_only=True)),
        name="portal_page_types_usage_results",
    ),
]
