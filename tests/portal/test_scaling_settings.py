"""Past one machine: each piece is chosen by environment variables (portal/settings.py).

The settings are read in a fresh interpreter with the variables a deployer would set
(no network: nothing here connects to S3, Redis or a search cluster).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE = Path(__file__).resolve().parents[2]

READ = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import storages
default_storage = storages["default"]
from django.db import connections, router
from django_tasks import task_backends
default_task_backend = task_backends["default"]
print(json.dumps({
    "storage": type(default_storage).__module__ + "." + type(default_storage).__name__,
    "storage_options": settings.STORAGES["default"].get("OPTIONS", {}),
    "tasks": type(default_task_backend).__module__ + "." + type(default_task_backend).__name__,
    "rq_queues": getattr(settings, "RQ_QUEUES", None),
    "databases": sorted(settings.DATABASES),
    "replica_host": settings.DATABASES.get("replica", {}).get("HOST"),
    "replica_reads": settings.PORTAL_REPLICA_READS,
    "search": settings.WAGTAILSEARCH_BACKENDS["default"],
    "session_engine": settings.SESSION_ENGINE,
}, default=str))
"""


def settings_with(**env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PORTAL_", "AWS_", "TASKS_", "DATABASE_", "SEARCH_", "REDIS_"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        SECRET_KEY="settings-test-key-0123456789-abcdefghijklmnopqrstuvwxyz-0123456789",
        DEBUG="0",
        **env,
    )
    output = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", READ], cwd=BASE, env=environment, capture_output=True, text=True
    )
    assert output.returncode == 0, output.stderr
    return json.loads(output.stdout.splitlines()[-1])


def test_without_variables_everything_stays_on_one_machine():
    figures = settings_with()
    assert figures["storage"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert figures["tasks"] == "django_tasks_db.backend.DatabaseBackend"
    assert figures["databases"] == ["default"]
    assert figures["search"]["BACKEND"] == "wagtail.search.backends.database"
    assert figures["session_engine"] == "django.contrib.sessions.backends.db"


def test_a_bucket_puts_media_on_s3_compatible_storage():
    figures = settings_with(
        AWS_STORAGE_BUCKET_NAME="portal-media",
        AWS_S3_ENDPOINT_URL="https://minio.example.cn:9000",
        AWS_ACCESS_KEY_ID="key",
        AWS_SECRET_ACCESS_KEY="secret",  # noqa: S106 - not a real one
    )
    assert figures["storage"] == "storages.backends.s3.S3Storage"
    options = figures["storage_options"]
    assert options["bucket_name"] == "portal-media"
    assert options["endpoint_url"] == "https://minio.example.cn:9000"
    assert options["querystring_auth"] is False
    assert options["file_overwrite"] is False


def test_tasks_go_to_redis_with_rq():
    figures = settings_with(TASKS_BACKEND="rq", REDIS_URL="redis://cache.internal:6379/2")
    assert figures["tasks"] == "django_tasks_rq.backend.RQBackend"
    assert figures["rq_queues"] == {"default": {"URL": "redis://cache.internal:6379/2"}}
    # Redis for sessions too: cached_db is the default once REDIS_URL is set.
    assert figures["session_engine"] == "django.contrib.sessions.backends.cached_db"


def test_rq_without_a_redis_is_refused():
    environment = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="portal.settings",
        SECRET_KEY="x" * 60,
        TASKS_BACKEND="rq",
        REDIS_URL="",
        TASKS_REDIS_URL="",
    )
    environment.pop("PORTAL_TESTING", None)
    output = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", READ], cwd=BASE, env=environment, capture_output=True, text=True
    )
    assert output.returncode != 0
    assert "TASKS_REDIS_URL or REDIS_URL" in output.stderr


def test_a_replica_url_adds_the_replica_for_listing_reads():
    figures = settings_with(DATABASE_REPLICA_URL="postgres://reader@replica.internal:5432/portal")
    assert figures["databases"] == ["default", "replica"]
    assert figures["replica_host"] == "replica.internal"
    assert figures["replica_reads"] is True


@pytest.mark.parametrize("analyzer", ["ik_max_word", "smartcn"])
def test_search_moves_to_elasticsearch_with_a_chinese_analyzer(analyzer):
    figures = settings_with(
        SEARCH_BACKEND="elasticsearch8", SEARCH_URL="http://search:9200", SEARCH_ANALYZER=analyzer
    )
    search = figures["search"]
    assert search["BACKEND"] == "wagtail.search.backends.elasticsearch8"
    assert search["URLS"] == ["http://search:9200"]
    analysis = search["INDEX_SETTINGS"]["settings"]["analysis"]["analyzer"]
    assert analysis["default"] == {"type": analyzer}
    assert analysis["default_search"] == {"type": analyzer}


def test_opensearch_is_offered_too():
    assert (
        settings_with(SEARCH_BACKEND="opensearch2")["search"]["BACKEND"]
        == "wagtail.search.backends.opensearch2"
    )
