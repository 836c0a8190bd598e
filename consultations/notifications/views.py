"""Following, preferences, the inbox and unsubscribing. Each view calls one operation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from wagtail.models import Page

from consultations.notifications import operations
from consultations.notifications.forms import PreferencesForm
from consultations.notifications.models import Event, Notification
from consultations.permissions import visible_pages
from home.links import local_next

PER_PAGE = 20


def _safe_next(request, fallback):
    return local_next(request, request.POST.get("next") or request.GET.get("next"), fallback)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def follow(request, page_id):
    """GET: a confirmation (where the button sends someone after signing in); POST: do it."""
    page = get_object_or_404(visible_pages(Page.objects.all(), request), pk=page_id).specific
    if not operations.followable(page):
        return HttpResponseBadRequest(
            _("Only communities, townships and consultations can be followed.")
        )
    following = operations.is_following(request.user, page)
    if request.method == "GET":
        return render(
            request,
            "consultations/notifications/follow_confirm.html",
            {"followed": page, "following": following, "next": _safe_next(request, page.url)},
        )
    action = request.POST.get("action")
    if action == "follow":
        operations.follow(request.user, page)
        messages.success(
            request,
            _("You follow %(page)s. Choose how you hear about it in your notification settings.")
            % {"page": page.title},
        )
    elif action == "unfollow":
        operations.unfollow(request.user, page)
        messages.success(request, _("You no longer follow %(page)s.") % {"page": page.title})
    else:
        return HttpResponseBadRequest(_("Choose to follow or to unfollow."))
    return redirect(_safe_next(request, page.url))


@never_cache
@login_required
def preferences(request):
    preference = operations.preference_for(request.user)
    form = PreferencesForm(request.POST or None, preference=preference)
    if request.method == "POST" and form.is_valid():
        operations.save_preferences(
            request.user,
            events=form.events(),
            by_mail=form.cleaned_data["by_mail"],
            by_sms=form.cleaned_data["by_sms"],
        )
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    follows = request.user.follows.select_related("page").order_by("page__title")
    return render(
        request,
        "consultations/notifications/preferences.html",
        {
            "form": form,
            "follows": follows,
            "has_email": bool(request.user.email),
            "has_phone": bool(request.user.phone and request.user.phone_verified),
        },
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
def inbox(request):
    if request.method == "POST":
        operations.mark_read(request.user)
        messages.success(request, _("All notifications are marked as read."))
        return redirect("notifications:inbox")
    rows = (
        Notification.objects.filter(user=request.user)
        .select_related("page")
        .order_by("-created_at", "-pk")
    )
    page_obj = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    unread = [n.pk for n in page_obj if n.read_at is None]
    response = render(
        request,
        "consultations/notifications/inbox.html",
        {"page_obj": page_obj, "unread_ids": set(unread), "events": dict(Event.choices)},
    )
    # What was shown is read now (after rendering, so the list still marks it as new).
    if unread:
        operations.mark_read(request.user, unread)
    return response


@never_cache
@csrf_exempt  # RFC 8058: mail clients POST without a session; the signed token is the key
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET: a page confirming with a button; POST: one click, no sign-in (RFC 8058)."""
    try:
        user, event = operations.read_unsubscribe_token(token)
    except operations.NotificationError as error:
        return render(
            request,
            "consultations/notifications/unsubscribe.html",
            {"error": error.message},
            status=400,
        )
    context = {"event": event, "event_label": dict(Event.choices).get(event), "token": token}
    if request.method == "POST":
        operations.unsubscribe(user, event)
        context["done"] = True
    return render(request, "consultations/notifications/unsubscribe.html", context)
