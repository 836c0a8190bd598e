"""Resident-facing views of hearings: register, confirmation, calendar file, cancel, mine.

Views stay thin: they read the request, call one operation, and render or redirect.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from consultations.hearings import operations
from consultations.hearings.forms import RegistrationForm
from consultations.hearings.ics import calendar_filename, session_calendar
from consultations.hearings.models import Registration
from consultations.permissions import can_manage_registrations
from home.links import absolute_url

Status = Registration.Status


def session_state(session, now):
    if session.is_over(now):
        return "over"
    if session.has_started(now):
        return "running"
    if not session.registration_open(now):
        return "closed"
    if session.seats_left <= 0:
        return "full"
    return "open"


def hearing_page_context(page, request, form=None):
    """Everything the hearing page shows, gathered in a fixed number of queries."""
    now = timezone.now()
    preview = getattr(request, "is_preview", False)
    if preview:
        # A preview shows the editor's unsaved sessions (in memory, no registrations).
        sessions = sorted(page.sessions.all(), key=lambda s: s.starts_at or now)
        for session in sessions:
            session.confirmed_count = session.waitlisted_count = session.attended_count = 0
    else:
        sessions = operations.page_sessions(page)
    mine = {}
    if request.user.is_authenticated:
        mine = {
            r.session_id: r
            for r in Registration.objects.filter(session__page=page, user=request.user).exclude(
                status=Status.CANCELLED
            )
        }
    for session in sessions:
        session.seats_left = operations.seats_left(session)
        session.state = session_state(session, now)
        session.my_registration = mine.get(session.pk)
        if session.my_registration:
            session.my_registration.session = session
    open_ids = [s.pk for s in sessions if s.state in ("open", "full") and s.pk not in mine]
    if preview:
        open_ids = []
    if form is None and open_ids and request.user.is_authenticated:
        form = RegistrationForm(
            page=page,
            sessions=operations.with_counts(page.sessions.filter(pk__in=open_ids)).order_by(
                "starts_at", "pk"
            ),
            # Offered from the sessions above, counts included: no second query.
            shown_sessions=[s for s in sessions if s.pk in open_ids],
            user=request.user,
            initial={"session": open_ids[0]} if len(open_ids) == 1 else None,
        )
    all_over = bool(sessions) and all(s.state == "over" for s in sessions)
    return {
        "sessions": sessions,
        "registration_form": form,
        "registration_open": bool(open_ids),
        "register_url": (page.get_url(request) or "") + page.reverse_subpage("register"),
        "hearing_over": all_over,
        "show_attendance": all_over and page.attendance_published,
        "attendance": {
            "confirmed": sum(s.confirmed_count for s in sessions),
            "attended": sum(s.attended_count for s in sessions),
        },
        "can_manage": can_manage_registrations(request.user, page),
    }


def _page_url(request, page):
    return absolute_url(page.url) if page.url else ""


@require_POST
@login_required
def register(request, page):
    """POST to the page's `register/` route (HearingPage.register)."""
    sessions = operations.with_counts(page.sessions.all())
    open_sessions = sessions.filter(
        registration_deadline__gt=timezone.now(), starts_at__gt=timezone.now()
    ).order_by("starts_at", "pk")
    form = RegistrationForm(request.POST, page=page, sessions=open_sessions, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            registration, created = operations.register_for_session(
                data["session"],
                request.user,
                category=data["category"],
                phone=data["phone"],
                wishes_to_speak=data["wishes_to_speak"],
                speech_summary=data["speech_summary"],
                extra_answers=form.extra_answers(),
                url=_page_url(request, page),
            )
        except operations.HearingError as error:
            form.add_error(None, error.message)
        else:
            if not created:
                messages.info(request, _("You are already registered for this session."))
            # Otherwise the registration page itself says whether the seat is confirmed.
            return redirect("hearings:registration", code=registration.code)
    context = page.get_context(request, form=form)
    return TemplateResponse(request, page.get_template(request), context, status=400)


def _own_registration(request, code):
    """The registration with `code` if it is the visitor's own (or they manage it)."""
    registration = get_object_or_404(
        Registration.objects.select_related("session__page", "user"), code=code.upper()
    )
    page = registration.session.page
    if registration.user_id != request.user.pk and not can_manage_registrations(request.user, page):
        # Someone else's registration does not exist, as far as the visitor knows.
        raise Http404
    return registration


@never_cache
@login_required
def registration_detail(request, code):
    registration = _own_registration(request, code)
    session = registration.session
    return TemplateResponse(
        request,
        "consultations/hearings/registration_detail.html",
        {
            "registration": registration,
            "session": session,
            "hearing": session.page,
            "waitlist_position": registration.waitlist_position(),
            "can_cancel": registration.can_be_cancelled(),
        },
    )


@never_cache
@login_required
def registration_calendar(request, code):
    registration = _own_registration(request, code)
    if registration.status == Status.CANCELLED:
        raise Http404
    session = registration.session
    response = HttpResponse(
        session_calendar(session, registration, url=_page_url(request, session.page)),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{calendar_filename(session)}"'
    return response


@never_cache
@require_POST
@login_required
def cancel(request, code):
    registration = _own_registration(request, code)
    try:
        operations.cancel_registration(
            registration, request.user, url=_page_url(request, registration.session.page)
        )
    except operations.HearingError as error:
        messages.error(request, error.message)
        response = registration_detail(request, code)
        response.status_code = 409
        return response
    messages.success(request, _("Your registration has been cancelled."))
    return redirect("hearings:my_registrations")


@never_cache
@login_required
def my_registrations(request):
    registrations = (
        Registration.objects.filter(user=request.user)
        .select_related("session__page")
        .order_by("-session__starts_at", "-created_at")
    )
    now = timezone.now()
    # Cancelled registrations apart: "coming up" lists only the sessions one will attend.
    cancelled = [r for r in registrations if r.status == Status.CANCELLED]
    active = [r for r in registrations if r.status != Status.CANCELLED]
    upcoming = [r for r in active if r.session.ends_at >= now]
    past = [r for r in active if r.session.ends_at < now]
    return TemplateResponse(
        request,
        "consultations/hearings/my_registrations.html",
        {"upcoming": list(reversed(upcoming)), "past": past, "cancelled": cancelled},
    )
