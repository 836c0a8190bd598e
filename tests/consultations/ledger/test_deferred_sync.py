"""A burst of votes syncs the ledger once, from the task queue, after the burst.

With a backend that can defer (the database one of production), residents' records do not
sync the ledger in their own request: one task per consultation waits ten seconds.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from consultations.ledger.models import LedgerEntry
from consultations.polls.operations import cast_ballot
from tests.conftest import make_consultation, make_user
from tests.consultations.polls.factories import PARK, YES, make_poll

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    cache.clear()
    yield
    cache.clear()


def test_a_burst_of_votes_queues_one_ledger_sync_for_later(tree, database_tasks):
    consultation = make_consultation(tree.a)
    poll = make_poll(consultation)
    counted_before = LedgerEntry.objects.get(consultation=consultation).participants_computed
    before = timezone.now()
    for n in range(3):
        cast_ballot(poll, make_user(f"v{n}@example.com", community=tree.a), [YES, PARK])
    syncs = DBTaskResult.objects.filter(task_path__endswith="ledger.signals.sync_entry_soon")
    assert syncs.count() == 1
    sync = syncs.get()
    assert sync.args_kwargs["args"] == ["page", poll.pk]
    assert sync.run_after >= before + timedelta(seconds=9)
    # Not in the voters' requests: the entry has not moved yet.
    entry = LedgerEntry.objects.get(consultation=consultation)
    assert entry.participants_computed == counted_before

    # Run by the worker: the entry counts the three voters.
    sync.task.call(*sync.args_kwargs["args"])
    entry.refresh_from_db()
    assert entry.participants_computed == counted_before + 3
    # The next vote after the sync queues a new one.
    cast_ballot(poll, make_user("late@example.com", community=tree.a), [YES, PARK])
    assert syncs.count() == 2
