"""TASKS_BACKEND=rq: a task enqueued by the portal is run by an RQ worker (local Redis).

Uses Redis DB index 3 on 127.0.0.1:6379 (skipped when no Redis answers there). The worker
is RQ's SimpleWorker in this process, in burst mode: it runs what is queued and returns.
"""

import pytest
from django.core.cache import cache
from django_tasks import task, task_backends

REDIS = "redis://127.0.0.1:6379/3"


def _redis_or_skip():
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(REDIS, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at " + REDIS)
    return connection


@task()
def remember(key, value):
    cache.set(key, value, 60)
    return value * 2


@pytest.fixture
def rq_backend(settings):
    connection = _redis_or_skip()
    settings.RQ_QUEUES = {"default": {"URL": REDIS}, "rqtest": {"URL": REDIS}}
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["rqtest"]},
    }
    yield  # (django-tasks reads TASKS again when the setting changes)
    for key in connection.scan_iter("rq:*rqtest*"):
        connection.delete(key)


def test_a_task_enqueued_with_rq_is_run_by_a_worker(rq_backend):
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    assert type(task_backends["default"]).__name__ == "RQBackend"
    result = remember.using(queue_name="rqtest").enqueue("rq-test-key", 21)
    assert cache.get("rq-test-key") is None  # queued, not run

    queue = django_rq.get_queue("rqtest", job_class=Job)
    worker = SimpleWorker([queue], connection=queue.connection, job_class=Job)
    worker.work(burst=True)

    assert cache.get("rq-test-key") == 21
    result.refresh()
    assert result.status.name == "SUCCESSFUL"
    assert result.return_value == 42
