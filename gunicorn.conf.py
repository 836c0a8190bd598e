"""Gunicorn settings, read from the working directory by `gunicorn portal.wsgi`.

Bursts (a notice day, a poll's last evening) must queue, not time out: requests wait in the
listen backlog for a free worker, and a worker is only killed when one request takes longer
than GUNICORN_TIMEOUT. Every value can be set by an environment variable (README).
"""

import multiprocessing
import os

# GUNICORN_WORKERS: worker processes. Default: 2 per core, plus one.
workers = int(os.environ.get("GUNICORN_WORKERS", str(2 * multiprocessing.cpu_count() + 1)))
# GUNICORN_THREADS: threads per worker (more than 1 uses the gthread worker). Default: 1.
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# GUNICORN_BACKLOG: connections waiting for a worker before new ones are refused. Default: 2048.
backlog = int(os.environ.get("GUNICORN_BACKLOG", "2048"))
# GUNICORN_TIMEOUT: seconds one request may take before its worker is restarted. Default: 60.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# GUNICORN_PRELOAD: load the portal once in the master, then fork the workers (1) or load
# it in each worker (0, e.g. to reload code with HUP). Default: 1. A worker replaced in the
# middle of a burst then starts in milliseconds instead of importing Django and Wagtail
# again for a second or two while requests wait behind it.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"
# Workers are replaced now and then, so that a slow leak never grows (rarely: each new
# worker starts with cold per-process caches).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10


def post_fork(server, worker):
    """A forked worker opens its own database connections, never the master's."""
    from django.db import connections

    connections.close_all()
