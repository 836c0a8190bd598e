"""The sitemap: Wagtail's, with `hreflang` alternates for each page's English address.

Chinese (the default) is served unprefixed and English under /en/ (portal/urls.py), so
every page has both addresses; search engines get them as `xhtml:link` alternates, plus
`x-default` on the Chinese one. Addresses come from the configured base URL.
"""

from urllib.parse import urlsplit

from django.conf import settings
from wagtail.contrib.sitemaps import Sitemap

from home.links import absolute_url


def _path(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class PortalSitemap(Sitemap):
    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        default = settings.LANGUAGE_CODE
        for url in urls:
            path = _path(url["location"])
            url["location"] = absolute_url(path)
            alternates = [{"lang_code": default, "location": url["location"]}]
            for code, _name in settings.LANGUAGES:
                if code != default:
                    alternates.append(
                        {"lang_code": code, "location": absolute_url(f"/{code}{path}")}
                    )
            alternates.append({"lang_code": "x-default", "location": url["location"]})
            url["alternates"] = alternates
        return urls
