import uuid

from django.conf import settings
from django.urls import translate_url
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language_info


def portal(request):
    """Language links for the switcher, and what shared fragments are keyed on.

    `fragment_seconds`, `page_cache_version` and `visibility_key` feed Django's
    `{% cache %}` tag around the parts of a page that are the same for everyone who may
    see them (home sections, listings, the tracker, a consultation's record and cards, an
    outcome's decisions, public poll results): see home/page_cache.py. The version and the
    key are looked up only when a template uses them.

    A preview (Wagtail's `request.is_preview`) shows an unsaved draft: it gets a version of
    its own and 0 seconds, so it neither reads a shared fragment nor stores one.
    """
    from consultations.permissions import visibility_key
    from home import page_cache

    path = request.get_full_path()
    preview = bool(getattr(request, "is_preview", False))
    from home.views import TEXT_SIZE_COOKIE

    return {
        "text_large": request.COOKIES.get(TEXT_SIZE_COOKIE) == "large",
        "language_links": [
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": translate_url(path, code),
            }
            for code, _name in settings.LANGUAGES
        ],
        "fragment_seconds": 0 if preview else page_cache.timeout(),
        "page_cache_version": (
            uuid.uuid4().hex if preview else SimpleLazyObject(page_cache.current_version)
        ),
        "visibility_key": SimpleLazyObject(lambda: visibility_key(request)),
    }
