"""One resident, one ballot under real concurrency (PostgreSQL only)."""

import threading

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import connection

from consultations.polls.models import OptionTally, PollTurnout, VoterRegister
from consultations.polls.operations import PollError, cast_ballot
from consultations.polls.results import poll_results
from tests.conftest import make_consultation, make_user, requires_postgres
from tests.consultations.polls.factories import LIGHTS, NO, PARK, YES, make_poll, recorded_ballots

pytestmark = [requires_postgres(), pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


# The test database server is shared (max_connections is about 100), so at most this many
# connections are open at once; each thread casts its share of the ballots back to back.
MAX_THREADS = 40


def run_at_once(jobs):
    """Run callables in threads released together; each thread uses its own connection."""
    outcomes = [None] * len(jobs)
    shares = [list(range(i, len(jobs), MAX_THREADS)) for i in range(min(MAX_THREADS, len(jobs)))]
    barrier = threading.Barrier(len(shares))

    def worker(indexes):
        try:
            barrier.wait()
            for index in indexes:
                try:
                    jobs[index]()
                    outcomes[index] = "cast"
                except PollError as error:
                    outcomes[index] = type(error).__name__
                except Exception as error:  # noqa: BLE001 - reported by the assertion below
                    outcomes[index] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_twenty_concurrent_casts_by_one_resident_give_one_ballot(tree):
    consultation = make_consultation(tree.a)
    poll = make_poll(consultation)
    resident = make_user("racer@example.com", community=tree.a)
    outcomes = run_at_once([lambda: cast_ballot(poll, resident, [YES, PARK])] * 20)
    assert outcomes.count("cast") == 1, outcomes
    assert outcomes.count("AlreadyVoted") == 19, outcomes
    assert recorded_ballots().filter(poll=poll).count() == 1
    assert VoterRegister.objects.filter(poll=poll).count() == 1
    assert PollTurnout.objects.get(poll=poll, community=None).voters == 1
    assert OptionTally.objects.get(poll=poll, option_id=YES, community=None).votes == 1


def test_two_hundred_residents_at_once_give_two_hundred_ballots(tree):
    consultation = make_consultation(tree.a)
    poll = make_poll(consultation)
    User = get_user_model()
    users = User.objects.bulk_create(
        [
            User(email=f"crowd{i}@example.com", community=tree.a, residence_status="registered")
            for i in range(200)
        ]
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
    )
    choices = [[YES, PARK] if i % 3 else [NO, PARK, LIGHTS] for i in range(200)]

    def job(user, chosen):
        return lambda: cast_ballot(poll, user, chosen)

    outcomes = run_at_once([job(u, c) for u, c in zip(users, choices, strict=True)])
    assert outcomes.count("cast") == 200, [o for o in outcomes if o != "cast"][:5]
    assert recorded_ballots().filter(poll=poll).count() == 200
    assert VoterRegister.objects.filter(poll=poll).count() == 200
    results = poll_results(poll)
    assert results["voters_online"] == 200
    counts = {o["id"]: o["online"] for q in results["questions"] for o in q["options"]}
    expected_no = sum(1 for c in choices if NO in c)
    assert counts[YES] + counts[NO] == 200
    assert counts[NO] == expected_no
    assert counts[PARK] == 200
    assert counts[LIGHTS] == expected_no
    # The per-community counters add up to the totals too.
    community_yes = OptionTally.objects.get(poll=poll, option_id=YES, community=tree.a).votes
    assert community_yes == counts[YES]
    # And the ballots themselves agree with the counters.
    assert sum(1 for b in recorded_ballots().filter(poll=poll) if YES in b.choices) == counts[YES]
