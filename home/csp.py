"""The Content-Security-Policy of every response (django-csp), with a looser one for the admin.

The site's own pages run no inline script or style (templates load static/js and
static/css), so `settings.CONTENT_SECURITY_POLICY` is strict: scripts, styles, frames and
forms from the portal's own origin only, images also as `data:` URLs, no plugins, and no
framing by anyone. Wagtail's admin still needs inline styles and scripts of its own, and
shows the live preview in a same-origin frame: under `/admin/` (in every language) the
directives of `settings.PORTAL_ADMIN_CSP_DIRECTIVES` replace the site's, unless the view
chose its own with django-csp's decorators (`csp_replace`, `csp_update`, `csp_exempt`).
A page previewed in the admin (Wagtail's dummy request) keeps the site's policy, so the
editor sees what residents will see, but may be framed by the admin.

Django 6 brings its own CSP (`SECURE_CSP`, `django.middleware.csp`); on Django 5.2 this is
django-csp's middleware, the one way django-csp documents to vary the policy per request
(`get_policy_parts`). Moving to Django 6 keeps django-csp working; switching to Django's
own then means removing this middleware, never running both (two headers would both apply).
"""

from csp.constants import SELF
from csp.middleware import CSPMiddleware
from django.conf import settings

from .page_cache import language_neutral_path

ADMIN_PREFIX = "/admin/"


def is_admin_path(path):
    return language_neutral_path(path).startswith(ADMIN_PREFIX)


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's directives under /admin/."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or parts.replace is not None:
            return parts
        if is_admin_path(request.path):
            parts.replace = settings.PORTAL_ADMIN_CSP_DIRECTIVES
        elif getattr(request, "is_dummy", False):
            # Wagtail's preview renders the page through the middleware for the admin's
            # preview frame: the site's policy, framed by the portal's own admin.
            parts.replace = {"frame-ancestors": [SELF]}
        return parts
