"""Steps the browser journeys share: a person's browser at a phone or desk size, signed in
without the sign-in form (which has its own journey), and screenshots kept for CI.

Screenshots go to `E2E_ARTIFACTS` (default /tmp/e2e-artifacts), one folder per test;
`.ci/run` points it at `.ci/artifacts/` so CI keeps them.
"""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from django.test import Client

# Residents on phones (the narrowest common Android width), staff at a desk.
PHONE = {"width": 360, "height": 780}
DESK = {"width": 1280, "height": 900}


def artifacts_dir():
    return Path(os.environ.get("E2E_ARTIFACTS") or "/tmp/e2e-artifacts")  # noqa: S108


def new_page(browser, live_server, *, user=None, viewport=PHONE, locale="zh-CN"):
    """A browser tab of its own (cookies, storage), signed in as `user` when given."""
    context = browser.new_context(viewport=viewport, locale=locale)
    page = context.new_page()
    page.set_default_timeout(15000)
    # A loaded CI machine may take longer to answer a POST that creates several pages.
    page.set_default_navigation_timeout(60000)
    page.base_url = live_server.url
    # The portal loads nothing from elsewhere (no CDN, no remote avatars or fonts).
    page.remote_requests = []
    own = urlsplit(live_server.url).netloc

    def note_remote(request):
        url = urlsplit(request.url)
        if url.scheme in ("http", "https") and url.netloc != own:
            page.remote_requests.append(request.url)

    page.on("request", note_remote)
    if user is not None:
        sign_in(page, user)
    return page


def sign_in(page, user):
    """The tab is now `user`'s: the session cookie changes, the browser's cache stays, so
    staff taking turns at one desk do not each download the admin's scripts again."""
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": page.base_url}])


class Camera:
    """Numbered full-page screenshots of one test: `camera.shoot(page, "ballot")`."""

    def __init__(self, test_name):
        self.folder = artifacts_dir() / re.sub(r"[^\w.-]+", "_", test_name)
        self.count = 0
        self.pages = []

    def shoot(self, page, name):
        if page not in self.pages:
            self.pages.append(page)
        self.count += 1
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{self.count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    def shoot_all(self, name):
        for number, page in enumerate(self.pages, start=1):
            if not page.is_closed():
                self.shoot(page, f"{name}-{number}")


def mailed_link(message, path_pattern):
    """The path of the portal link in a mail (mails link to https:// as in production,
    the test server speaks plain HTTP)."""
    found = re.search(r"https?://[^/\s]+(" + path_pattern + r"\S*)", message.body)
    assert found, message.body
    return found.group(1)
