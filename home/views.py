"""Error pages in the site's look, in the reader's language; the favicon address."""

from django.shortcuts import redirect, render
from django.templatetags.static import static


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


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; the icon is a small SVG."""
    return redirect(static("favicon.svg"), permanent=True)
