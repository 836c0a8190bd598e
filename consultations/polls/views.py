"""Resident-facing poll views: vote (review, then cast) and download the results.

They are routes of PollPage (RoutablePageMixin), so they live at the poll's own address.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from consultations.exports import Spreadsheet

from .exports import results_sheet
from .forms import BallotForm
from .operations import (
    AlreadyVoted,
    Decision,
    PollError,
    cast_ballot,
    voting_decision,
    who_may_vote,
)
from .results import (
    poll_results,
    remember_vote,
    results_visible_to,
    voted_in_session,
    when_results_shown,
)


def _decision(request, poll, now):
    if poll.pk is None:
        # A preview of a poll being created in the admin: nothing to vote on or count yet.
        return Decision(False, _("This is a preview: voting opens once the poll is published."))
    return voting_decision(poll, request.user, now)


def poll_context(request, poll, now=None, decision=None):
    """Everything the poll page shows; a fixed number of queries whatever the ballots."""
    now = now or timezone.now()
    user = request.user
    decision = decision or _decision(request, poll, now)
    visible = poll.pk is not None and results_visible_to(poll, user, request, now)
    return {
        "decision": decision,
        "voted_here": voted_in_session(request, poll),
        "results_visible": visible,
        # Read only when the shared fragment of the results is not fresh (poll_page.html).
        "results": SimpleLazyObject(lambda: poll_results(poll)) if visible else None,
        "results_hidden_reason": None if visible else when_results_shown(poll),
        "is_open": poll.is_open(now),
        "has_closed": poll.has_closed(now),
        "csv_path": poll.reverse_subpage("results_csv"),
        "json_path": poll.reverse_subpage("results_json"),
        "who_may_vote": who_may_vote(poll) if poll.pk else [],
    }


def poll_page(request, poll):
    now = timezone.now()
    decision = _decision(request, poll, now)

    def page(status=200, **extra):
        # The page with its results is built only when one is shown: a ballot cast is
        # answered by a redirect, without them.
        context = poll.get_context(request)
        context.update(poll_context(request, poll, now, decision))
        context.update(extra)
        return TemplateResponse(request, poll.template, context, status=status)

    form = review = None
    status = 200
    if request.method == "POST":
        if not decision.allowed:
            if decision.already_voted:
                # A repeated post (flaky connection): the first one counted.
                messages.info(request, _("Your ballot has been recorded. You can vote only once."))
                return redirect(request.path)
            return page(403, form=None)
        if request.POST.get("edit"):
            return page(
                form=BallotForm(
                    poll,
                    initial=BallotForm.initial_from(request.POST),
                    with_code=decision.needs_code,
                )
            )
        form = BallotForm(poll, request.POST, with_code=decision.needs_code)
        if not form.is_valid():
            code_errors = form.errors.get("code")
            if code_errors and voted_in_session(request, poll):
                messages.info(request, _("Your ballot has been recorded. You can vote only once."))
                return redirect(request.path)
            status = 400
        elif request.POST.get("confirm") == "1":
            voter = request.user if request.user.is_authenticated else None
            try:
                cast_ballot(
                    poll,
                    voter,
                    form.choices(),
                    code=form.cleaned_data.get("code"),
                    # Asked once per cast: the decision above is this voter's, now.
                    decision=decision if voter is not None else None,
                )
            except AlreadyVoted:
                messages.info(request, _("Your ballot has been recorded. You can vote only once."))
                return redirect(request.path)
            except PollError as error:
                form.add_error(None, error.message)
                status = 400
            else:
                if voter is None or decision.needs_code:
                    # A code holder is known by this browser only; a resident's account
                    # is in the register (no session write for them).
                    remember_vote(request, poll)
                messages.success(request, _("Thank you. Your ballot has been cast."))
                return redirect(request.path)
        else:
            review = form.review()
    elif decision.allowed:
        form = BallotForm(poll, with_code=decision.needs_code)
    return page(status, form=form, review=review)


def results_payload(poll, results):
    return {
        "poll": poll.title,
        "url": poll.full_url,
        "opens_at": poll.opens_at.isoformat(),
        "closes_at": poll.closes_at.isoformat(),
        "secret": poll.secret,
        "voters_online": results["voters_online"],
        "voters_paper": results["voters_paper"],
        "voters_total": results["voters_total"],
        "eligible": results["eligible"],
        "turnout_percent": results["turnout_percent"],
        "questions": results["questions"],
        "breakdown": results["breakdown"],
    }


def results_download(request, poll, file_format):
    """CSV or JSON of the aggregated results, under the same rule as the page."""
    if not results_visible_to(poll, request.user, request):
        raise PermissionDenied(_("The results of this poll are not public yet."))
    results = poll_results(poll)
    if file_format == "json":
        response = JsonResponse(
            results_payload(poll, results), json_dumps_params={"ensure_ascii": False}
        )
        response["Content-Disposition"] = f'attachment; filename="poll-{poll.pk}-results.json"'
        return response
    spreadsheet = Spreadsheet(request, f"poll-{poll.pk}-results")
    return spreadsheet.response([results_sheet(results)], Spreadsheet.FORMAT_CSV)
