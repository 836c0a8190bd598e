"""Poll results: each visibility rule holds on every surface; secrecy; a fixed query count."""

import json
import uuid
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations.polls.models import (
    Ballot,
    Eligibility,
    NamedVote,
    PollPage,
    ResultsVisibility,
    VotingCode,
)
from consultations.polls.operations import cast_ballot, generate_code_batch, publish_results
from consultations.polls.results import BREAKDOWN_MIN_VOTERS, poll_results
from tests.conftest import make_consultation, make_user
from tests.consultations.polls.factories import (
    DEFAULT_QUESTIONS,
    LIGHTS,
    NO,
    PARK,
    YES,
    bulk_ballots,
    make_poll,
    question,
    recorded_ballots,
)

pytestmark = pytest.mark.django_db

RESULT_MARKER = b"poll-bar-value"


def en(url):
    return url if url.startswith("/en/") else "/en" + url


def surfaces(client, poll):
    """What each public surface reveals: page, card, CSV, JSON, API (detail and listing)."""
    page = client.get(en(poll.url))
    card = client.get(en(poll.consultation.url))
    csv = client.get(en(poll.url) + "results/csv/")
    data = client.get(en(poll.url) + "results/json/")
    api = client.get(f"/api/v2/pages/{poll.pk}/?fields=*")
    listing = client.get("/api/v2/pages/?type=consultations.PollPage&fields=*")
    return {
        "page": RESULT_MARKER in page.content,
        "card": RESULT_MARKER in card.content,
        "csv": csv.status_code == 200,
        "json": data.status_code == 200,
        "api": any(
            key in response.content
            for response in (api, listing)
            for key in (b"votes", b"voters", b"tall")
        ),
    }


HIDDEN = {"page": False, "card": False, "csv": False, "json": False, "api": False}
SHOWN = {"page": True, "card": True, "csv": True, "json": True, "api": True}
# Results shown to one voter (after voting, before the close) are not public: the open-data
# API, which answers everyone alike, keeps them back.
SHOWN_TO_VOTER = {**SHOWN, "api": False}


@pytest.fixture
def voter_pair(tree):
    return (
        make_user("voter@example.com", community=tree.a),
        make_user("neighbour@example.com", community=tree.a),
    )


def test_live_results_are_shown_while_open(client, consultation, voter_pair, tree):
    poll = make_poll(consultation, results_visibility=ResultsVisibility.LIVE)
    cast_ballot(poll, voter_pair[0], [YES, PARK])
    assert surfaces(client, poll) == SHOWN
    future = make_poll(
        make_consultation(tree.a, slug="later"),
        slug="future",
        results_visibility=ResultsVisibility.LIVE,
        opens_at=timezone.now() + timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=2),
    )
    assert surfaces(client, future) == HIDDEN


def test_after_voting_results_are_shown_to_voters_only_until_close(
    client, consultation, voter_pair
):
    voter, neighbour = voter_pair
    poll = make_poll(consultation, results_visibility=ResultsVisibility.AFTER_VOTING)
    cast_ballot(poll, voter, [YES, PARK])
    assert surfaces(client, poll) == HIDDEN
    client.force_login(neighbour)
    assert surfaces(client, poll) == HIDDEN
    client.force_login(voter)
    assert surfaces(client, poll) == SHOWN_TO_VOTER
    client.logout()
    PollPage.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    poll.refresh_from_db()
    assert surfaces(client, poll) == SHOWN


def test_after_voting_results_are_shown_to_a_code_holder_in_their_browser(
    client, consultation, editor_a
):
    poll = make_poll(
        consultation,
        eligibility=Eligibility.CODES,
        results_visibility=ResultsVisibility.AFTER_VOTING,
    )
    code = generate_code_batch(poll, 1, user=editor_a).codes.get().code
    assert surfaces(client, poll) == HIDDEN
    data = {
        f"q_{DEFAULT_QUESTIONS[0]['id']}": YES,
        f"q_{DEFAULT_QUESTIONS[1]['id']}": [PARK],
        "code": code,
        "confirm": "1",
    }
    assert client.post(en(poll.url), data).status_code == 302
    assert surfaces(client, poll) == SHOWN_TO_VOTER


def test_after_close_results_are_hidden_until_the_poll_closes(client, consultation, voter_pair):
    poll = make_poll(consultation)  # the default rule
    assert poll.results_visibility == ResultsVisibility.AFTER_CLOSE
    cast_ballot(poll, voter_pair[0], [YES, PARK])
    assert surfaces(client, poll) == HIDDEN
    client.force_login(voter_pair[0])
    assert surfaces(client, poll) == HIDDEN
    PollPage.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    poll.refresh_from_db()
    assert surfaces(client, poll) == SHOWN


def test_after_publish_results_wait_for_staff(client, consultation, voter_pair, reviewer_a):
    poll = make_poll(consultation, results_visibility=ResultsVisibility.AFTER_PUBLISH)
    cast_ballot(poll, voter_pair[0], [YES, PARK])
    PollPage.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    poll.refresh_from_db()
    assert surfaces(client, poll) == HIDDEN
    publish_results(poll, reviewer_a)
    poll.refresh_from_db()
    assert surfaces(client, poll) == SHOWN


def test_staff_of_the_community_see_results_before_they_are_public(client, poll_hidden, editor_a):
    client.force_login(editor_a)
    # Not while voting is open (a secret ballot: tests/…/test_secrecy.py), but once it has
    # closed, before they publish them.
    assert RESULT_MARKER not in client.get(en(poll_hidden.url)).content
    PollPage.objects.filter(pk=poll_hidden.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    assert RESULT_MARKER in client.get(en(poll_hidden.url)).content
    client.logout()
    assert RESULT_MARKER not in client.get(en(poll_hidden.url)).content


@pytest.fixture
def poll_hidden(consultation):
    return make_poll(consultation, results_visibility=ResultsVisibility.AFTER_PUBLISH)


def test_json_download_has_counts_percentages_and_turnout(client, consultation, tree):
    poll = make_poll(consultation, results_visibility=ResultsVisibility.LIVE)
    voters = [make_user(f"v{i}@example.com", community=tree.a) for i in range(4)]
    for voter, choice in zip(voters, [YES, YES, YES, NO], strict=True):
        cast_ballot(poll, voter, [choice, PARK])
    response = client.get(en(poll.url) + "results/json/")
    data = json.loads(response.content)
    assert data["voters_online"] == 4
    assert data["eligible"] == 4
    assert data["turnout_percent"] == 100.0
    yes, no = data["questions"][0]["options"]
    assert (yes["online"], yes["online_percent"], no["online"], no["online_percent"]) == (
        3,
        75.0,
        1,
        25.0,
    )
    csv = client.get(en(poll.url) + "results/csv/").content.decode("utf-8-sig")
    assert "Do you support paving the main road?" in csv


def test_breakdown_per_community_only_for_groups_of_ten(client, tree):
    consultation = make_consultation(tree.township, slug="township-wide")
    consultation.covered_communities.set([tree.a, tree.b])
    consultation.save_revision().publish()
    poll = make_poll(consultation, results_visibility=ResultsVisibility.LIVE)
    for i in range(BREAKDOWN_MIN_VOTERS):
        cast_ballot(poll, make_user(f"a{i}@example.com", community=tree.a), [YES, PARK])
    for i in range(3):
        cast_ballot(poll, make_user(f"b{i}@example.com", community=tree.b), [NO, LIGHTS])
    results = poll_results(poll)
    assert results["voters_online"] == 13
    # Village A alone would give village B's three ballots away (total minus A).
    assert results["breakdown"] == []
    for i in range(BREAKDOWN_MIN_VOTERS - 3):
        cast_ballot(poll, make_user(f"b{i + 3}@example.com", community=tree.b), [NO, LIGHTS])
    results = poll_results(poll)
    assert {group["community"] for group in results["breakdown"]} == {tree.a.title, tree.b.title}
    page = client.get(en(poll.url))
    assert tree.a.title.encode() in page.content
    assert b"By community" in page.content


# --- secrecy -------------------------------------------------------------------------------


def test_ballot_schema_cannot_identify_a_voter():
    fields = {f.name: f for f in Ballot._meta.get_fields() if f.concrete}
    assert set(fields) == {"id", "poll", "choices", "cast_on"}
    assert isinstance(Ballot._meta.pk, models.UUIDField)
    relations = [f for f in fields.values() if f.is_relation]
    assert [f.related_model for f in relations] == [PollPage]
    assert not any(isinstance(f, models.DateTimeField) for f in fields.values())
    assert isinstance(fields["cast_on"], models.DateField)
    assert not any(
        getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) for f in fields.values()
    )


def test_no_row_links_a_voter_to_a_choice_in_a_secret_poll(
    client, consultation, resident, editor_a
):
    poll = make_poll(consultation)
    code_poll = make_poll(consultation, slug="codes", eligibility=Eligibility.CODES)
    code = generate_code_batch(code_poll, 1, user=editor_a).codes.get()
    client.force_login(resident)
    data = {
        f"q_{DEFAULT_QUESTIONS[0]['id']}": NO,
        f"q_{DEFAULT_QUESTIONS[1]['id']}": [LIGHTS],
        "confirm": "1",
    }
    assert client.post(en(poll.url), data).status_code == 302
    cast_ballot(code_poll, None, [NO, LIGHTS], code=code.code)

    ballots = list(recorded_ballots())
    assert len(ballots) == 2
    for ballot in ballots:
        assert ballot.id.version == 4
        text = json.dumps([str(ballot.id), ballot.poll_id, ballot.choices, str(ballot.cast_on)])
        assert resident.email not in text and code.code not in text
    assert not NamedVote.objects.exists()

    User = get_user_model()
    option_ids = {NO, LIGHTS}
    for model in apps.get_models():
        concrete = list(model._meta.concrete_fields)
        voter_fields = [
            f.attname for f in concrete if f.is_relation and f.related_model in (User, VotingCode)
        ]
        for row in model.objects.values():
            points_at_voter = any(
                row.get(name) in (resident.pk, code.pk) for name in voter_fields
            ) or any(isinstance(v, str) and code.code in v for v in row.values())
            if not points_at_voter:
                continue
            dumped = json.dumps(row, default=str)
            assert not any(option in dumped for option in option_ids), (model, row)


def test_open_vote_records_names_with_choices(consultation, resident):
    poll = make_poll(consultation, secret=False)
    cast_ballot(poll, resident, [YES, PARK])
    named = NamedVote.objects.get()
    assert named.register_entry.user == resident
    assert named.choices == sorted([YES, PARK])


# --- performance -------------------------------------------------------------------------


def page_queries(client, poll):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(en(poll.url))
    assert response.status_code == 200
    assert RESULT_MARKER in response.content
    return len(ctx.captured_queries)


def test_poll_page_query_count_does_not_grow_with_ballots(client, consultation):
    poll = make_poll(consultation, results_visibility=ResultsVisibility.LIVE)
    bulk_ballots(poll, 10)
    client.get(en(poll.url))  # warm caches (site root, content types)
    few = page_queries(client, poll)
    bulk_ballots(poll, 9_990)
    many = page_queries(client, poll)
    assert few == many
    assert poll_results(poll)["voters_online"] == 10_000


def test_poll_page_query_count_does_not_grow_with_options(client, consultation):
    small = make_poll(consultation, slug="small", results_visibility=ResultsVisibility.LIVE)
    options = [(str(uuid.uuid4()), f"Option {i}") for i in range(12)]
    big_questions = [
        question(
            str(uuid.uuid4()),
            f"Question {q}",
            [(str(uuid.uuid4()), f"Option {i}") for i in range(12)],
        )
        for q in range(3)
    ] + [question(str(uuid.uuid4()), "Many", options, kind="multiple", max_choices=5)]
    big = make_poll(
        consultation, slug="big", questions=big_questions, results_visibility=ResultsVisibility.LIVE
    )
    bulk_ballots(small, 5)
    bulk_ballots(big, 5, choices=[options[0][0]])
    client.get(en(small.url))
    client.get(en(big.url))  # each poll's eligible count is kept for 30 seconds
    assert page_queries(client, small) == page_queries(client, big)


def test_admin_dashboard_renders_for_staff(client, consultation, editor_a):
    poll = make_poll(consultation)
    bulk_ballots(poll, 20)
    client.force_login(editor_a)
    response = client.get(reverse("polls_admin:dashboard", args=[poll.pk]))
    assert response.status_code == 200
