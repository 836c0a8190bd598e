"""The authorization matrix: every URL pattern of the site, for every role.

`urls.CASES` fills each pattern from the fixture portal (`portal.build`); `expectations.
EXPECT` says what each role gets there. A pattern the resolver knows and the table does
not fails `test_every_url_pattern_is_in_the_table`, naming it: add its case and its
expectation (or its reason in `urls.UNFILLED`).
"""

import copy
import json
import os
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client, override_settings

from tests.authz import expectations, urls
from tests.authz.portal import ROLES, build

LOGIN_PATHS = ("/accounts/login/", "/en/accounts/login/", "/admin/login/", "/en/admin/login/")
DASHBOARD_PATHS = ("/admin/", "/en/admin/")


@pytest.fixture(scope="module")
def portal(django_db_setup, django_db_blocker, tmp_path_factory):
    """The fixture portal and one signed-in client per role, built once for the module.

    Built inside a transaction that is rolled back when the module ends; each test runs
    in a savepoint inside it (pytest-django's `db`), so what a request writes (audit log
    entries, sessions) is undone after each test.
    """
    media = tmp_path_factory.mktemp("authz-media")
    with (
        override_settings(
            MEDIA_ROOT=media / "media",
            PORTAL_PRIVATE_MEDIA_ROOT=media / "private",
            PORTAL_PAGE_CACHE_SECONDS=0,
        ),
        django_db_blocker.unblock(),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            p = build()
            clients = {}
            for role in ROLES:
                client = Client(raise_request_exception=False)
                if role != "anonymous":
                    client.force_login(p.users[role])
                clients[role] = client
            p.clients = clients
            # A sign-out screen ends its client's session; each test starts signed in again.
            p.cookies = {role: copy.deepcopy(c.cookies) for role, c in clients.items()}
            yield p
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def outcome(response):
    """What a role got: a status code, or "login" / "refused" for the two redirects that
    mean no (to sign-in; the admin's refusal back to the dashboard), "redirect" otherwise."""
    if response.status_code in (301, 302, 303, 307, 308):
        path = urlsplit(response["Location"]).path
        if path in LOGIN_PATHS:
            return "login"
        if path in DASHBOARD_PATHS:
            return "refused"
        return "redirect"
    return response.status_code


@pytest.mark.django_db
def test_every_url_pattern_is_in_the_table():
    known = set(urls.CASES) | set(urls.UNFILLED)
    missing = sorted(set(urls.resolver_patterns()) - known)
    assert not missing, (
        "URL patterns without an entry in the authorization matrix: add a case to "
        "tests/authz/urls.py (CASES, or UNFILLED with the reason) and the expected status "
        "per role to tests/authz/expectations.py (EXPECT):\n"
        + "\n".join(f"  {key!r}: {urls.resolver_patterns()[key]}" for key in missing)
    )
    stale = sorted(known - set(urls.resolver_patterns()) - urls.DEBUG_ONLY)
    assert not stale, f"Entries for patterns that no longer exist: {stale}"
    unexpected = sorted(set(urls.CASES) - set(expectations.EXPECT))
    assert not unexpected, f"Cases without expectations in EXPECT: {unexpected}"


DISCOVER = os.environ.get("AUTHZ_DISCOVER")


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(urls.CASES))
def test_matrix(portal, key):
    for role, client in portal.clients.items():
        client.cookies = copy.deepcopy(portal.cookies[role])
    wrong = []
    observed = {}
    for label, build_url in urls.CASES[key]:
        url = build_url(portal)
        for role in ROLES:
            response = portal.clients[role].get(url)
            got = outcome(response)
            response.close()
            observed.setdefault(label, {})[role] = got
            if not DISCOVER:
                expected = expectations.expected(key, label, role)
                if got != expected:
                    wrong.append(f"  {role:15} {url}  expected {expected!r}, got {got!r}")
    if DISCOVER:
        with open(DISCOVER, "a") as out:
            out.write(json.dumps({"key": key, "observed": observed}, ensure_ascii=False) + "\n")
        return
    assert not wrong, f"{key}:\n" + "\n".join(wrong)
