"""The read replica (portal/db_router.py): listings read from it, writes never do.

In the test suite "replica" is a test mirror of the default database (its own connection
to the same database), so the tests commit their rows (transactional tests).
"""

import pytest
from django.db import connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from consultations.models import ConsultationIndexPage, ConsultationPage
from portal.db_router import ReplicaRouter, replica_reads
from tests.conftest import add_page, make_consultation

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture(autouse=True)
def _replica_on(settings):
    settings.PORTAL_REPLICA_READS = True


def test_the_router_sends_listing_reads_to_the_replica_and_nothing_else():
    router = ReplicaRouter()
    assert router.db_for_read(ConsultationPage) is None  # Django's choice: default
    with replica_reads():
        assert router.db_for_read(ConsultationPage) == "replica"
        with transaction.atomic():
            # Inside a transaction a read may be part of a write: never the replica.
            assert router.db_for_read(ConsultationPage) is None
        assert router.db_for_write(ConsultationPage) == "default"
    assert router.allow_migrate("default", "consultations")
    assert not router.allow_migrate("replica", "consultations")


def test_the_router_is_off_without_a_replica(settings):
    settings.PORTAL_REPLICA_READS = False
    with replica_reads():
        assert ReplicaRouter().db_for_read(ConsultationPage) is None


def test_the_consultation_listing_is_read_from_the_replica(tree):
    index = add_page(tree.home, ConsultationIndexPage(title="协商议题", slug="consultations"))
    make_consultation(tree.a, title="村口路灯安装")
    client = Client()
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_default,
    ):
        response = client.get(index.url)
    assert response.status_code == 200
    assert "村口路灯安装" in response.content.decode()
    replica_sql = " ".join(query["sql"] for query in on_replica.captured_queries)
    assert "consultations_consultationpage" in replica_sql  # the listing and its counts
    # Routing, the session and the page itself stay on the default database.
    assert on_default.captured_queries


def test_search_and_the_tracker_read_from_the_replica(tree):
    make_consultation(tree.a, title="村口路灯安装")
    client = Client()
    for url in ("/search/?q=路灯", "/implementation/"):
        with CaptureQueriesContext(connections["replica"]) as on_replica:
            assert client.get(url).status_code == 200
        assert on_replica.captured_queries, url
