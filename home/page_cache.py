"""The anonymous page cache: whole responses for visitors who are not signed in.

Built on Django's cache framework (`django.core.cache`, Redis when `REDIS_URL` is set, the
local memory cache otherwise) and Wagtail's page signals. `wagtail-cache`, the usual
package for this, does not support Wagtail 8 yet.

What is cached: the answer to a GET or HEAD from a visitor without a session or messages
cookie, status 200, that sets no cookie, used no CSRF token, added no message, changed no
session, and is not marked private, no-cache or no-store — Wagtail marks every page with a
view restriction (password, sign-in, groups) so, whoever passed it. Pages, routes, listings, feeds, the sitemap and the API all
pass through it; the admin, accounts, documents and private files never do.

How long: `PORTAL_PAGE_CACHE_SECONDS` (default 30), so a figure that changes with residents'
actions (seats left, turnout, public results, support counts) is never older than that.
A page published, unpublished, moved or deleted, a catalogue snippet or a site setting
saved, makes every cached response stale at once: the cache keys carry a version that
those signals replace (`invalidate()`), so parents, listings, home sections and feeds that
show the page are fresh too. With a frontend cache configured
(`WAGTAILFRONTENDCACHE`), the same events purge the page, its ancestors and the listings.

Whatever is not stored because it was made for one visitor leaves with `Cache-Control:
private` (`mark_personal_private`), so no CDN or proxy in front keeps it either.

Several processes must share the cache (set `REDIS_URL`): the local memory cache is one
per process, so a version replaced in one worker would not reach another.
"""

import contextvars
import hashlib
import time
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers

VERSION_KEY = "pagecache:version"
# A kept response is renewed by the first request after this share of its time has passed
# (one request: the others are served the kept copy meanwhile, which never outlives
# `PORTAL_PAGE_CACHE_SECONDS`); a renewal not finished within RENEWAL_SECONDS is retried.
RENEW_AT = 0.8
RENEWAL_SECONDS = 10
# Never cached, whoever asks: staff, accounts, files behind permission checks.
EXCLUDED_PREFIXES = ("/admin/", "/accounts/", "/documents/", "/media/", "/static/")
# Never kept by any cache, in the browser or in front of the portal: allauth's account pages.
PERSONAL_PREFIXES = ("/accounts/",)


def _cache():
    return caches[getattr(settings, "PORTAL_PAGE_CACHE_ALIAS", "default")]


def timeout():
    return getattr(settings, "PORTAL_PAGE_CACHE_SECONDS", 30)


# The version as this request first read it: every cache key of a request (the response,
# the route, remembered facts, fragments) carries it, and one read per request is enough.
# Set by the middleware for the length of a request; a replacement made by this request
# (`invalidate()`) updates it, one made by another process is seen by the next request.
_request_version = contextvars.ContextVar("page_cache_request_version", default=None)


def current_version():
    memo = _request_version.get()
    if memo:
        return memo[0]
    cache = _cache()
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(VERSION_KEY, version, None):
            version = cache.get(VERSION_KEY, version)
    if memo is not None:
        memo.append(version)
    return version


def _replace_version():
    version = uuid.uuid4().hex
    _cache().set(VERSION_KEY, version, None)
    memo = _request_version.get()
    if memo is not None:
        memo[:] = [version]


def invalidate():
    """Make every cached response stale, now and again once the transaction commits.

    Now, so that the same request (and a test inside a transaction) sees it; at commit, so
    that a response rendered by another request before the commit is not kept.
    """
    _replace_version()
    transaction.on_commit(_replace_version)


def language_neutral_path(path):
    """The path without a language prefix, to match EXCLUDED_PREFIXES."""
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if path.startswith(prefix):
            return path[len(prefix) - 1 :]
    return path


def _request_is_cacheable(request):
    if request.method not in ("GET", "HEAD") or timeout() <= 0:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False  # signed in, or carrying a session (a passed page password, a basket)
    if getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in request.COOKIES:
        return False
    if language_neutral_path(request.path).startswith(EXCLUDED_PREFIXES):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _key(request):
    digest = hashlib.sha256(f"{request.get_host()}|{request.get_full_path()}".encode()).hexdigest()
    # The "larger text" switch changes the page (home.views.text_size): one variant each.
    text = "large" if request.COOKIES.get("portal_text_size") == "large" else "normal"
    # "page:" (the earlier "pagecache:" entries held the response alone): an older copy of
    # the portal running beside this one during an upgrade never reads these.
    return f"page:{current_version()}:{translation.get_language()}:{text}:{digest}"


def _response_is_personal(request, response):
    if response.cookies:
        return True
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return True  # the page carries a CSRF token (a form)
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return True
    storage = getattr(request, "_messages", None)
    if storage is not None and (storage.added_new or storage.used):
        return True
    cache_control = response.get("Cache-Control", "")
    return any(word in cache_control for word in ("private", "no-store", "no-cache"))


def _storable(request, response):
    return (
        response.status_code == 200
        and not response.streaming
        and not _response_is_personal(request, response)
    )


class AnonymousPageCacheMiddleware:
    """Serve and store whole responses for anonymous visitors (see the module docstring).

    Sits after the session, authentication and messages middleware, so it sees who asks,
    and inside the CSRF middleware, so it sees whether the page used a token.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_version.set([])
        try:
            return self._respond(request)
        finally:
            _request_version.reset(token)

    def _respond(self, request):
        if not _request_is_cacheable(request):
            remember_site(request)
            response = self.get_response(request)
            mark_personal_private(request, response)
            return response
        cache = _cache()
        key = _key(request)
        kept = cache.get(key)
        if kept is not None:
            renew_after, cached = kept
            # Past its renewal time one request renders the page afresh (the one that takes
            # the renewal key) while the others are still served the kept copy: when a copy
            # ages out under a burst, its visitors do not all render it at once.
            if time.time() < renew_after or not cache.add(f"{key}:renewing", 1, RENEWAL_SECONDS):
                cached["X-Page-Cache"] = "hit"
                return cached
        remember_site(request)
        response = self.get_response(request)
        if _storable(request, response):
            patch_vary_headers(response, ("Cookie",))
            seconds = timeout()
            cache.set(key, (time.time() + seconds * RENEW_AT, response), seconds)
            cache.delete(f"{key}:renewing")
            response["X-Page-Cache"] = "miss"
        else:
            mark_personal_private(request, response)
        return response


def _is_personal(request, response):
    """Whether the response was made for this visitor: their account, session or cookies."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return True  # rendered for a session (a passed page password, a sign-in under way)
    return _response_is_personal(request, response)


def mark_personal_private(request, response):
    """`Cache-Control: private` on whatever was made for one visitor (see `_is_personal`),
    so that no shared cache in front of the portal (a CDN, a proxy) keeps it either.

    Allauth's pages under /accounts/ (sign-in, sign-up, passwords, codes, two-factor) are
    also `no-store`: nothing of them stays in the browser's cache once the visitor has
    left. The portal's own personal views say so themselves (`never_cache`).
    """
    if language_neutral_path(request.path).startswith(PERSONAL_PREFIXES):
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        patch_cache_control(response, private=True)
    elif _is_personal(request, response):
        patch_cache_control(response, private=True)


# --- routes and shared fragments --------------------------------------------------------
#
# Signed-in visitors get no whole cached response (the header, forms and "you voted" are
# theirs), but the parts that are the same for everyone who may see them are kept under
# the same version, for the same `PORTAL_PAGE_CACHE_SECONDS`:
#
# * the route from a URL path to its page (`cached_route`, called by HomePage.route): which
#   page a path names changes only when a page is published, unpublished, moved or
#   deleted, and each of those replaces the version;
# * template fragments, with Django's `{% cache fragment_seconds "name" page_cache_version
#   LANGUAGE_CODE visibility_key … %}` (the variables come from
#   home.context_processors.portal): home sections, consultation listings, the tracker,
#   search results, breadcrumbs, a consultation's record, details and child cards, a
#   poll's public results, an outcome announcement. `visibility_key` names the view
#   restrictions the visitor has passed, so a restricted section listed for one visitor
#   is never shown to another. A preview gets a version of its own and 0 seconds: it
#   never reads a kept fragment nor stores one.


def cached_route(root, request, path_components, route):
    """Wagtail's `route()` from `root` (the site's root page), remembered per path.

    A remembered route keeps the page it ended on (its specific class, as loaded then) with
    its view restrictions; that page routes the rest of the path itself (a routable page's
    sub-page, e.g. `print/`), exactly as Wagtail's walk down the tree would have ended.
    Each request gets its own copy of the page from the cache, so nothing one request sets
    on it reaches another.
    """
    from wagtail.models import Page

    seconds = timeout()
    if seconds <= 0 or not path_components:
        return route()
    cache = _cache()
    digest = hashlib.sha256("/".join(path_components).encode()).hexdigest()
    # "route:" (not the earlier "pageroute:", which kept only the page's label and id): a
    # copy of the portal started before an upgrade never reads the other's entries.
    key = f"route:{current_version()}:{root.pk}:{digest}"
    remembered_route = cache.get(key)
    if remembered_route is not None:
        page, restrictions = remembered_route
        if page.path.startswith(root.path):
            page._remembered_view_restrictions = restrictions
            return page.route(request, path_components[page.depth - root.depth :])
    result = route()
    page = result[0]
    # The page's view restrictions travel with it (`RememberedViewRestrictionsMixin`):
    # Wagtail asks for them on every view.
    restrictions = list(Page.get_view_restrictions(page))
    cache.set(key, (page, restrictions), seconds)
    page._remembered_view_restrictions = restrictions
    return result


def remember_site(request):
    """Give the request its Wagtail `Site`, remembered per host and port with its root page
    (the home page, as its specific class): the two or three queries Wagtail makes on every
    request to find the site and the page every route starts from
    (`Page.route_for_request`) are one cache read. A site saved, or the home page
    published, replaces the version.
    """
    if timeout() <= 0 or hasattr(request, "_wagtail_site"):
        return
    from wagtail.models import Site

    def find():
        site = Site._find_for_request(request)
        if site is not None:
            site.root_page = site.root_page.specific
        return site

    where = hashlib.sha256(f"{request._get_raw_host()}|{request.get_port()}".encode()).hexdigest()
    site = remembered(f"site:{where}", find)
    if site is not None:
        request._wagtail_site = site


def remembered(name, compute):
    """`compute()`, kept under the version for `PORTAL_PAGE_CACHE_SECONDS` (not at all when
    the cache is off): for facts that change only when pages are published, moved or
    deleted, e.g. which communities a consultation covers."""
    seconds = timeout()
    if seconds <= 0:
        return compute()
    cache = _cache()
    key = f"remembered:{current_version()}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def forget(*names):
    """Drop what `remembered(name, …)` keeps, now and again once the transaction commits
    (as `invalidate()`, for facts: e.g. a suggestion board after a resident's support)."""
    if not names:
        return

    def drop():
        version = current_version()
        _cache().delete_many([f"remembered:{version}:{name}" for name in names])

    drop()
    transaction.on_commit(drop)


class RememberedViewRestrictionsMixin:
    """For the portal's page classes: the view restrictions of a page and its ancestors
    (Wagtail's `get_view_restrictions()`, two queries, asked on every page view by
    Wagtail's `serve`) remembered under the version, with the route that found the page
    (`cached_route`) or on their own. A restriction saved or deleted
    replaces the version (`_shown_on_every_page`).

    Still a queryset, as Wagtail's admin expects: its results are filled in from what was
    remembered, and anything chained on it (`order_by()`, `exists()` after a filter) asks
    the database afresh.
    """

    def get_view_restrictions(self):
        if timeout() <= 0:
            return super().get_view_restrictions()
        from wagtail.models import PageViewRestriction

        restrictions = self.__dict__.get("_remembered_view_restrictions")
        if restrictions is None:
            fetch = super().get_view_restrictions
            restrictions = remembered(f"view-restrictions:{self.pk}", lambda: list(fetch()))
        queryset = PageViewRestriction.objects.filter(pk__in=[r.pk for r in restrictions])
        queryset._result_cache = restrictions
        return queryset


# --- invalidation -----------------------------------------------------------------------
#
# Connected in `HomeConfig.ready()`. Every receiver replaces the version (all cached
# responses go stale: a page is shown by its parents, listings, home sections and feeds)
# and purges the frontend cache, if one is configured, for the page, its ancestors and the
# site-wide listings.

SITE_WIDE_PATHS = (
    "consultation_pages:feed_rss",
    "consultation_pages:feed_atom",
    "outcomes:atom",
    "outcomes:rss",
    "outcomes:tracker",
    "sitemap",
)


def purge_frontend_cache(page):
    """Purge the page, its ancestors and the site-wide listings, in every language."""
    from wagtail.contrib.frontend_cache.utils import PurgeBatch, get_backends

    if not get_backends():
        return
    from django.urls import NoReverseMatch, reverse, translate_url
    from wagtail.models import Site

    urls = [
        url
        for ancestor in page.get_ancestors(inclusive=True).exclude(depth=1).specific()
        if (url := ancestor.get_full_url())
    ]
    site = page.get_site() or Site.objects.filter(is_default_site=True).first()
    if site is not None:
        for name in SITE_WIDE_PATHS:
            try:
                urls.append(site.root_url + reverse(name))
            except NoReverseMatch:
                continue
    batch = PurgeBatch()
    for code, _name in settings.LANGUAGES:
        batch.add_urls(translate_url(url, code) for url in urls)
    batch.purge()


def _page_changed(sender, instance, **kwargs):
    invalidate()
    purge_frontend_cache(instance)


def _page_deleted(sender, instance, **kwargs):
    invalidate()
    if instance.depth > 2:
        parent = instance.get_parent()
        if parent is not None:
            purge_frontend_cache(parent)


def _page_moved(sender, instance, parent_page_before, parent_page_after, **kwargs):
    invalidate()
    purge_frontend_cache(parent_page_before)
    purge_frontend_cache(instance)


def _shown_on_every_page(instance):
    """Settings, the site record and catalogue snippets appear on many pages; a page's view
    restrictions decide who may see it and every page below."""
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.models import PageViewRestriction, Site
    from wagtail.snippets.models import get_snippet_models

    if isinstance(instance, (BaseSiteSetting, BaseGenericSetting, Site, PageViewRestriction)):
        return True
    return type(instance) in get_snippet_models()


def _other_saved(sender, instance, created=False, **kwargs):
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting

    if created and isinstance(instance, (BaseSiteSetting, BaseGenericSetting)):
        return  # made with its defaults on first use (`for_request`): nothing changed
    if _shown_on_every_page(instance):
        invalidate()


def _restriction_groups_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        invalidate()


def connect():
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail.models import Page, PageViewRestriction
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(_page_changed, dispatch_uid="page_cache_published")
    page_unpublished.connect(_page_changed, dispatch_uid="page_cache_unpublished")
    post_page_move.connect(_page_moved, dispatch_uid="page_cache_moved")
    post_delete.connect(_page_deleted, sender=Page, dispatch_uid="page_cache_deleted")
    post_save.connect(_other_saved, dispatch_uid="page_cache_other_saved")
    post_delete.connect(_other_saved, dispatch_uid="page_cache_other_deleted")
    m2m_changed.connect(
        _restriction_groups_changed,
        sender=PageViewRestriction.groups.through,
        dispatch_uid="page_cache_restriction_groups",
    )
