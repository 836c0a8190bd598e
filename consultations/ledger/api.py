"""The public ledger as open data: `/api/v2/ledger/` (Wagtail API v2).

The same entries as the communities' public records: activities held by today, and only
those whose consultation is live without a view restriction. `?community=<id>` gives a
community's own entries and `?area=<id>` a township's own activities; a community's
record JSON (`…/record/json/`) also counts the township activities that cover it.
"""

from django.db.models import Q
from django.utils import timezone
from wagtail.api.v2.filters import OrderingFilter
from wagtail.api.v2.views import BaseAPIViewSet

from consultations.ledger.models import LedgerEntry
from consultations.permissions import public_record_pages
from home.api import BoundedFieldsFilter, BoundedPagination


class LedgerEntriesAPIViewSet(BaseAPIViewSet):
    model = LedgerEntry
    name = "ledger"
    # Hostile parameters answer 400 (home/api.py).
    filter_backends = [BoundedFieldsFilter, OrderingFilter]
    pagination_class = BoundedPagination
    body_fields = BaseAPIViewSet.body_fields + [
        "held_on",
        "held_until",
        "topic",
        "organiser",
        "source",
        "community",
        "area",
        "consultation",
        "outcome",
        "participants",
        "hearing_attended",
        "ballots_online",
        "ballots_assisted",
        "ballots_paper",
        "suggestions",
        "suggestions_answered",
    ]
    listing_default_fields = BaseAPIViewSet.listing_default_fields + [
        "held_on",
        "topic",
        "community",
        "participants",
    ]

    def get_queryset(self):
        from consultations.consultation_pages.models import ConsultationPage

        visible = public_record_pages(ConsultationPage.objects.all())
        return (
            LedgerEntry.objects.filter(held_on__lte=timezone.localdate())
            .filter(Q(consultation__isnull=True) | Q(consultation__in=visible))
            .select_related("community", "area", "consultation", "outcome")
            .order_by("-held_on", "-pk")
        )
