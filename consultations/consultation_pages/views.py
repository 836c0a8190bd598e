"""Site search across consultations and every page attached to them."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from wagtail.models import Page, Site

from consultations.permissions import visible_pages
from portal.db_router import replica_reads

from .search import cjk_query

SEARCH_PER_PAGE = 10
MAX_QUERY_LENGTH = 200


def search(request):
    """Wagtail search over live, public pages of this site; `q` is the query."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    # Looked up when the template first asks: while the results' shared fragment is fresh
    # (`{% cache %}` in search.html, home/page_cache.py), the search runs no query.
    page_obj = SimpleLazyObject(lambda: _results(request, query)) if query else None
    return render(
        request,
        "consultations/consultation_pages/search.html",
        {"query": query, "page_obj": page_obj},
    )


def _results(request, query):
    """One page of results for `query` (non-empty), each as its specific page."""
    with replica_reads():  # a listing: the replica may serve it (portal/db_router.py)
        return _search(request, query)


def _search(request, query):
    pages = visible_pages(Page.objects.all(), request)
    site = Site.find_for_request(request)
    if site is not None:
        pages = pages.in_site(site)
    terms = cjk_query(query)
    results = pages.search(terms, operator="and") if terms else pages.none()
    page_obj = Paginator(results, SEARCH_PER_PAGE).get_page(request.GET.get("page"))
    # One query per page type instead of one per result.
    ids = [result.pk for result in page_obj.object_list]
    specific = {page.pk: page for page in Page.objects.filter(pk__in=ids).specific()}
    page_obj.object_list = [specific[pk] for pk in ids if pk in specific]
    # And one query for the parents' titles shown beside each result.
    parent_paths = {page.path[: -Page.steplen] for page in page_obj.object_list}
    titles = dict(Page.objects.filter(path__in=parent_paths).values_list("path", "title"))
    for page in page_obj.object_list:
        page.parent_title = titles.get(page.path[: -Page.steplen], "")
    return page_obj
