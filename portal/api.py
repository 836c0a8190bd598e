"""Wagtail API v2: published pages, images and documents as open data.

Each page type names its fields with `api_fields` (`?type=consultations.ConsultationPage
&fields=*`); a type may also define `api_queryset(queryset)`, which joins or prefetches
what those fields read, so a listing takes the same number of queries for 1 item or 100.
Poll results are served only in a poll's detail view, and only once the public may see
them (`results_visible_to`).
"""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from consultations.ledger.api import LedgerEntriesAPIViewSet


class PortalPagesAPIViewSet(PagesAPIViewSet):
    detail_only_fields = [*PagesAPIViewSet.detail_only_fields, "results"]

    def get_queryset(self):
        # The `locale` meta field of every item, joined instead of a query each.
        queryset = super().get_queryset().select_related("locale")
        api_queryset = getattr(queryset.model, "api_queryset", None)
        return api_queryset(queryset) if api_queryset else queryset


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PortalPagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
api_router.register_endpoint("ledger", LedgerEntriesAPIViewSet)
