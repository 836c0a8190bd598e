"""What PostgreSQL's system columns show a database reader after real casts and flushes."""

import json

import pytest
from django.db import connection

from consultations.polls.models import SealedBallot
from consultations.polls.operations import POOL_KEEP, flush_ballot_pool
from consultations.polls.results import poll_results
from tests.conftest import make_consultation, requires_postgres
from tests.consultations.polls.factories import make_poll
from tests.consultations.polls.test_sealed_pool import cast_many, expected

pytestmark = [requires_postgres(), pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def system_columns(table, poll):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT xmin::text, ctid::text FROM {table} WHERE poll_id = %s",  # noqa: S608
            [poll.pk],
        )
        return cursor.fetchall()


def test_no_register_row_shares_a_transaction_or_an_order_with_a_ballot(tree):
    consultation = make_consultation(tree.a)
    poll = make_poll(consultation)
    # Real transactions: each cast commits, and a full pool flushes after its commit.
    n = 2 * POOL_KEEP + 5
    cast = cast_many(poll, tree.a, n)
    waiting = SealedBallot.objects.filter(poll=poll).count()
    assert POOL_KEEP <= waiting < 2 * POOL_KEEP
    voters, counts = expected(cast)
    results = poll_results(poll)
    assert results["voters_online"] == voters
    assert {o["id"]: o["online"] for q in results["questions"] for o in q["options"]} == counts

    flush_ballot_pool(poll, everything=True)
    assert not SealedBallot.objects.filter(poll=poll).exists()

    register = system_columns("consultations_voterregister", poll)
    ballots = system_columns("consultations_ballot", poll)
    tallies = system_columns("consultations_optiontally", poll)
    assert len(register) == len(ballots) == n
    register_xmins = {xmin for xmin, _ctid in register}
    assert len(register_xmins) == n  # one transaction per cast
    # The register row is inserted in a savepoint, so its xmin is a subtransaction's id and
    # the cast's own (top-level) id is the one just before: before the pool, every ballot
    # row had exactly that xmin. Neither may be a ballot's or a counter's now.
    casts = register_xmins | {str(int(xmin) - 1) for xmin in register_xmins}
    assert not casts & {xmin for xmin, _ctid in ballots}
    assert not casts & {xmin for xmin, _ctid in tallies}
    # Every ballot was written by a flush that covered at least POOL_KEEP voters.
    per_flush = {}
    for xmin, _ctid in ballots:
        per_flush[xmin] = per_flush.get(xmin, 0) + 1
    assert min(per_flush.values()) >= POOL_KEEP

    # Physical order (what a plain dump shows) is not the order of voting.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT choices FROM consultations_ballot WHERE poll_id = %s ORDER BY ctid",
            [poll.pk],
        )
        physical = [sorted(json.loads(row[0])) for row in cursor.fetchall()]
    assert sorted(physical) == sorted(cast)
    assert physical != cast
