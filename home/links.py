"""Absolute addresses: every one comes from the one configured base URL, PORTAL_BASE_URL.

Mails, text messages, feeds, the sitemap, the API's `html_url`, QR codes and print views
never build an address from the request's Host header or from a hard-coded host. Pages'
`full_url` comes from the default Wagtail Site, which `sync_default_site()` keeps on the
base URL's host and port (`manage.py portal_sync_site`, also run by `load_demo`).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme


def base_url():
    """The configured base URL without a trailing slash, e.g. "https://xieshang.example.cn"."""
    return settings.PORTAL_BASE_URL.rstrip("/")


def absolute_url(url):
    """`url` (a path such as "/hearings/1/" or already absolute) made absolute."""
    url = str(url or "")
    if url.startswith(("http://", "https://")):
        return url
    if not url.startswith("/"):
        url = "/" + url
    return base_url() + url


def rebase(url):
    """An absolute URL built from a request (any host) moved onto the base URL."""
    parts = urlsplit(str(url))
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return absolute_url(path + (f"#{parts.fragment}" if parts.fragment else ""))


def base_host():
    """The base URL's host name (e.g. for calendar UIDs)."""
    return urlsplit(base_url()).hostname or "localhost"


def base_scheme():
    return urlsplit(base_url()).scheme or "https"


def site_host_and_port():
    """(hostname, port) of the base URL, in the shape Wagtail's Site stores."""
    parts = urlsplit(base_url())
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.hostname or "localhost", port


def sync_default_site():
    """Put the default Site on the base URL's host and port; returns the Site or None."""
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return None
    hostname, port = site_host_and_port()
    if (site.hostname, site.port) != (hostname, port):
        site.hostname, site.port = hostname, port
        site.save()  # Site.save clears Wagtail's cached site root paths
    return site


def local_next(request, candidate, fallback="/"):
    """`candidate` (a `next` parameter) if it is an address on this site, else `fallback`.

    Only a path ("/…") is accepted: anything else would be another host, or a text that
    `redirect()` tries to read as a view name (a 500 for hostile input).
    """
    candidate = str(candidate or "")
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback
