"""gunicorn.conf.py: bursts queue for a worker instead of timing out."""

import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def read(monkeypatch, **env):
    for name in ("WORKERS", "THREADS", "BACKLOG", "TIMEOUT", "PRELOAD", "MAX_REQUESTS"):
        monkeypatch.delenv(f"GUNICORN_{name}", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_defaults_queue_a_burst_and_fork_workers_ready_to_serve(monkeypatch):
    conf = read(monkeypatch)
    assert conf["backlog"] >= 2048  # a burst waits in the listen queue, it is not refused
    assert conf["timeout"] == 60
    assert conf["preload_app"] is True  # a replaced worker starts without importing again
    assert conf["max_requests"] == 20000
    assert 0 < conf["max_requests_jitter"] < conf["max_requests"]
    assert callable(conf["post_fork"])


def test_every_value_comes_from_the_environment(monkeypatch):
    conf = read(
        monkeypatch,
        GUNICORN_WORKERS="3",
        GUNICORN_THREADS="4",
        GUNICORN_BACKLOG="512",
        GUNICORN_TIMEOUT="30",
        GUNICORN_PRELOAD="0",
        GUNICORN_MAX_REQUESTS="1000",
    )
    assert (conf["workers"], conf["threads"], conf["backlog"], conf["timeout"]) == (3, 4, 512, 30)
    assert conf["preload_app"] is False
    assert conf["max_requests"] == 1000
