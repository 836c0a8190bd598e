"""Wagtail's help menu names "What's new in Wagtail 8.0" once per process, in whatever
language the first admin request had (a translated string formatted when the menu is
built, then cached). Name it again in each request's language."""

from django.utils.translation import gettext
from wagtail import hooks

WHATS_NEW = "whats-new-in-wagtail-"


@hooks.register("construct_main_menu")
def whats_new_in_the_request_language(request, menu_items):
    for item in menu_items:
        for sub in getattr(getattr(item, "menu", None), "registered_menu_items", ()):
            if sub.name.startswith(WHATS_NEW):
                version = sub.name[len(WHATS_NEW) :]
                sub.label = gettext("What's new in Wagtail %(version)s") % {"version": version}
