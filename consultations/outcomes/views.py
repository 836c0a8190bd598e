"""Resident-facing outcome views. Each reads the request, calls one operation, renders."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from consultations.models import Category, CommunityPage
from consultations.outcomes.models import DecisionStatus, ImplementationStatus
from consultations.permissions import visible_pages
from portal.db_router import replica_reads

from . import operations
from .forms import TrackerFilterForm

ITEMS_PER_PAGE = 20


def tracker(request, community_id=None):
    """All decision items with status, progress and overdue flags (三(五): disclosure)."""
    status_choices = [
        ("overdue", _("Overdue")),
        *ImplementationStatus.choices,
        *DecisionStatus.choices,
    ]
    filters_form = TrackerFilterForm(request.GET, status_choices=status_choices)
    filters = filters_form.filters
    community = None
    if community_id is not None:
        community = get_object_or_404(
            visible_pages(CommunityPage.objects, request), pk=community_id
        )
    elif "community" in filters:
        community = (
            visible_pages(CommunityPage.objects, request).filter(pk=filters["community"]).first()
        )
    status = filters.get("status")
    year = filters.get("year")
    category = filters.get("category")
    today = timezone.localdate()
    items = operations.tracker_items(
        community=community,
        category=category,
        status=status,
        year=year,
        today=today,
        request=request,
    )

    def decisions():
        with replica_reads():  # a listing: the replica may serve it (portal/db_router.py)
            page_obj = Paginator(items, ITEMS_PER_PAGE).get_page(filters.get("page", 1))
            page_obj.object_list = list(page_obj.object_list)
            for item in page_obj.object_list:
                item.is_overdue_flag = item.is_overdue(today)
        return page_obj

    # Looked up when the template first asks: while the tracker's shared fragment is fresh
    # (`{% cache %}` in tracker.html, home/page_cache.py), none of these queries run.
    page_obj = SimpleLazyObject(decisions)
    return render(
        request,
        "consultations/outcomes/tracker.html",
        {
            "community": community,
            "page_obj": page_obj,
            "items": SimpleLazyObject(lambda: page_obj.object_list),
            "communities": visible_pages(CommunityPage.objects, request).order_by("path"),
            "categories": Category.objects.all(),
            "status_choices": status_choices,
            "filters_ignored": filters_form.ignored,
            "years": SimpleLazyObject(lambda: operations.tracker_years(request)),
            "selected": {
                "community": community.pk if community else None,
                "category": category,
                "status": status,
                "year": year,
            },
        },
    )
