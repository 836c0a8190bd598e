"""Staff views of a poll in the Wagtail admin: dashboard, codes, paper tallies, assisted votes.

Every view requires edit rights on the poll page, i.e. page permissions on the
consultation's community (or an ancestor): staff of one village cannot see another's.
The rules are in consultations.permissions; a refusal is the Wagtail admin's.
"""

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.documents import get_document_model

from consultations.exports import export_response
from consultations.permissions import (
    can_act_for_person,
    can_manage_poll,
    can_publish_poll_results,
    refuse_unless,
)
from consultations.polls.models import CodeBatch, PollPage, VoterRegister, VotingCode

from .forms import AssistedBallotForm, CodeBatchForm, PaperTallyForm, RosterAssistedBallotForm
from .operations import (
    AlreadyVoted,
    PollError,
    cast_ballot,
    generate_code_batch,
    issue_roster_codes,
    paper_tally_room,
    publish_results,
    record_paper_tally,
)
from .results import RESULT_HEADERS, poll_results, results_rows


def get_poll(request, poll_id):
    poll = get_object_or_404(PollPage, pk=poll_id)
    refuse_unless(can_manage_poll(request.user, poll))
    return poll


def dashboard(request, poll_id):
    poll = get_poll(request, poll_id)
    turnout_by_day = list(
        VoterRegister.objects.filter(poll=poll)
        .values("voted_on")
        .annotate(voters=Count("id"))
        .order_by("voted_on")
    )
    running = 0
    busiest = max((day["voters"] for day in turnout_by_day), default=0)
    for day in turnout_by_day:
        running += day["voters"]
        day["cumulative"] = running
        day["percent"] = round(100 * day["voters"] / busiest) if busiest else 0
    assisted = VoterRegister.objects.filter(poll=poll, assisted=True).count()
    batches = (
        CodeBatch.objects.filter(poll=poll)
        .select_related("community", "created_by")
        .annotate(issued=Count("codes"))
    )
    used = dict(
        VotingCode.objects.filter(poll=poll, used=True)
        .values_list("batch_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    batch_rows = [{"batch": b, "issued": b.issued, "used": used.get(b.pk, 0)} for b in batches]
    return TemplateResponse(
        request,
        "consultations/polls/admin/dashboard.html",
        {
            "poll": poll,
            "results": poll_results(poll),
            "turnout_by_day": turnout_by_day,
            "assisted": assisted,
            "batches": batch_rows,
            "paper_tallies": poll.paper_tallies.select_related("minutes", "entered_by"),
            "paper_room": paper_tally_room(poll),
        },
    )


def new_code_batch(request, poll_id):
    poll = get_poll(request, poll_id)
    form = CodeBatchForm(poll, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            batch = generate_code_batch(
                poll,
                form.cleaned_data["size"],
                label=form.cleaned_data["label"],
                community=form.cleaned_data["community"],
                user=request.user,
            )
            messages.success(request, _("The codes have been generated. Print the sheet."))
            return redirect("polls_admin:code_sheet", poll.pk, batch.pk)
        status = 400
    return _form_page(request, poll, form, _("Generate voting codes"), status)


def code_sheet(request, poll_id, batch_id):
    """A printable A4 sheet: one slip per code, with the poll's address and a QR code."""
    poll = get_poll(request, poll_id)
    batch = get_object_or_404(CodeBatch, pk=batch_id, poll=poll)
    return TemplateResponse(
        request,
        "consultations/polls/admin/code_sheet.html",
        {"poll": poll, "batch": batch, "codes": batch.codes.order_by("code")},
    )


def new_paper_tally(request, poll_id):
    poll = get_poll(request, poll_id)
    form = PaperTallyForm(poll, request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            minutes = None
            upload = form.cleaned_data.get("minutes")
            if upload:
                minutes = get_document_model().objects.create(
                    title=_("Minutes: %(poll)s, %(date)s")
                    % {"poll": poll.title, "date": form.cleaned_data["meeting_date"]},
                    file=upload,
                    uploaded_by_user=request.user,
                )
            try:
                record_paper_tally(
                    poll,
                    meeting_date=form.cleaned_data["meeting_date"],
                    voters=form.cleaned_data["voters"],
                    counts=form.counts(),
                    minutes=minutes,
                    user=request.user,
                )
            except PollError as error:
                # Roster-based polls: more paper ballots than people left on the roll.
                if minutes is not None:
                    minutes.delete()
                form.add_error("voters", error.message)
            else:
                messages.success(request, _("The paper tally has been recorded."))
                return redirect("polls_admin:dashboard", poll.pk)
        status = 400
    return _form_page(request, poll, form, _("Enter a paper tally"), status, multipart=True)


def assisted_vote(request, poll_id):
    poll = get_poll(request, poll_id)
    form = AssistedBallotForm(poll, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            voter = getattr(form, "resident", None)
            try:
                cast_ballot(
                    poll,
                    voter,
                    form.choices(),
                    code=form.cleaned_data.get("code"),
                    assisted_by=request.user,
                )
            except PollError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The ballot has been cast and marked as assisted."))
                return redirect("polls_admin:dashboard", poll.pk)
        status = 400
    return _form_page(request, poll, form, _("Record an assisted vote"), status)


def roster_assisted_vote(request, poll_id):
    """Roster-based polls: cast the ballot of a roster person at the office. Needs the right
    to act for residents of the person's community; the entry is marked assisted by the
    worker and names the person, so they cannot vote again by any channel."""
    poll = get_poll(request, poll_id)
    form = RosterAssistedBallotForm(poll, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            refuse_unless(can_act_for_person(request.user, form.person))
            voter = getattr(getattr(form.person, "link", None), "user", None)
            try:
                cast_ballot(
                    poll,
                    voter,
                    form.choices(),
                    assisted_by=request.user,
                    roster_person=form.person,
                )
            except AlreadyVoted:
                # Said of the person in front of the desk, not of "you" (the worker).
                form.add_error(
                    None,
                    _(
                        "This person has already voted in this poll, in person, online or "
                        "with a code."
                    ),
                )
            except PollError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("The ballot of %(name)s has been cast and marked as assisted.")
                    % {"name": form.person.full_name},
                )
                return redirect("polls_admin:dashboard", poll.pk)
        status = 400
    return _form_page(request, poll, form, _("Record an assisted vote"), status)


@require_POST
def issue_person_codes(request, poll_id):
    """Roster-based polls: one code per person on the roll, then the distribution list."""
    poll = get_poll(request, poll_id)
    try:
        batch = issue_roster_codes(poll, user=request.user)
    except PollError as error:
        messages.error(request, error.message)
        return redirect("polls_admin:dashboard", poll.pk)
    messages.success(request, _("The codes have been issued. Print the distribution list."))
    return redirect("polls_admin:distribution_list", poll.pk, batch.pk)


def distribution_list(request, poll_id, batch_id):
    """Printable list of per-person codes: name, group, household, code, signature."""
    poll = get_poll(request, poll_id)
    batch = get_object_or_404(CodeBatch, pk=batch_id, poll=poll)
    codes = batch.codes.select_related("roster_person").order_by(
        "roster_person__group", "roster_person__household", "roster_person__full_name"
    )
    return TemplateResponse(
        request,
        "consultations/polls/admin/distribution_list.html",
        {"poll": poll, "batch": batch, "codes": codes},
    )


def export_results(request, poll_id, file_format):
    """Aggregated results only; individual ballots of a secret poll are never exported."""
    poll = get_poll(request, poll_id)
    if file_format not in ("csv", "xlsx"):
        return HttpResponseBadRequest()
    results = poll_results(poll)
    return export_response(
        f"poll-{poll.pk}-results",
        [str(h) for h in RESULT_HEADERS],
        results_rows(poll, results),
        file_format=file_format,
    )


@require_POST
def publish(request, poll_id):
    poll = get_poll(request, poll_id)
    refuse_unless(can_publish_poll_results(request.user, poll))
    publish_results(poll, request.user)
    messages.success(request, _("The results are now public."))
    return redirect("polls_admin:dashboard", poll.pk)


def _form_page(request, poll, form, title, status, multipart=False):
    return TemplateResponse(
        request,
        "consultations/polls/admin/form.html",
        {"poll": poll, "form": form, "title": title, "multipart": multipart, "now": timezone.now()},
        status=status,
    )
