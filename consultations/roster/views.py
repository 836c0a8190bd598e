"""Resident views of the roster: confirm one's own entry by a code texted to its number."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from consultations.roster.models import LinkChallenge, RosterLink

from .forms import CodeForm, VerifyForm
from .operations import RosterError, confirm_link, consume_rate_limit, start_link

SESSION_KEY = "roster_challenge"


@never_cache
@login_required
def verify(request):
    """Name and identifier in; on a match a code goes to the roster's own number."""
    link = RosterLink.objects.filter(user=request.user).select_related("person__community").first()
    form = VerifyForm(request.POST or None)
    status = 200
    error = None
    if request.method == "POST" and link is None:
        if not consume_rate_limit(request):
            form = VerifyForm()
            error = _("Too many attempts. Please try again in an hour.")
            status = 429
        elif form.is_valid():
            challenge = start_link(
                request.user,
                form.cleaned_data["community"],
                form.cleaned_data["full_name"],
                form.cleaned_data["local_id"],
            )
            request.session[SESSION_KEY] = challenge.pk
            return redirect("roster:verify_code")
        else:
            status = 400
    return TemplateResponse(
        request,
        "consultations/roster/verify.html",
        {"form": form, "link": link, "error": error},
        status=status,
    )


@never_cache
@login_required
def verify_code(request):
    challenge = LinkChallenge.objects.filter(
        pk=request.session.get(SESSION_KEY), user=request.user
    ).first()
    if challenge is None:
        return redirect("roster:verify")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                link = confirm_link(challenge, form.cleaned_data["code"])
            except RosterError as error:
                form.add_error("code", error.message)
                status = error.status
            else:
                request.session.pop(SESSION_KEY, None)
                messages.success(
                    request,
                    _("Thank you: you are now a verified resident of %(community)s.")
                    % {"community": link.person.community.title},
                )
                return redirect("roster:verify")
        else:
            status = 400
    return TemplateResponse(
        request, "consultations/roster/verify_code.html", {"form": form}, status=status
    )
