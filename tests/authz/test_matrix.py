"""The authorization matrix: every URL pattern of the site, for every role.

`urls.CASES` fills each pattern from the fixture portal (`portal.build`); `expectations.
EXPECT` says what each role gets there. A pattern the resolver knows and the table does
not fails `test_every_url_pattern_is_in_the_table`, naming it: add its case and its
expectation (or its reason in `urls.UNFILLED`).

To see what every role gets today (e.g. before writing a new entry), run the matrix with
`AUTHZ_DISCOVER=/tmp/observed.jsonl`: it records the outcomes instead of asserting them.
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
            p.secrets = secrets(p)
            # A sign-out screen ends its client's session; each test starts signed in again.
            p.cookies = {role: copy.deepcopy(c.cookies) for role, c in clients.items()}
            yield p
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _fast_media():
    """The files the portal holds (attachments, images, documents) stay where `portal`
    wrote them: this replaces the suite's per-test media directories."""


def secrets(portal):
    """Text only some roles may see: (what, text, roles allowed). Every 200 response of
    the matrix is searched for each: a draft title in a report, another person's phone
    number in a list or another community's roster in an export is a leak."""
    found = []
    for letter, owner in (("A", "resident"), ("B", "resident_b")):
        c = getattr(portal, letter.lower())
        keepers = expectations.KEEPERS[letter]
        found += [
            (f"{letter}'s draft title", c.draft.title, keepers),
            (f"{letter}'s registration phone", c.registration.phone, (*keepers, owner)),
            (f"{letter}'s roster identifier", c.person.local_id, (*keepers, owner)),
        ]
    return found


TEXT_TYPES = ("text/", "application/json", "application/xml", "application/rss", "application/atom")


def leaks(response, role, portal):
    if response.status_code != 200 or response.streaming:
        return []
    if not response.get("Content-Type", "").startswith(TEXT_TYPES):
        return []
    body = response.content.decode("utf-8", errors="replace")
    return [what for what, text, allowed in portal.secrets if role not in allowed and text in body]


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
            shown = leaks(response, role, portal)
            if response.streaming:
                # Read files and exports to the end: the test client closes them then.
                # (Closing a response by hand would fire request_finished, whose
                # close_old_connections ends the database connection inside the
                # module's transaction on PostgreSQL.)
                b"".join(response.streaming_content)
            if shown:
                wrong.append(f"  {role:15} {url}  shows {', '.join(shown)}")
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


# --- writes on other people's and other communities' records ----------------------------
#
# (what is posted, by whom, where; then the record must be as it was). Each refusal is
# the matrix's own outcome: the admin's REFUSED, or a status code.


def _registration_active(p):
    p.a.registration.refresh_from_db()
    return p.a.registration.cancelled_at is None


def _still_linked(p):
    from consultations.roster.models import RosterLink

    return RosterLink.objects.filter(person=p.a.person).exists()


def _person_unchanged(p):
    p.a.person.refresh_from_db()
    return p.a.person.full_name == "a张三"


def _tally_unconfirmed(p):
    p.a.tally.refresh_from_db()
    return p.a.tally.confirmed_at is None


def _suggestion_unchanged(p):
    p.a.suggestion.refresh_from_db()
    return p.a.suggestion.status == "published" and not p.a.suggestion.answer


def _draft_in_place(p):
    from wagtail.models import Page

    page = Page.objects.filter(pk=p.a.draft.pk).first()
    return page is not None and page.get_parent().pk == p.a.community.pk


WRITES = [
    (
        "resident_b cancels A's registration",
        "resident_b",
        lambda p: urls.reverse("hearings:cancel", args=[p.a.registration.code]),
        {},
        404,
        _registration_active,
    ),
    (
        "editor_b unlinks A's roster entry",
        "editor_b",
        lambda p: urls.reverse("roster_admin:unlink", args=[p.a.community.pk, p.a.person.pk]),
        {},
        "refused",
        _still_linked,
    ),
    (
        "editor_b edits A's roster entry",
        "editor_b",
        lambda p: urls.reverse("roster_admin:edit", args=[p.a.community.pk, p.a.person.pk]),
        {"full_name": "改名", "local_id": "999999", "residence_status": "registered"},
        "refused",
        _person_unchanged,
    ),
    (
        "editor_b confirms A's paper tally",
        "editor_b",
        lambda p: urls.reverse(
            "polls_admin:confirm_paper_tally", args=[p.a.code_poll.pk, p.a.tally.pk]
        ),
        {},
        "refused",
        _tally_unconfirmed,
    ),
    (
        "editor_b answers A's suggestion",
        "editor_b",
        lambda p: urls.reverse("suggestions_admin:detail", args=[p.a.suggestion.pk]),
        {"action": "answer", "answer_status": "adopted", "answer": "采纳"},
        "refused",
        _suggestion_unchanged,
    ),
    (
        "editor_b deletes A's draft",
        "editor_b",
        lambda p: urls.reverse("wagtailadmin_pages:delete", args=[p.a.draft.pk]),
        {},
        "refused",
        _draft_in_place,
    ),
    (
        "editor_a moves A's draft to the township",
        "editor_a",
        lambda p: urls.reverse(
            "wagtailadmin_pages:move_confirm", args=[p.a.draft.pk, p.tree.township.pk]
        ),
        {},
        "refused",
        _draft_in_place,
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "url", "data", "expected", "unchanged"),
    [pytest.param(*write[1:], id=write[0]) for write in WRITES],
)
def test_writes_on_others_records_are_refused_and_change_nothing(
    portal, role, url, data, expected, unchanged
):
    client = portal.clients[role]
    client.cookies = copy.deepcopy(portal.cookies[role])
    response = client.post(url(portal), data)
    assert outcome(response) == expected
    assert unchanged(portal)
