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

from consultations.exports import Spreadsheet
from consultations.permissions import (
    can_act_for_person,
    can_manage_codes,
    can_manage_poll,
    can_publish_poll_results,
    refuse_unless,
)
from consultations.polls.models import (
    CodeBatch,
    PaperTally,
    PollPage,
    VoterRegister,
    VotingCode,
)

from .exports import poll_sheets
from .forms import (
    AssistedBallotForm,
    CodeBatchForm,
    PaperTallyForm,
    RosterAssistedBallotForm,
    VoidCodesForm,
)
from .operations import (
    AlreadyVoted,
    PollError,
    approve_reprint,
    cast_ballot,
    confirm_paper_tally,
    generate_code_batch,
    issue_roster_codes,
    print_code_sheet,
    publish_results,
    record_paper_tally,
    remaining_voters,
    void_codes,
)
from .results import (
    TURNOUT_STEP,
    poll_results,
    results_due,
    rounded_turnout,
)


def get_poll(request, poll_id):
    poll = get_object_or_404(PollPage, pk=poll_id)
    refuse_unless(can_manage_poll(request.user, poll))
    return poll


def dashboard(request, poll_id):
    poll = get_poll(request, poll_id)
    # A secret poll whose counts are not due: no counts per option, no turnout per day,
    # turnout rounded (docs/secrecy.md, "staff").
    counts_due = results_due(poll)
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
    if not counts_due:
        turnout_by_day = []
    assisted = VoterRegister.objects.filter(poll=poll, assisted=True).count()
    batches = (
        CodeBatch.objects.filter(poll=poll)
        .select_related("community", "created_by", "printed_by", "reprint_approved_by")
        .annotate(issued=Count("codes"))
    )
    used = dict(
        VotingCode.objects.filter(poll=poll, used=True)
        .values_list("batch_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    voided = dict(
        VotingCode.objects.filter(poll=poll, voided=True)
        .values_list("batch_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    batch_rows = [
        {
            "batch": b,
            "issued": b.issued,
            "voided": voided.get(b.pk, 0),
            "used": used.get(b.pk, 0) if counts_due else rounded_turnout(used.get(b.pk, 0)),
        }
        for b in batches
    ]
    results = poll_results(poll) if counts_due else None
    # Results, turnout and breakdown on named sheets; a secret poll's only once due.
    spreadsheet = Spreadsheet(request, f"poll-{poll.pk}-results")
    if spreadsheet.is_export:
        refuse_unless(counts_due)
        return spreadsheet.response(poll_sheets(results, turnout_by_day))
    return TemplateResponse(
        request,
        "consultations/polls/admin/dashboard.html",
        {
            "poll": poll,
            "spreadsheet": spreadsheet,
            "results": results,
            "voters_rounded": None
            if counts_due
            else rounded_turnout(VoterRegister.objects.filter(poll=poll).count()),
            "turnout_step": TURNOUT_STEP,
            "turnout_by_day": turnout_by_day,
            "assisted": None if not counts_due else assisted,
            "batches": batch_rows,
            "paper_tallies": poll.paper_tallies.select_related(
                "minutes", "entered_by", "confirmed_by"
            ),
            "paper_room": remaining_voters(poll) if poll.uses_roster else None,
        },
    )


def new_code_batch(request, poll_id):
    poll = get_poll(request, poll_id)
    refuse_unless(can_manage_codes(request.user, poll))
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
                distributed_to=form.cleaned_data["distributed_to"],
            )
            messages.success(
                request,
                _(
                    "%(batch)s has been generated. Print its sheet: it can be printed once; "
                    "a reprint needs a second staff member's approval."
                )
                % {"batch": batch},
            )
            return redirect("polls_admin:dashboard", poll.pk)
        status = 400
    return _form_page(request, poll, form, _("Generate voting codes"), status)


@require_POST
def code_sheet(request, poll_id, batch_id):
    """A printable A4 sheet: one slip per code, with the poll's address and a QR code.

    Printed once (a POST, recorded and logged); a reprint needs a second staff member's
    approval. The sheet never says which codes were used.
    """
    poll = get_poll(request, poll_id)
    refuse_unless(can_manage_codes(request.user, poll))
    batch = get_object_or_404(CodeBatch, pk=batch_id, poll=poll)
    try:
        print_code_sheet(batch, request.user)
    except PollError as error:
        messages.error(request, error.message)
        return redirect("polls_admin:dashboard", poll.pk)
    codes = batch.codes.filter(voided=False)
    if codes.filter(roster_person__isnull=False).exists():
        # Per-person codes print as the distribution list: name, group, household, code,
        # signature column, like a voter card.
        template = "consultations/polls/admin/distribution_list.html"
        codes = codes.select_related("roster_person").order_by(
            "roster_person__group", "roster_person__household", "roster_person__full_name"
        )
    else:
        template = "consultations/polls/admin/code_sheet.html"
        codes = codes.order_by("code")
    response = TemplateResponse(request, template, {"poll": poll, "batch": batch, "codes": codes})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def approve_code_reprint(request, poll_id, batch_id):
    poll = get_poll(request, poll_id)
    refuse_unless(can_manage_codes(request.user, poll))
    batch = get_object_or_404(CodeBatch, pk=batch_id, poll=poll)
    try:
        approve_reprint(batch, request.user)
    except PollError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("One reprint of %(batch)s is approved.") % {"batch": batch})
    return redirect("polls_admin:dashboard", poll.pk)


def void_code_list(request, poll_id):
    poll = get_poll(request, poll_id)
    refuse_unless(can_manage_codes(request.user, poll))
    form = VoidCodesForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                count = void_codes(poll, form.code_list(), request.user)
            except PollError as error:
                form.add_error("codes", error.message)
            else:
                messages.success(request, _("%(count)s codes voided.") % {"count": count})
                return redirect("polls_admin:dashboard", poll.pk)
        status = 400
    return _form_page(request, poll, form, _("Void voting codes"), status)


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
                if minutes is not None:
                    minutes.delete()
                form.add_error("voters", error.message)
            else:
                messages.success(
                    request,
                    _(
                        "The paper tally has been recorded. It counts once a second staff "
                        "member confirms it."
                    ),
                )
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
    """Roster-based polls: one code per person on the roll, printed as a distribution list."""
    poll = get_poll(request, poll_id)
    refuse_unless(can_manage_codes(request.user, poll))
    try:
        batch = issue_roster_codes(poll, user=request.user)
    except PollError as error:
        messages.error(request, error.message)
        return redirect("polls_admin:dashboard", poll.pk)
    messages.success(
        request,
        _("%(batch)s has been issued. Print its distribution list below (once).")
        % {"batch": batch},
    )
    return redirect("polls_admin:dashboard", poll.pk)


def export_results(request, poll_id, file_format):
    """The results as a file: the dashboard's export (a secret poll's once due)."""
    poll = get_poll(request, poll_id)
    refuse_unless(results_due(poll))
    if file_format not in Spreadsheet.FORMATS:
        return HttpResponseBadRequest()
    return dashboard(Spreadsheet.list_request(request, export=file_format), poll.pk)


@require_POST
def confirm_tally(request, poll_id, tally_id):
    poll = get_poll(request, poll_id)
    tally = get_object_or_404(PaperTally, pk=tally_id, poll=poll)
    try:
        confirm_paper_tally(tally, request.user)
    except PollError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The paper tally is confirmed and now counts."))
    return redirect("polls_admin:dashboard", poll.pk)


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
