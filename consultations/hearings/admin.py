"""Staff views in the Wagtail admin: registrants, export, check-in, speakers, totals.

Each view checks that the user may manage the hearing's registrations (edit rights on
the hearing page, see consultations.permissions); otherwise it is refused the admin's
way. Phones and speech summaries appear only here, so only staff with rights on that
community see them.
"""

from functools import wraps

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.exports import Spreadsheet
from consultations.hearings import operations
from consultations.hearings.exports import attendance_sheet, registrants_sheet
from consultations.hearings.forms import (
    AssistedRegistrationForm,
    CheckInForm,
    CheckInSearchForm,
    RegistrantFilterForm,
    SpeakerFormSet,
)
from consultations.hearings.models import HearingPage, HearingSession, Registration
from consultations.permissions import (
    can_act_for_person,
    can_manage_registrations,
    may_assist_residents,
    refuse_unless,
)
from home.links import absolute_url


def session_view(view):
    """Load the session; refuse (consultations.permissions) unless the user manages it."""

    @wraps(view)
    def wrapper(request, session_id, *args, **kwargs):
        session = get_object_or_404(HearingSession.objects.select_related("page"), pk=session_id)
        refuse_unless(can_manage_registrations(request.user, session.page))
        return view(request, session, *args, **kwargs)

    return wrapper


def index(request):
    """The hearings this user manages, each session with its totals and tools."""
    hearings = HearingPage.objects.all().order_by("-latest_revision_created_at")
    hearing_id = request.GET.get("hearing")
    if hearing_id and hearing_id.isdigit():
        hearings = hearings.filter(pk=int(hearing_id))
    managed = [page for page in hearings if can_manage_registrations(request.user, page)]
    sessions = (
        operations.with_counts(HearingSession.objects.filter(page__in=managed))
        .select_related("page")
        .order_by("starts_at")
    )
    by_page = {}
    for session in sessions:
        by_page.setdefault(session.page_id, []).append(session)
    rows = [{"page": page, "sessions": by_page.get(page.pk, [])} for page in managed]
    spreadsheet = Spreadsheet(request, "hearing-attendance")
    if spreadsheet.is_export:
        return spreadsheet.response([attendance_sheet(rows)])
    return TemplateResponse(
        request,
        "consultations/hearings/admin/index.html",
        {
            "rows": rows,
            "spreadsheet": spreadsheet,
            "page_title": _("Public hearings"),
            "header_icon": "group",
        },
    )


@session_view
def registrants(request, session):
    filters = RegistrantFilterForm(request.GET or None)
    queryset = filters.filter(
        Registration.objects.filter(session=session)
        .select_related("user", "assisted_by", "roster_person")
        .order_by("created_at", "pk")
    )
    spreadsheet = Spreadsheet(request, f"hearing-{session.pk}-registrants")
    if spreadsheet.is_export:
        return spreadsheet.response([registrants_sheet(queryset)])
    paginator = Paginator(queryset, 100)
    page_obj = paginator.get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("export", None)
    query.pop("p", None)
    return TemplateResponse(
        request,
        "consultations/hearings/admin/registrants.html",
        {
            "session": session,
            "hearing": session.page,
            "filters": filters,
            "registrations": page_obj,
            "page_obj": page_obj,
            "totals": operations.session_totals(session),
            "query": query.urlencode(),
            "spreadsheet": spreadsheet,
            "can_assist": may_assist_residents(request.user),
            "page_title": _("Registrants"),
            "page_subtitle": str(session),
            "header_icon": "group",
        },
    )


@session_view
def check_in(request, session):
    """A phone-sized page at the door: search a name or code and check a person in with one
    tap, or type (or scan) the code; the answer says at once whether it was good."""
    result = None
    status = 200
    search = CheckInSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():
            try:
                result = operations.check_in(session, form.cleaned_data["code"], request.user)
            except operations.HearingError as error:
                form.add_error("code", error.message)
                status = 409
            else:
                form = CheckInForm()
                # The next person at the door is searched afresh.
                search, query = CheckInSearchForm(), ""
        else:
            status = 400
    else:
        form = CheckInForm()
    return TemplateResponse(
        request,
        "consultations/hearings/admin/check_in.html",
        {
            "session": session,
            "hearing": session.page,
            "form": form,
            "checked_in": result,
            "search": search,
            "query": query,
            "matches": operations.check_in_candidates(session, query),
            "totals": operations.session_totals(session),
            "page_title": _("Check-in"),
            "page_subtitle": str(session),
            "header_icon": "tick",
        },
        status=status,
    )


@session_view
def speakers(request, session):
    """The speakers' list: editors set the order and the time slot of each speaker."""
    speakers_qs = (
        Registration.objects.filter(session=session, wishes_to_speak=True)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("user")
        .order_by("speaker_order", "created_at", "pk")
    )
    speaker_list = list(speakers_qs)
    initial = [
        {
            "registration": r.pk,
            "speaker_order": r.speaker_order,
            "speaking_at": r.speaking_at,
            "speaking_minutes": r.speaking_minutes,
        }
        for r in speaker_list
    ]
    status = 200
    if request.method == "POST":
        formset = SpeakerFormSet(request.POST, initial=initial)
        if formset.is_valid():
            arrangement = {
                form.cleaned_data["registration"]: (
                    form.cleaned_data.get("speaker_order"),
                    form.cleaned_data.get("speaking_at"),
                    form.cleaned_data.get("speaking_minutes"),
                )
                for form in formset
                if form.cleaned_data
            }
            operations.arrange_speakers(session, arrangement, user=request.user)
            messages.success(request, _("The speakers' list has been saved."))
            return redirect("hearings_admin:speakers", session_id=session.pk)
        status = 400
    else:
        formset = SpeakerFormSet(initial=initial)
    return TemplateResponse(
        request,
        "consultations/hearings/admin/speakers.html",
        {
            "session": session,
            "hearing": session.page,
            "rows": list(zip(speaker_list, formset.forms, strict=False)),
            "formset": formset,
            "now": timezone.now(),
            "page_title": _("Speakers"),
            "page_subtitle": str(session),
            "header_icon": "openquote",
        },
        status=status,
    )


@session_view
def assisted_register(request, session):
    """At the office: a worker registers a person on the roster for this session, through
    the same operation as online (seats, quotas, waitlist, eligibility). Needs the right
    to act for residents of the person's community (`can_act_for_person`); the
    registration is marked assisted by the worker."""
    consultation = session.page.consultation
    community_ids = (
        consultation.scope_communities().values_list("pk", flat=True) if consultation else ()
    )
    form = AssistedRegistrationForm(
        request.POST or None, session=session, community_ids=community_ids
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            person = form.person
            refuse_unless(can_act_for_person(request.user, person))
            account = getattr(getattr(person, "link", None), "user", None)
            data = form.cleaned_data
            try:
                registration, created = operations.register_for_session(
                    session,
                    account,
                    category=data["category"],
                    phone=data["phone"],
                    wishes_to_speak=data["wishes_to_speak"],
                    speech_summary=data["speech_summary"],
                    extra_answers=form.extra_answers(),
                    url=absolute_url(session.page.url) if session.page.url else "",
                    assisted_by=request.user,
                    roster_person=person,
                )
            except operations.HearingError as error:
                form.add_error(None, error.message)
            else:
                if not created:
                    messages.info(
                        request,
                        _("%(name)s is already registered for this session (code %(code)s).")
                        % {"name": person.full_name, "code": registration.code},
                    )
                elif registration.status == Registration.Status.CONFIRMED:
                    messages.success(
                        request,
                        _(
                            "%(name)s has a confirmed seat, registration code %(code)s. "
                            "Marked as assisted."
                        )
                        % {"name": person.full_name, "code": registration.code},
                    )
                else:
                    messages.success(
                        request,
                        _(
                            "The session is full: %(name)s is on the waitlist, registration "
                            "code %(code)s. Marked as assisted."
                        )
                        % {"name": person.full_name, "code": registration.code},
                    )
                return redirect("hearings_admin:registrants", session.pk)
        status = 400
    return TemplateResponse(
        request,
        "consultations/hearings/admin/assisted.html",
        {"session": session, "hearing": session.page, "form": form},
        status=status,
    )
