"""pytest plugin loaded before Django reads its settings (see pyproject.toml).

It marks the process as a test run, which gives settings a fixed development SECRET_KEY
and plain static file storage, and runs background tasks immediately so that tests see
their mail in the outbox.
"""

import os

os.environ.setdefault("PORTAL_TESTING", "1")
