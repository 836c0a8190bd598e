"""Resident-facing views: the suggestion form page, "my suggestions" and attachments.

Each view reads the request, calls one operation and renders; the rules live in
operations.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from consultations.permissions import can_read_attachment
from consultations.suggestions.models import Suggestion
from home.links import local_next

from . import operations


def _render_form_page(page, request, form, *, refusal=None, status=200, error=None):
    context = page.get_context(request)
    context["form"] = form
    context["refusal"] = refusal
    context["error"] = error
    return TemplateResponse(request, page.get_template(request), context, status=status)


def serve_suggestion_form(page, request, *args, **kwargs):
    """GET shows the page (window, form if allowed, published suggestions); POST submits."""
    user = request.user
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return _submit(page, request)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    refusal = operations.submission_refusal(page, user) if user.is_authenticated else None
    form = None
    if user.is_authenticated and refusal is None:
        form = page.get_form(page=page, user=user)
    return _render_form_page(page, request, form, refusal=refusal)


def _submit(page, request):
    user = request.user
    form = page.get_form(request.POST, request.FILES, page=page, user=user)
    if form.honeypot_filled:
        # People never see the field; whatever fills it is a robot. No row, no detail.
        return _render_form_page(
            page,
            request,
            None,
            status=400,
            error=_("Your suggestion could not be accepted."),
        )
    # The same rendered form posted again (a flaky connection, a reload): same answer.
    existing = operations.find_resubmission(page, user, request.POST.get("token", ""))
    if existing:
        return page.render_landing_page(request, existing)
    refusal = operations.submission_refusal(page, user)
    if refusal:
        return _render_form_page(page, request, None, refusal=refusal, status=refusal.status)
    if not operations.consume_rate_limit(request):
        return _render_form_page(
            page,
            request,
            form,
            status=429,
            error=_("Too many submissions in a short time. Please try again later."),
        )
    if not form.is_valid():
        return _render_form_page(page, request, form, status=400)
    try:
        suggestion, _created = operations.submit_suggestion(page, user, form)
    except operations.SuggestionRefused as refused:
        return _render_form_page(page, request, None, refusal=refused, status=refused.status)
    return page.render_landing_page(request, suggestion)


@never_cache
@login_required
def my_suggestions(request):
    """The resident's own suggestions with their status and answers."""
    suggestions = (
        Suggestion.objects.filter(user=request.user)
        .select_related("page", "merged_into")
        .order_by("-submit_time", "-pk")
    )
    page_obj = Paginator(suggestions, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "consultations/suggestions/my_suggestions.html",
        {"page_obj": page_obj, "suggestions": page_obj.object_list},
    )


@login_required
def suggestion_attachment(request, pk):
    """The attachment, for its author and for staff who may moderate the page only."""
    suggestion = get_object_or_404(Suggestion.objects.select_related("page"), pk=pk)
    if not can_read_attachment(request.user, suggestion):
        raise PermissionDenied
    if not suggestion.attachment:
        raise Http404
    try:
        handle = suggestion.attachment.open("rb")
    except FileNotFoundError:
        raise Http404
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=suggestion.attachment_name or "attachment",
        content_type=suggestion.attachment_type or "application/octet-stream",
    )
    # Never render it in the portal's origin, whatever it contains.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def support(request, pk):
    """Support (附议) a published suggestion, or withdraw the support (`action=withdraw`)."""
    suggestion = get_object_or_404(
        Suggestion.objects.select_related("page"), pk=pk, status=Suggestion.Status.PUBLISHED
    )
    back = local_next(request, request.POST.get("next"), suggestion.page.get_url(request) or "/")
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    if request.POST.get("action") == "withdraw":
        _suggestion, withdrawn = operations.withdraw_support(suggestion, request.user)
        if withdrawn:
            messages.success(request, _("You no longer support “%s”.") % suggestion.title)
        return redirect(back)
    try:
        _suggestion, created = operations.support_suggestion(suggestion, request.user)
    except operations.SuggestionRefused as refused:
        return render(
            request,
            "consultations/suggestions/support_refused.html",
            {"refusal": refused, "back": back, "suggestion": suggestion},
            status=refused.status,
        )
    if created:
        messages.success(
            request,
            _("You support “%s”. You will hear when it is answered.") % suggestion.title,
        )
    return redirect(back)
