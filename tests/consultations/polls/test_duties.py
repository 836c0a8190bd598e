"""Duties kept apart: a paper tally counts once a second staff member confirms it, and
it cannot count more voters than could still vote."""

from datetime import date

import pytest
from django.urls import reverse
from wagtail.models import PageLogEntry

from consultations.polls.models import PaperTally, PollPage
from consultations.polls.operations import (
    PollError,
    cast_ballot,
    confirm_paper_tally,
    record_paper_tally,
    remaining_voters,
)
from consultations.polls.results import poll_results
from tests.conftest import PASSWORD
from tests.consultations.polls.factories import NO, PARK, YES, make_poll

pytestmark = pytest.mark.django_db


def tally(poll, voters, user, **counts):
    return record_paper_tally(
        poll,
        meeting_date=date(2026, 11, 20),
        voters=voters,
        counts=counts or {YES: voters},
        user=user,
    )


def test_a_paper_tally_of_five_thousand_on_a_poll_with_thirty_eligible_is_refused(
    consultation, editor_a, resident
):
    poll = make_poll(consultation, electorate=30)
    cast_ballot(poll, resident, [YES, PARK])
    assert remaining_voters(poll) == 29
    with pytest.raises(PollError):
        tally(poll, 5000, editor_a)
    tally(poll, 20, editor_a)
    assert remaining_voters(poll) == 9
    with pytest.raises(PollError):
        tally(poll, 10, editor_a)  # pending tallies count against the bound too
    assert PaperTally.objects.filter(poll=poll).count() == 1


def test_without_an_electorate_the_bound_is_who_may_vote_online(consultation, editor_a):
    poll = make_poll(consultation)
    with pytest.raises(PollError):
        tally(poll, 5000, editor_a)


def test_the_admin_form_refuses_an_unbounded_tally_with_a_message(client, consultation, editor_a):
    poll = make_poll(consultation, electorate=30)
    assert client.login(email=editor_a.email, password=PASSWORD)
    response = client.post(
        reverse("polls_admin:new_paper_tally", args=[poll.pk]),
        {
            "meeting_date": "2026-11-20",
            "voters": 5000,
            **{f"o_{oid}": 0 for oid in poll.option_ids()},
            f"o_{YES}": 5000,
        },
    )
    assert response.status_code == 400
    assert "30" in response.content.decode() and "5000" in response.content.decode()
    assert not PaperTally.objects.exists()


def test_a_tally_counts_only_once_a_second_staff_member_confirms_it(
    client, consultation, editor_a, reviewer_a
):
    poll = make_poll(consultation, electorate=100, secret=False)
    entered = tally(poll, 20, editor_a, **{YES: 12, NO: 8})
    assert poll_results(poll)["voters_paper"] == 0  # not yet
    with pytest.raises(PollError):
        confirm_paper_tally(entered, editor_a)  # not by the one who entered it
    assert client.login(email=editor_a.email, password=PASSWORD)
    url = reverse("polls_admin:confirm_paper_tally", args=[poll.pk, entered.pk])
    client.post(url)
    assert PaperTally.objects.get(pk=entered.pk).confirmed_at is None
    dashboard = client.get(reverse("polls_admin:dashboard", args=[poll.pk])).content.decode()
    assert url not in dashboard  # no button for the person who entered it

    assert client.login(email=reviewer_a.email, password=PASSWORD)
    assert url in client.get(reverse("polls_admin:dashboard", args=[poll.pk])).content.decode()
    assert client.post(url).status_code == 302
    confirmed = PaperTally.objects.get(pk=entered.pk)
    assert confirmed.confirmed_by == reviewer_a and confirmed.confirmed_at is not None
    assert poll_results(PollPage.objects.get(pk=poll.pk))["voters_paper"] == 20
    entry = PageLogEntry.objects.get(page=poll, action="consultations.polls.confirm_paper_tally")
    assert entry.user == reviewer_a and entry.data["tally"] == entered.pk
    with pytest.raises(PollError):
        confirm_paper_tally(confirmed, reviewer_a)  # once
