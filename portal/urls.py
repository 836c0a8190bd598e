from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.generic import RedirectView, TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from consultations.communities import admin as community_admin
from home import views as home_views
from home.sitemaps import PortalSitemap

from .api import api_router

# Language-neutral addresses: machine-readable data and files.
urlpatterns = [
    path("api/v2/", api_router.urls),
    path("sitemap.xml", sitemap, {"sitemaps": {"wagtail": PortalSitemap}}, name="sitemap"),
    # Crawlers stay out of the admin and the account pages; they find the sitemap.
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots_txt",
    ),
    # Browsers ask for /favicon.ico whatever the page says; the icon is a small SVG.
    path("favicon.ico", home_views.favicon, name="favicon"),
    path("documents/", include(wagtaildocs_urls)),
]

# Everything people read is language-prefixed: Chinese (the default) at "/", English at
# "/en/". The admin follows the same rule, so "/en/admin/" is the English admin.
urlpatterns += i18n_patterns(
    # One sign-in for residents and staff: allauth's, with its rate limits (settings).
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="admin_login_redirect",
    ),
    # Wagtail screens the portal narrows to the pages the user holds rights on, ahead of
    # Wagtail's own at the same addresses (consultations/communities/admin.py).
    *community_admin.admin_overrides,
    path("admin/", include(wagtailadmin_urls)),
    # The residents' own pages, before allauth's so that /accounts/profile/ is ours.
    path("", include("consultations.residents.urls")),
    path("text-size/", home_views.text_size, name="text_size"),
    path("accounts/", include("allauth.urls")),
    path("", include("consultations.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler400 = home_views.bad_request
handler403 = home_views.permission_denied
handler404 = home_views.page_not_found
handler500 = home_views.server_error

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
