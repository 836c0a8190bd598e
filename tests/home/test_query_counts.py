"""Queries per page type do not grow with the data (no query per item in any listing).

Each page type is rendered at two data sizes, anonymous (uncached: the page cache is off
in tests) and signed in, and the numbers of queries must be equal. The figures are pinned,
too, so that a change that adds queries to a page is a conscious one.
"""

import uuid

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from consultations.hearings.operations import register_for_session
from consultations.models import ConsultationIndexPage, SuggestionFormPage
from consultations.suggestions.models import Suggestion
from tests.conftest import PASSWORD, add_page, make_consultation, make_user
from tests.consultations.hearings.factories import make_hearing, session_fields
from tests.consultations.outcomes.factories import make_outcome
from tests.consultations.polls.factories import bulk_ballots, make_poll

pytestmark = pytest.mark.django_db


def build(tree, size):
    """`size` consultations in community A, each with a full set of attached pages."""
    index = add_page(tree.home, ConsultationIndexPage(title="协商议题", slug="consultations"))
    pages = {"index": index}
    for n in range(size):
        consultation = make_consultation(tree.a, slug=f"c{n}", title=f"议题{n}")
        form = add_page(consultation, SuggestionFormPage(title="意见征集", slug="suggestions"))
        for i in range(size):
            Suggestion.objects.create(
                page=form,
                user=make_user(f"s{n}-{i}@example.com", community=tree.a),
                token=uuid.uuid4().hex,
                status=Suggestion.Status.PUBLISHED,
                form_data={"title": f"建议{i}", "opinion": "村口太暗", "topic_part": ""},
            )
        hearing = make_hearing(
            consultation, sessions=[session_fields(days=10 + i) for i in range(size)]
        )
        for i, session in enumerate(hearing.sessions.all()):
            register_for_session(
                session, make_user(f"h{n}-{i}@example.com", community=tree.a), category="affected"
            )
        poll = make_poll(consultation)
        bulk_ballots(poll, 3 * size)
        outcome = make_outcome(consultation, items=[{"decision": f"项目{i}"} for i in range(size)])
        pages.update(consultation=consultation, form=form, hearing=hearing, poll=poll)
        pages["outcome"] = outcome
    return pages


def urls(tree, pages):
    return {
        "home": "/",
        "county": tree.county.url,
        "community": tree.a.url,
        "index": pages["index"].url,
        "index_filtered": pages["index"].url + "?stage=open",
        "consultation": pages["consultation"].url,
        "suggestion_form": pages["form"].url,
        "hearing": pages["hearing"].url,
        "poll": pages["poll"].url,
        "outcome": pages["outcome"].url,
        "tracker": "/implementation/",
        "search": "/search/?q=议题",
        "feed": "/feeds/consultations/rss/",
        "sitemap": "/sitemap.xml",
        "api_pages": "/api/v2/pages/?limit=50",
    }


def count_queries(client, url):
    client.get(url)  # warm the per-process caches (site root paths, settings)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def measure(tree, size, viewer, names=None):
    pages = build(tree, size)
    client = Client()
    if viewer is not None:
        assert client.login(email=viewer.email, password=PASSWORD)
    return {
        name: count_queries(client, url)
        for name, url in urls(tree, pages).items()
        if names is None or name in names
    }


# Pinned: the same at both sizes. A signed-in visitor costs a few more (session, user,
# their own registrations, ballots and suggestions). The consultation page is 4 fewer than
# before (34/40): its child cards are handed their consultation instead of each looking it
# up. With the cache on (not here: these are the uncached worst case), routes and the shared
# fragments save more (tests/home/test_fragments.py). A resident in no staff group is not
# asked Wagtail's edit-rights tester on a poll (one query fewer on the consultation and poll
# pages; tests/consultations/test_permissions.py keeps the rows). A suggestion board costs a
# signed-in visitor 2 more (issue 14, support): which listed suggestions they support (one
# query for the whole page) and whether they may support there (the account's facts: in a
# group, roster link, confirmed email, one query for the request). The hearing page offers
# its sessions in the registration form from the sessions it shows (no second query).
EXPECTED = {
    "anonymous": {
        "home": 15, "county": 12, "community": 20, "index": 18, "index_filtered": 17,
        "consultation": 30, "suggestion_form": 19, "hearing": 17, "poll": 16, "outcome": 29,
        "tracker": 9, "search": 8, "feed": 4, "sitemap": 13, "api_pages": 6,
    },
    # Signed in, every HTML page counts the unread notifications for the header's bell
    # (one query, none for anonymous visitors); county/township and consultation pages
    # also ask whether the visitor follows them (the follow button, one query).
    # Wagtail's userbar is shown to staff only: a resident's pages do not ask for their
    # permissions (two queries fewer on every HTML page).
    "resident": {
        "home": 18, "county": 16, "community": 24, "index": 21, "index_filtered": 20,
        "consultation": 35, "suggestion_form": 26, "hearing": 22, "poll": 23, "outcome": 32,
        "tracker": 12, "search": 11, "feed": 6, "sitemap": 15, "api_pages": 8,
    },
}  # fmt: skip


@pytest.mark.parametrize("role", ["anonymous", "resident"])
def test_queries_per_page_type_are_equal_at_two_sizes(tree, role):
    viewer = make_user("viewer@example.com", community=tree.a) if role == "resident" else None
    results = {}
    for size in (1, 4):
        sid = transaction.savepoint()
        results[size] = measure(tree, size, viewer)
        transaction.savepoint_rollback(sid)
    assert results[1] == results[4]
    assert results[1] == EXPECTED[role]


# Signed in with the caches on (as in production), on the second visit: the site and its
# home page, the route (the page itself), the view restrictions, the portal settings, the
# consultation's attached pages, the suggestion boards' counts and lists, a hearing's
# sessions with their counts and its form fields, the bell's number (kept per person until
# they get or read a notification), and the shared fragments (a consultation's record,
# details and cards, its suggestion card an overview the same for everyone; the public
# poll results; the whole outcome announcement; breadcrumbs) come from the cache. What is
# left is the visitor's own: the user, the follow button, their vote or registration and
# the account's facts. Caches off, the same pages take 35, 22, 23 and 32 (EXPECTED
# above); the poll here hides its results until it closes, and its resident is asked
# whether they may vote (the roster; the consultation's communities are remembered under
# the page-cache version).
EXPECTED_WARM = {"consultation": 4, "hearing": 3, "poll": 5, "outcome": 2}


def test_shared_fragments_leave_the_same_few_queries_at_two_sizes(tree, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 30
    viewer = make_user("viewer@example.com", community=tree.a)
    results = {}
    for size in (1, 4):
        sid = transaction.savepoint()
        results[size] = measure(tree, size, viewer, names=EXPECTED_WARM)
        transaction.savepoint_rollback(sid)
    assert results[1] == results[4]
    assert results[1] == EXPECTED_WARM


def test_casting_a_ballot_and_registering_take_a_bounded_number_of_queries(tree):
    """The two writes of a peak (notice day, poll deadline) do not grow with the data."""
    from consultations.polls.operations import cast_ballot
    from tests.consultations.polls.factories import PARK, YES

    def cast_queries(poll, n):
        bulk_ballots(poll, n)
        voter = make_user(f"voter-{poll.pk}-{n}@example.com", community=tree.a)
        with CaptureQueriesContext(connection) as captured:
            cast_ballot(poll, voter, [YES, PARK])
        return len(captured)

    def register_queries(hearing, n):
        session = hearing.sessions.get()
        for i in range(n):
            register_for_session(
                session, make_user(f"r-{hearing.pk}-{i}@example.com", community=tree.a),
                category="affected",
            )  # fmt: skip
        resident = make_user(f"last-{hearing.pk}@example.com", community=tree.a)
        with CaptureQueriesContext(connection) as captured:
            register_for_session(session, resident, category="affected")
        return len(captured)

    small, large = make_consultation(tree.a, slug="s"), make_consultation(tree.a, slug="l")
    cast = cast_queries(make_poll(small), 1)
    assert cast == cast_queries(make_poll(large), 500)
    # Checks (the roster's among them: does the community keep one, is the voter on it),
    # the register entry, the turnout counters and the sealed pool entry, in one
    # transaction; option counters are updated by the pool's flush, not the cast (once
    # committed, the cast adds the flush's check: a transaction and a locking select).
    # 19 (24 before the pool: the ballot row, the option counters made and four updated).
    assert cast <= 19
    small_hearing = make_hearing(small, sessions=[session_fields(seats=100)])
    large_hearing = make_hearing(large, sessions=[session_fields(seats=100)])
    few, many = register_queries(small_hearing, 1), register_queries(large_hearing, 40)
    assert few == many
    # The lock, the checks (the roster's among them: the account's roster link, whether the
    # covered communities keep a roster), the registration and its mail.
    assert few <= 17
