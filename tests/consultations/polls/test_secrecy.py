"""Secrecy of the published figures against a curious resident and against staff.

The differencing attack: the public results hid a community below the threshold but
showed the others and the total, so the total minus the shown communities was the hidden
community's ballot. And the staff dashboard showed a secret poll's live counts, so
reloading it before and after a known person voted at the office showed their choice.
"""

import json
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.polls.models import PollPage, ResultsVisibility
from consultations.polls.operations import cast_ballot, confirm_paper_tally, record_paper_tally
from consultations.polls.results import BREAKDOWN_MIN_VOTERS, poll_results
from tests.conftest import PASSWORD, make_consultation, make_user
from tests.consultations.polls.factories import LIGHTS, NO, PARK, YES, make_poll

pytestmark = pytest.mark.django_db

MIN = BREAKDOWN_MIN_VOTERS


def without_tokens(html):
    """The page without its CSRF tokens (masked afresh on every response)."""
    html = re.sub(r'"CSRF_TOKEN": "[^"]+"', "", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def en(url):
    return url if url.startswith("/en/") else "/en" + url


@pytest.fixture
def township_poll(tree):
    consultation = make_consultation(tree.township, slug="township-wide")
    consultation.covered_communities.set([tree.a, tree.b])
    consultation.save_revision().publish()
    return make_poll(consultation, results_visibility=ResultsVisibility.LIVE)


def vote(poll, community, n, choices, prefix):
    for i in range(n):
        cast_ballot(poll, make_user(f"{prefix}{i}@example.com", community=community), choices)


def derivable_groups(data):
    """Every group whose per-option counts a reader can compute from the figures shown:
    each shown group, the total, and the total minus any set of shown groups (the
    differencing attack), online minus combined (paper), and so on. Returns
    [(voters, {option: votes})]."""
    groups = []
    totals = {}
    for question in data["questions"]:
        for option in question["options"]:
            totals[option["id"]] = option["combined"]
    total_voters = data["voters_total"]
    groups.append((total_voters, totals))
    shown = []
    for group in data["breakdown"]:
        counts = {o["id"]: o["online"] for q in group["questions"] for o in q["options"]}
        shown.append((group["voters"], counts))
        groups.append(shown[-1])
    online_totals = {}
    split_shown = all(
        option["online"] is not None for q in data["questions"] for option in q["options"]
    )
    if split_shown:
        online_totals = {o["id"]: o["online"] for q in data["questions"] for o in q["options"]}
        paper = {k: totals[k] - online_totals[k] for k in totals}
        groups.append((data["voters_paper"], paper))
        groups.append((data["voters_online"], online_totals))
    # The online total minus every shown community (and the combined total minus them).
    if shown:
        voters = sum(v for v, _ in shown)
        for base_voters, base in (
            [(data["voters_online"], online_totals)] if split_shown else []
        ) + [(total_voters, totals)]:
            rest = {k: base[k] - sum(c.get(k, 0) for _, c in shown) for k in base}
            groups.append((base_voters - voters, rest))
    return groups


def assert_no_small_group_revealed(data):
    for voters, counts in derivable_groups(data):
        if voters > 0:
            assert voters >= MIN, f"a group of {voters} voters is revealed: {counts}"


def test_total_minus_shown_communities_reveals_no_small_community(client, township_poll, tree):
    vote(township_poll, tree.a, MIN, [YES, PARK], "a")
    vote(township_poll, tree.b, 3, [NO, LIGHTS], "b")  # three voters of village B
    data = json.loads(client.get(en(township_poll.url) + "results/json/").content)
    assert data["voters_online"] == MIN + 3
    assert_no_small_group_revealed(data)
    # Village A alone would leave village B's three ballots as the difference: no breakdown.
    assert data["breakdown"] == []
    page = client.get(en(township_poll.url)).content.decode()
    assert "By community" not in page


def test_small_remainder_takes_the_smallest_shown_community_with_it(tree):
    consultation = make_consultation(tree.township, slug="three-villages")
    consultation.covered_communities.set([tree.a, tree.b, tree.c])
    consultation.save_revision().publish()
    poll = make_poll(consultation, results_visibility=ResultsVisibility.LIVE)
    vote(poll, tree.a, MIN + 2, [YES, PARK], "a")
    vote(poll, tree.b, MIN, [NO, PARK], "b")
    vote(poll, tree.c, 2, [NO, LIGHTS], "c")
    results = poll_results(poll)
    names = [group["community"] for group in results["breakdown"]]
    assert tree.a.title in names and tree.b.title not in names and tree.c.title not in names
    other = results["breakdown"][-1]
    assert other["other"] and other["voters"] == MIN + 2  # B and C together
    data = json.loads(json.dumps(results, default=str))
    assert_no_small_group_revealed(data)


def test_a_small_paper_tally_is_not_shown_apart_from_the_online_votes(client, township_poll, tree):
    vote(township_poll, tree.a, MIN, [YES, PARK], "a")
    vote(township_poll, tree.b, MIN, [NO, PARK], "b")
    PollPage.objects.filter(pk=township_poll.pk).update(electorate=100)
    township_poll.refresh_from_db()
    entered = record_paper_tally(
        township_poll, meeting_date=date.today(), voters=2, counts={NO: 2, LIGHTS: 2}
    )
    confirm_paper_tally(entered, make_user("second@example.com", staff=True))
    data = json.loads(client.get(en(township_poll.url) + "results/json/").content)
    assert data["voters_paper"] == 2  # how many, not what
    assert_no_small_group_revealed(data)
    csv = client.get(en(township_poll.url) + "results/csv/").content.decode("utf-8-sig")
    rows = [line.split(",") for line in csv.strip().splitlines()[1:]]
    assert all(row[4] == "" for row in rows)  # no paper column per option


def test_large_groups_are_still_shown(client, township_poll, tree):
    vote(township_poll, tree.a, MIN, [YES, PARK], "a")
    vote(township_poll, tree.b, MIN + 1, [NO, LIGHTS], "b")
    data = json.loads(client.get(en(township_poll.url) + "results/json/").content)
    assert {g["community"] for g in data["breakdown"]} == {tree.a.title, tree.b.title}
    assert_no_small_group_revealed(data)


# --- against staff ---------------------------------------------------------------------------


@pytest.fixture
def secret_poll(consultation):
    return make_poll(consultation, results_visibility=ResultsVisibility.AFTER_CLOSE)


@pytest.mark.parametrize("role", ["editor_a", "reviewer_a", "official", "superuser"])
def test_dashboard_before_and_after_a_known_vote_shows_no_choice(
    client, secret_poll, tree, role, request
):
    staff = request.getfixturevalue(role)
    for i in range(12):
        cast_ballot(secret_poll, make_user(f"e{i}@example.com", community=tree.a), [YES, PARK])
    assert client.login(email=staff.email, password=PASSWORD)
    url = reverse("polls_admin:dashboard", args=[secret_poll.pk])
    before = without_tokens(client.get(url).content.decode())
    cast_ballot(secret_poll, make_user("known@example.com", community=tree.a), [NO, LIGHTS])
    after = without_tokens(client.get(url).content.decode())
    assert before == after  # nothing a reload can tell apart
    assert "poll-bar-value" not in after
    for address in (
        reverse("polls_admin:export", args=[secret_poll.pk, "csv"]),
        reverse("polls_admin:export", args=[secret_poll.pk, "xlsx"]),
        reverse("polls_admin:dashboard", args=[secret_poll.pk]) + "?export=csv",
        reverse("polls_admin:dashboard", args=[secret_poll.pk]) + "?export=xlsx",
        en(secret_poll.url) + "results/json/",
        en(secret_poll.url) + "results/csv/",
    ):
        response = client.get(address)
        assert response.status_code in (302, 403), address
    assert "poll-bar-value" not in client.get(en(secret_poll.url)).content.decode()


def test_staff_see_the_counts_once_the_poll_has_closed(client, secret_poll, tree, editor_a):
    cast_ballot(secret_poll, make_user("e0@example.com", community=tree.a), [YES, PARK])
    PollPage.objects.filter(pk=secret_poll.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    client.force_login(editor_a)
    dashboard = client.get(reverse("polls_admin:dashboard", args=[secret_poll.pk]))
    assert b"poll-bar-value" in dashboard.content
    export = client.get(reverse("polls_admin:export", args=[secret_poll.pk, "csv"]))
    assert export.status_code == 200


def test_an_open_vote_keeps_its_live_dashboard(client, consultation, tree, editor_a):
    poll = make_poll(consultation, secret=False)
    cast_ballot(poll, make_user("e0@example.com", community=tree.a), [YES, PARK])
    client.force_login(editor_a)
    dashboard = client.get(reverse("polls_admin:dashboard", args=[poll.pk]))
    assert b"poll-bar-value" in dashboard.content
