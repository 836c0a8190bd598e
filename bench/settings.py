"""Settings for `make bench`: the portal's own, plus a minimal view to compare with.

Static files are served unhashed (no collectstatic needed for a scratch run); everything
else — PostgreSQL, Redis, the page cache, DEBUG off — is as in production.
"""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
