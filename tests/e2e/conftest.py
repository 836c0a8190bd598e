"""Browser journeys: Debian's Chromium driven by Playwright against the live test server."""

import os
import shutil

import pytest
from django.db import connections

from tests.consultations.outcomes.factories import legal_reviewer  # noqa: F401

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Flags for a closed network: no background connections, no component updates.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser(live_server):
    """A headless Chromium; the journey is skipped where Chromium is not installed."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    # are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
        # While Playwright's loop runs, the test's ORM calls use a connection of their own
        # (async context); close it here or PostgreSQL cannot drop the test database.
        connections.close_all()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def browser_page(browser, live_server):
    """A phone-sized page with a Chinese browser locale."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def e2e_artifacts():
    """The directory for screenshots and reports CI keeps (`E2E_ARTIFACTS`)."""
    import tempfile
    from pathlib import Path

    default = Path(tempfile.gettempdir()) / "e2e-artifacts"
    path = Path(os.environ.get("E2E_ARTIFACTS", default))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so `camera` knows whether it failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def camera(request):
    """Screenshots of this test, kept as CI artefacts (tests/e2e/helpers.py); when the test
    fails, a last one of every page it had photographed."""
    from tests.e2e.helpers import Camera

    camera = Camera(request.node.name)
    yield camera
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        camera.shoot_all("failed")
