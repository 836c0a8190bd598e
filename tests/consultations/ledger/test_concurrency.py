"""The ledger under real concurrency (PostgreSQL only): one generated entry per
consultation, with the latest figures, however many syncs race."""

import threading

import pytest
from django.db import connection

from consultations.ledger import operations
from consultations.ledger.models import LedgerEntry, Source
from tests.conftest import make_consultation, requires_postgres
from tests.consultations.ledger.factories import add_suggestions

pytestmark = [
    requires_postgres(),
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def run_at_once(job, n):
    errors = []
    barrier = threading.Barrier(n)

    def worker():
        try:
            barrier.wait()
            job()
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_concurrent_first_syncs_make_one_entry_with_the_figures(tree):
    consultation = make_consultation(tree.a, slug="race")
    add_suggestions(consultation, 3)
    LedgerEntry.objects.filter(consultation=consultation).delete()
    errors = run_at_once(lambda: operations.sync_entry(consultation.pk), 12)
    assert errors == []
    entries = LedgerEntry.objects.filter(consultation=consultation, source=Source.GENERATED)
    assert entries.count() == 1
    assert entries.get().suggestions == 3
