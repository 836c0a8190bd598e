"""The resident's own pages. Each reads the request, calls one operation, renders."""

import json

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import operations
from .forms import DeleteAccountForm, ProfileForm


def _optional_url(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@never_cache
@login_required
def participation(request):
    """Everything I took part in, on one page; what changed since my last visit is marked."""
    context = operations.participation(request.user)
    operations.record_visit(request.user)
    return render(request, "consultations/residents/participation.html", context)


@never_cache
@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            reverify = operations.update_profile(request.user, form)
            messages.success(request, _("Your profile has been saved."))
            if reverify:
                messages.warning(
                    request,
                    _(
                        "Your new community keeps a resident roster: please confirm your "
                        "residence there to take part in its consultations."
                    ),
                )
                return redirect("roster:verify")
            return redirect("residents:profile")
        status = 400
    else:
        status = 200
    context = {
        "form": form,
        "notifications_url": _optional_url("notifications:preferences"),
    }
    return render(request, "consultations/residents/profile.html", context, status=status)


@never_cache
@login_required
@reauthentication_required
def download_data(request):
    """The JSON file of everything held about me (docs/privacy.md)."""
    data = operations.export_personal_data(request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@login_required
@reauthentication_required(allow_get=True)
def delete_account(request):
    """Confirm, then delete the account by the rules of docs/privacy.md."""
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = request.user
            logout(request)
            operations.delete_account(user)
            messages.success(request, _("Your account has been deleted."))
            return redirect("wagtail_serve", "")
        status = 400
    else:
        status = 200
    return render(request, "consultations/residents/delete.html", {"form": form}, status=status)


def privacy_notice(request):
    return render(
        request,
        "consultations/residents/privacy.html",
        {"retention_days": settings.PORTAL_RETENTION["hearing_registration_details"]},
    )
