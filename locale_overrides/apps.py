"""Chinese for Wagtail's and allauth's own strings that their catalogues lack or word oddly.
(wagtail_hooks.py names one menu item of Wagtail's in the request's language.)

A hand-maintained catalogue (locale/zh_Hans/LC_MESSAGES/django.po in this package). The
app is listed before Wagtail and allauth in INSTALLED_APPS, so Django finds these
translations before theirs (the first app wins), and an upgrade of those packages does
not undo them; the project's own catalogue (LOCALE_PATHS) still comes first. `make
messages` compiles it but never regenerates it (no source here has strings). Wagtail's
JavaScript strings are in the project's locale/zh_Hans/LC_MESSAGES/djangojs.po instead:
Wagtail's JavaScript catalogue reads only wagtail.admin's and LOCALE_PATHS' catalogues.
docs/architecture.md, "Translations".
"""

from django.apps import AppConfig


class LocaleOverridesConfig(AppConfig):
    name = "locale_overrides"
    label = "locale_overrides"
    verbose_name = "Translation overrides"
