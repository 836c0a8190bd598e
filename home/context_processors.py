from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info


def portal(request):
    """Language links for the switcher: the same page in each of the site's languages."""
    path = request.get_full_path()
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
    }
