"""Seats under concurrency, on PostgreSQL: whatever arrives at once, no overbooking.

Each thread uses its own database connection (Django keeps one per thread) and all
start together at a barrier, so the registrations really race each other.
"""

import threading

import pytest
from django.db import connection

from consultations.hearings import operations
from consultations.hearings.models import Registration
from tests.conftest import make_user, requires_postgres
from tests.consultations.hearings.factories import make_hearing, session_fields

pytestmark = [
    pytest.mark.postgres,
    requires_postgres(),
    pytest.mark.django_db(transaction=True),
]

Status = Registration.Status


def race(calls):
    """Run the callables in threads released at once; return their results and errors."""
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), []

    def run(index, call):
        try:
            barrier.wait(timeout=60)
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def test_fifty_concurrent_registrations_for_ten_seats(tree, consultation):
    hearing = make_hearing(consultation, slug="race", sessions=[session_fields(seats=10)])
    session = hearing.sessions.get()
    people = [make_user(f"racer{i}@example.com", community=tree.a) for i in range(50)]

    def register(user):
        return lambda: operations.register_for_session(
            session, user, category="affected", phone="13800138000"
        )

    results, errors = race([register(user) for user in people])

    assert errors == []
    statuses = [Registration.objects.get(user=user).status for user in people]
    assert statuses.count(Status.CONFIRMED) == 10
    assert statuses.count(Status.WAITLISTED) == 40
    assert Registration.objects.filter(session=session).count() == 50


def test_concurrent_quota_is_never_exceeded(tree, consultation):
    hearing = make_hearing(
        consultation, slug="quota-race", sessions=[session_fields(seats=20, quota_expert=3)]
    )
    session = hearing.sessions.get()
    experts = [make_user(f"expert{i}@example.com", community=tree.a) for i in range(15)]

    results, errors = race(
        [
            (lambda u=u: operations.register_for_session(session, u, category="expert"))
            for u in experts
        ]
    )

    assert errors == []
    confirmed = Registration.objects.filter(session=session, status=Status.CONFIRMED)
    assert confirmed.count() == 3
    assert Registration.objects.filter(session=session, status=Status.WAITLISTED).count() == 12


def test_concurrent_double_clicks_give_one_registration(resident, consultation):
    hearing = make_hearing(consultation, slug="double", sessions=[session_fields(seats=10)])
    session = hearing.sessions.get()

    results, errors = race(
        [
            (lambda: operations.register_for_session(session, resident, category="affected"))
            for _ in range(10)
        ]
    )

    assert errors == []
    assert Registration.objects.filter(session=session, user=resident).count() == 1
    codes = {registration.code for registration, _created in results}
    assert len(codes) == 1
    assert sum(created for _registration, created in results) == 1


def test_concurrent_cancellations_promote_without_overbooking(tree, consultation):
    hearing = make_hearing(consultation, slug="churn", sessions=[session_fields(seats=5)])
    session = hearing.sessions.get()
    people = [make_user(f"churn{i}@example.com", community=tree.a) for i in range(15)]
    registrations = [
        operations.register_for_session(session, u, category="affected")[0] for u in people
    ]
    seated = [r for r in registrations if r.status == Status.CONFIRMED]
    late = [make_user(f"late{i}@example.com", community=tree.a) for i in range(10)]

    calls = [(lambda r=r: operations.cancel_registration(r, r.user)) for r in seated]
    calls += [
        (lambda u=u: operations.register_for_session(session, u, category="affected")) for u in late
    ]
    results, errors = race(calls)

    assert errors == []
    assert Registration.objects.filter(session=session, status=Status.CONFIRMED).count() == 5
    # The freed seats went to the earliest waiting people, not to late arrivals.
    promoted = set(
        Registration.objects.filter(session=session, status=Status.CONFIRMED).values_list(
            "user_id", flat=True
        )
    )
    assert promoted == {u.pk for u in people[5:10]}
