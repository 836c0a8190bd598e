from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Registers the `code`, `id` and `year` path converters. Page routes and the admin's URL
# lists are compiled while models and hooks load, so this must happen while the app
# configs load, before either.
from home import input_guard  # noqa: F401


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Home")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from home import page_cache

        page_cache.connect()
