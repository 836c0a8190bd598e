"""Roster-based polls: the rules, the roll as denominator, one person one voice across
online, code, assisted and paper votes."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import PageLogEntry

from consultations.polls.models import Eligibility, VoterRegister, VotingCode
from consultations.polls.operations import (
    AlreadyVoted,
    NotEligible,
    PollError,
    cast_ballot,
    eligible_count,
    issue_roster_codes,
    record_paper_tally,
    remaining_voters,
    voting_decision,
)
from consultations.polls.results import poll_results
from consultations.roster.models import LinkMethod
from consultations.roster.operations import link_account
from tests.conftest import make_consultation, make_user
from tests.consultations.polls.factories import NO, PARK, YES, make_poll
from tests.consultations.roster.factories import make_person

CHOICES = [YES, PARK]


@pytest.fixture
def consultation(tree):
    return make_consultation(tree.a)


@pytest.fixture
def poll(consultation):
    return make_poll(consultation, uses_roster=True)


def linked(tree, email, person):
    user = make_user(email, community=tree.b)  # the roster, not the profile, decides
    link_account(user, person, method=LinkMethod.OFFICE)
    return user


@pytest.fixture
def wang(tree):
    return make_person(tree.a, "王秀英", "110011", household="H1", is_household_representative=True)


@pytest.fixture
def wang_user(tree, wang):
    return linked(tree, "wang@example.com", wang)


@pytest.fixture
def worker(tree, editor_a):
    editor_a.user_permissions.add(Permission.objects.get(codename="assist_resident"))
    return type(editor_a).objects.get(pk=editor_a.pk)


# --- who may vote ------------------------------------------------------------------------


def test_only_linked_people_on_the_roll_may_vote(tree, poll, wang_user):
    assert voting_decision(poll, wang_user).allowed
    claimant = make_user("claimant@example.com", community=tree.a)  # says A, not on its roster
    with translation.override("en"):
        decision = voting_decision(poll, claimant)
    assert not decision.allowed and "roster" in decision.reason


def test_registered_only(tree, consultation):
    poll = make_poll(consultation, uses_roster=True, roster_residence="registered")
    li = make_person(tree.a, "李小红", "220021", residence_status="non_registered")
    user = linked(tree, "li@example.com", li)
    with translation.override("en"):
        decision = voting_decision(poll, user)
    assert not decision.allowed and "Only registered residents" in decision.reason
    assert eligible_count(poll) == 0


def test_villager_group(tree, consultation):
    poll = make_poll(consultation, uses_roster=True, roster_group="一组")
    make_person(tree.a, "甲", "000001", group="一组")
    other = make_person(tree.a, "乙", "000002", group="二组")
    assert eligible_count(poll) == 1
    assert not voting_decision(poll, linked(tree, "yi@example.com", other)).allowed


def test_minimum_age_on_the_day(tree, consultation):
    poll = make_poll(consultation, uses_roster=True, roster_min_age=18)
    today = timezone.localdate()
    adult = make_person(tree.a, "成年", "000001", date_of_birth=today.replace(year=today.year - 18))
    young = make_person(
        tree.a,
        "未成年",
        "000002",
        date_of_birth=today.replace(year=today.year - 18) + datetime.timedelta(days=1),
    )
    unknown = make_person(tree.a, "未知", "000003")
    assert eligible_count(poll) == 1
    assert voting_decision(poll, linked(tree, "a@example.com", adult)).allowed
    assert not voting_decision(poll, linked(tree, "y@example.com", young)).allowed
    assert not voting_decision(poll, linked(tree, "u@example.com", unknown)).allowed


def test_one_vote_per_household_only_the_representative_votes(tree, consultation, wang):
    poll = make_poll(consultation, uses_roster=True, one_vote_per_household=True)
    son = make_person(tree.a, "王建国", "110012", household="H1")
    make_person(tree.a, "李", "220021", household="H2", is_household_representative=True)
    assert eligible_count(poll) == 2
    with translation.override("en"):
        decision = voting_decision(poll, linked(tree, "son@example.com", son))
    assert not decision.allowed and "household" in decision.reason
    cast_ballot(poll, linked(tree, "w@example.com", wang), CHOICES)


def test_one_vote_per_household_holds_when_the_representative_changes(tree, consultation, wang):
    poll = make_poll(consultation, uses_roster=True, one_vote_per_household=True)
    cast_ballot(poll, linked(tree, "w@example.com", wang), CHOICES)
    wang.is_household_representative = False
    wang.save()
    son = make_person(tree.a, "王建国", "110012", household="H1", is_household_representative=True)
    with pytest.raises(AlreadyVoted):
        cast_ballot(poll, linked(tree, "son@example.com", son), CHOICES)


def test_the_denominator_is_the_roll(tree, poll, wang_user):
    make_person(tree.a, "甲", "000001")
    make_person(tree.a, "迁出", "000002", status="moved")
    make_person(tree.b, "乙村", "000003")  # not covered
    assert eligible_count(poll) == 2
    cast_ballot(poll, wang_user, CHOICES)
    results = poll_results(poll)
    assert results["eligible"] == 2 and results["voters_total"] == 1


def test_the_poll_page_says_who_may_vote_in_plain_words(client, tree, consultation, wang_user):
    poll = make_poll(consultation, uses_roster=True, one_vote_per_household=True, roster_min_age=18)
    client.force_login(wang_user)
    page = client.get("/en" + poll.url).content.decode()
    assert "One vote per household" in page
    assert "Aged 18 or over" in page
    assert tree.a.title in page


# --- one person, one voice across channels -----------------------------------------------


def test_online_then_code_is_refused(tree, poll, wang, wang_user):
    batch = issue_roster_codes(poll)
    code = batch.codes.get(roster_person=wang)
    cast_ballot(poll, wang_user, CHOICES)
    with pytest.raises(AlreadyVoted):
        cast_ballot(poll, None, [NO, PARK], code=code.code)
    assert VoterRegister.objects.filter(poll=poll).count() == 1
    code.refresh_from_db()
    assert not code.used


def test_code_then_assisted_is_refused(tree, poll, wang, worker):
    batch = issue_roster_codes(poll)
    cast_ballot(poll, None, CHOICES, code=batch.codes.get(roster_person=wang).code)
    with pytest.raises(AlreadyVoted):
        cast_ballot(poll, None, CHOICES, assisted_by=worker, roster_person=wang)
    assert VoterRegister.objects.filter(poll=poll, roster_person=wang).count() == 1


def test_assisted_then_online_is_refused(client, tree, poll, wang, wang_user, worker):
    client.force_login(worker)
    response = client.post(
        reverse("polls_admin:roster_assisted_vote", args=[poll.pk]),
        {
            "full_name": "王秀英",
            "local_id": "110011",
            f"q_{poll.question_list[0]['id']}": YES,
            f"q_{poll.question_list[1]['id']}": [PARK],
            "confirm": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:300]
    entry = VoterRegister.objects.get(poll=poll)
    assert entry.roster_person == wang and entry.assisted_by == worker and entry.assisted
    logged = PageLogEntry.objects.get(page=poll, action="consultations.polls.assisted_vote")
    assert logged.data == {"register_entry": entry.pk, "roster_person": wang.pk}
    assert voting_decision(poll, wang_user).already_voted
    with pytest.raises(AlreadyVoted):
        cast_ballot(poll, wang_user, CHOICES)


def test_assisting_needs_the_right_to_act_for_residents(client, tree, poll, wang, editor_a):
    client.force_login(editor_a)
    response = client.post(
        reverse("polls_admin:roster_assisted_vote", args=[poll.pk]),
        {
            "full_name": "王秀英",
            "local_id": "110011",
            f"q_{poll.question_list[0]['id']}": YES,
            f"q_{poll.question_list[1]['id']}": [PARK],
            "confirm": "on",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("/admin/")
    assert not VoterRegister.objects.exists()


def test_an_assisted_vote_applies_the_rules(tree, consultation, worker):
    poll = make_poll(consultation, uses_roster=True, roster_residence="registered")
    li = make_person(tree.a, "李小红", "220021", residence_status="non_registered")
    with pytest.raises(NotEligible):
        cast_ballot(poll, None, CHOICES, assisted_by=worker, roster_person=li)


def test_an_assisted_vote_is_refused_for_an_inactive_or_unverified_account(
    tree, consultation, editor_a
):
    poll = make_poll(consultation)  # not roster-based: the account rules apply
    inactive = make_user("inactive@example.com", community=tree.a)
    inactive.is_active = False
    inactive.save()
    unverified = make_user("unverified@example.com", community=tree.a, verified=False)
    for user in (inactive, unverified):
        with pytest.raises(NotEligible):
            cast_ballot(poll, user, CHOICES, assisted_by=editor_a)
    assert not VoterRegister.objects.exists()


def test_per_person_codes_and_the_distribution_list(client, tree, poll, wang, editor_a):
    make_person(tree.a, "李小红", "220021")
    client.force_login(editor_a)
    response = client.post(reverse("polls_admin:issue_person_codes", args=[poll.pk]))
    assert response.status_code == 302
    assert VotingCode.objects.filter(poll=poll, roster_person__isnull=False).count() == 2
    batch = VotingCode.objects.get(poll=poll, roster_person=wang).batch
    # The distribution list prints once, like any code sheet.
    sheet = reverse("polls_admin:code_sheet", args=[poll.pk, batch.pk])
    page = client.post(sheet).content.decode()
    assert "王秀英" in page and "李小红" in page
    code = VotingCode.objects.get(poll=poll, roster_person=wang)
    assert code.code in page
    again = client.post(sheet)
    assert again.status_code == 302
    assert code.code not in client.get(again["Location"]).content.decode()
    with pytest.raises(PollError):
        issue_roster_codes(poll)  # everyone has one


def test_a_code_poll_on_the_roster_refuses_anonymous_batch_codes(tree, consultation, wang):
    from consultations.polls.operations import generate_code_batch

    poll = make_poll(consultation, uses_roster=True, eligibility=Eligibility.CODES)
    batch = generate_code_batch(poll, 1)
    with pytest.raises(NotEligible):
        cast_ballot(poll, None, CHOICES, code=batch.codes.get().code)


def test_paper_tallies_are_bounded_by_the_roll(tree, poll, wang_user, editor_a):
    for i in range(4):
        make_person(tree.a, f"居民{i}", f"00000{i}")
    cast_ballot(poll, wang_user, CHOICES)
    assert remaining_voters(poll) == 4
    today = timezone.localdate()
    with pytest.raises(PollError):
        record_paper_tally(poll, meeting_date=today, voters=5, counts={YES: 5}, user=editor_a)
    record_paper_tally(poll, meeting_date=today, voters=3, counts={YES: 3}, user=editor_a)
    assert remaining_voters(poll) == 1
    with pytest.raises(PollError):
        record_paper_tally(poll, meeting_date=today, voters=2, counts={YES: 2}, user=editor_a)


def test_a_paper_tally_over_the_bound_is_a_400_in_the_admin(client, tree, poll, editor_a):
    make_person(tree.a, "甲", "000001")
    client.force_login(editor_a)
    data = {"meeting_date": timezone.localdate().isoformat(), "voters": 2}
    for question in poll.question_list:
        for option in question["options"]:
            data[f"o_{option['id']}"] = 0
    response = client.post(reverse("polls_admin:new_paper_tally", args=[poll.pk]), data)
    assert response.status_code == 400
    assert not poll.paper_tallies.exists()


def test_anonymous_code_polls_keep_working(tree, consultation):
    from consultations.polls.operations import generate_code_batch

    poll = make_poll(consultation, eligibility=Eligibility.CODES)
    batch = generate_code_batch(poll, 2)
    cast_ballot(poll, None, CHOICES, code=batch.codes.first().code)
    assert VoterRegister.objects.get(poll=poll).roster_person is None
