from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info


def portal(request):
    """Language links for the switcher: the same page in each of the site's languages."""
    path = request.get_full_path()
    return {
        "language_links": [
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": translate_url(path, code),
            }
            for code, _name in settings.LANGUAGES
        ],
    }
