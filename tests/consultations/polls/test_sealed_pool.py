"""The sealed ballot pool: what a database reader cannot match, and nothing lost on the way."""

import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from consultations.polls import operations
from consultations.polls.models import Ballot, OptionTally, PollTurnout, SealedBallot
from consultations.polls.operations import POOL_KEEP, cast_ballot, flush_ballot_pool
from consultations.polls.results import poll_results
from consultations.polls.sealing import UnsealError, unseal
from tests.conftest import make_user
from tests.consultations.polls.factories import BENCHES, LIGHTS, NO, PARK, YES, make_poll

CHOICES = [[YES, PARK], [NO, LIGHTS], [YES, BENCHES], [NO, PARK], [YES, LIGHTS]]


def cast_many(poll, community, n, prefix="voter"):
    """n residents of `community` vote; returns their choices in the order they voted."""
    cast = []
    for i in range(n):
        chosen = CHOICES[i % len(CHOICES)]
        cast_ballot(poll, make_user(f"{prefix}{i}@example.com", community=community), chosen)
        cast.append(sorted(chosen))
    return cast


def figures(poll):
    results = poll_results(poll)
    counts = {o["id"]: o["online"] for q in results["questions"] for o in q["options"]}
    return results["voters_online"], counts


def expected(cast):
    counts = dict.fromkeys([YES, NO, PARK, LIGHTS, BENCHES], 0)
    for chosen in cast:
        for option in chosen:
            counts[option] += 1
    return len(cast), counts


def test_a_cast_writes_the_register_and_a_sealed_entry_only(consultation, resident):
    poll = make_poll(consultation)
    cast_ballot(poll, resident, [YES, PARK])
    assert SealedBallot.objects.filter(poll=poll).count() == 1
    assert not Ballot.objects.exists()
    # Not even zero-count option counters: their creation would show the first choices.
    assert not OptionTally.objects.filter(poll=poll).exists()
    assert PollTurnout.objects.get(poll=poll, community=None).voters == 1
    # Yet the figures already count it.
    assert figures(poll) == (1, expected([[YES, PARK]])[1])


def test_the_pool_cannot_be_read_without_the_key(consultation, resident, tree):
    poll = make_poll(consultation)
    cast_ballot(poll, resident, [YES, PARK])
    sealed = bytes(SealedBallot.objects.get().sealed)
    for option in (YES, PARK):
        assert option.encode() not in sealed
        assert uuid.UUID(option).bytes not in sealed
    assert b"choices" not in sealed and str(tree.a.pk).encode() + b"," not in sealed
    assert unseal(poll.pk, sealed)["choices"] == sorted([YES, PARK])
    with override_settings(SECRET_KEY="another-key-" * 6), pytest.raises(UnsealError):
        unseal(poll.pk, sealed)
    # Bound to its poll: moved to another poll's pool, it does not open.
    with pytest.raises(UnsealError):
        unseal(poll.pk + 1, sealed)
    # After a key rotation the old key, kept as a fallback, still opens the pool.
    old = "another-key-" * 6
    with override_settings(SECRET_KEY=old):
        resealed = operations.seal(poll.pk, {"choices": [NO]})
    with override_settings(SECRET_KEY="new-key-" * 8, SECRET_KEY_FALLBACKS=[old]):
        assert unseal(poll.pk, resealed) == {"choices": [NO]}


def test_an_open_poll_flushes_only_a_full_pool_and_keeps_some_back(consultation, tree):
    poll = make_poll(consultation)
    cast = cast_many(poll, tree.a, 2 * POOL_KEEP - 1)
    before = figures(poll)
    assert before == expected(cast)
    assert flush_ballot_pool(poll) == 0
    assert SealedBallot.objects.count() == 2 * POOL_KEEP - 1
    cast += cast_many(poll, tree.a, 3, prefix="late")
    # (In a test the casting transaction never commits, so its own flush does not run.)
    assert flush_ballot_pool(poll) == POOL_KEEP + 2
    assert SealedBallot.objects.count() == POOL_KEEP
    assert Ballot.objects.filter(poll=poll).count() == POOL_KEEP + 2
    assert figures(poll) == expected(cast)
    # Closing flushes the rest; figures and turnout do not move.
    assert flush_ballot_pool(poll, now=poll.closes_at + timedelta(minutes=1)) == POOL_KEEP
    assert not SealedBallot.objects.exists()
    assert figures(poll) == expected(cast)
    ballots = sorted(sorted(b.choices) for b in Ballot.objects.filter(poll=poll))
    assert ballots == sorted(cast)
    community = dict(
        OptionTally.objects.filter(poll=poll, community=tree.a).values_list("option_id", "votes")
    )
    assert community == {k: v for k, v in expected(cast)[1].items() if v}
    assert PollTurnout.objects.get(poll=poll, community=tree.a).voters == len(cast)


def test_a_crash_during_a_flush_loses_nothing(consultation, tree, monkeypatch):
    poll = make_poll(consultation)
    cast = cast_many(poll, tree.a, 4)

    def crash(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(operations, "_count", crash)
    with pytest.raises(RuntimeError):
        flush_ballot_pool(poll, everything=True)
    # The ballots written before the crash were rolled back with it; the pool is intact.
    assert not Ballot.objects.exists()
    assert SealedBallot.objects.count() == 4
    assert figures(poll) == expected(cast)
    monkeypatch.undo()
    assert flush_ballot_pool(poll, everything=True) == 4
    assert not SealedBallot.objects.exists()
    assert figures(poll) == expected(cast)


def test_the_timed_command_flushes_closed_polls_and_full_pools(consultation, tree):
    open_poll = make_poll(consultation, slug="open")
    closed_poll = make_poll(consultation, slug="closed")
    small = cast_many(open_poll, tree.a, 3, prefix="small")
    closing = cast_many(closed_poll, tree.a, 2, prefix="closing")
    out = StringIO()
    call_command("polls_flush_ballot_pools", stdout=out)
    assert "0 ballots flushed in 0 polls." in out.getvalue()
    closed_poll.closes_at = timezone.now() - timedelta(minutes=1)
    closed_poll.save(update_fields=["closes_at"])
    call_command("polls_flush_ballot_pools", stdout=out)
    assert "2 ballots flushed in 1 polls." in out.getvalue()
    assert SealedBallot.objects.filter(poll=open_poll).count() == 3
    assert not SealedBallot.objects.filter(poll=closed_poll).exists()
    assert figures(open_poll) == expected(small)
    assert figures(closed_poll) == expected(closing)


def test_an_open_vote_is_recorded_at_once(consultation, resident):
    poll = make_poll(consultation, secret=False)
    cast_ballot(poll, resident, [NO, LIGHTS])
    assert not SealedBallot.objects.exists()
    assert Ballot.objects.filter(poll=poll).count() == 1
    assert OptionTally.objects.get(poll=poll, option_id=NO, community=None).votes == 1


def test_a_changed_secret_key_leaves_the_pool_waiting_not_lost(consultation, resident):
    poll = make_poll(consultation)
    cast_ballot(poll, resident, [YES, PARK])
    with override_settings(SECRET_KEY="rotated-" * 8):
        # The page still shows (turnout included); the entry is neither counted nor dropped.
        assert figures(poll)[0] == 1
        with pytest.raises(UnsealError):
            flush_ballot_pool(poll, everything=True)
        assert SealedBallot.objects.count() == 1
    assert flush_ballot_pool(poll, everything=True) == 1
    assert figures(poll) == (1, expected([[YES, PARK]])[1])


def test_a_flush_takes_as_many_queries_for_many_ballots_as_for_few(consultation, tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def flush_queries(slug, n):
        poll = make_poll(consultation, slug=slug)
        cast_many(poll, tree.a, n, prefix=slug)
        with CaptureQueriesContext(connection) as captured:
            assert flush_ballot_pool(poll, everything=True) == n
        return len(captured)

    # Every option is chosen in both: one counter update per option and community.
    assert flush_queries("few", 5) == flush_queries("many", 40)
