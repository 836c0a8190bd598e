"""Error pages in the site's look, in the reader's language; the favicon address."""

from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from home.links import local_next

# The "larger text" switch: remembered in this cookie, read by the context processor and
# by the anonymous page cache's key (home/page_cache.py), so each variant is cached apart.
TEXT_SIZE_COOKIE = "portal_text_size"


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without a request context processor chain that could fail again.
    from django.http import HttpResponseServerError
    from django.template import loader

    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({}))


@csrf_exempt  # Only a display preference; a token would make every page uncacheable.
@require_POST
def text_size(request):
    """Switch larger text on or off (remembered for a year) and go back to the page."""
    response = HttpResponseRedirect(local_next(request, request.POST.get("next")))
    if request.POST.get("size") == "large":
        response.set_cookie(
            TEXT_SIZE_COOKIE,
            "large",
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=request.is_secure(),
        )
    else:
        response.delete_cookie(TEXT_SIZE_COOKIE, samesite="Lax")
    return response


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; the icon is a small SVG."""
    return redirect(static("favicon.svg"), permanent=True)
