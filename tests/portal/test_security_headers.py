"""Security headers as production sends them: HSTS, nosniff, referrer, opener, framing, CSP,
and `Cache-Control: private` on personal pages only.

The security settings are read in a fresh interpreter with the environment of `.ci/run`'s
`check --deploy` (DEBUG off, a real secret key, the deployer's host), then applied to the
test settings, so a change to portal/settings.py that weakens production shows up here.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from consultations.suggestions.models import SuggestionFormPage
from tests.conftest import add_page

from ..consultations.polls.factories import make_poll

pytestmark = pytest.mark.django_db

BASE = Path(__file__).resolve().parents[2]

# What production-like means: the variables .ci/run passes to `check --deploy`.
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "ci-production-like-a-long-random-production-like-secret-key-value-0123456789",
    "ALLOWED_HOSTS": "portal.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://portal.example.org",
}
SECURITY_SETTINGS = [
    "DEBUG",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "X_FRAME_OPTIONS",
    "CONTENT_SECURITY_POLICY",
    "PORTAL_ADMIN_CSP_DIRECTIVES",
]
READ = f"""
import json
from portal import settings
print(json.dumps({{name: getattr(settings, name, None) for name in {SECURITY_SETTINGS!r}}}))
"""
HTTPS = {"HTTP_X_FORWARDED_PROTO": "https"}


@pytest.fixture(scope="module")
def production_values():
    env = {
        key: value
        for key, value in os.environ.items()
        if key != "PORTAL_TESTING" and not key.startswith(("SECURE_", "DATABASE"))
    }
    env.update(PRODUCTION_ENV)
    result = subprocess.run(
        [sys.executable, "-c", READ], cwd=BASE, env=env, capture_output=True, text=True, check=True
    )
    values = json.loads(result.stdout)
    if values["SECURE_PROXY_SSL_HEADER"]:
        values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@pytest.fixture
def production(settings, production_values):
    for name, value in production_values.items():
        setattr(settings, name, value)
    return production_values


def https_get(client, url):
    return client.get(url, **HTTPS)


def directives(response):
    policy = response["Content-Security-Policy"]
    return {
        name: values.split()
        for name, _, values in (part.strip().partition(" ") for part in policy.split(";"))
        if name
    }


@pytest.fixture
def form_page(consultation):
    return add_page(consultation, SuggestionFormPage(title="意见征集", slug="suggestions"))


def assert_production_headers(response):
    assert response.status_code == 200, response
    hsts = response["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts
    assert "preload" in hsts
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_production_settings_are_strict(production):
    assert production["DEBUG"] is False
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]


def test_plain_http_is_sent_to_https(client, home_page, production):
    response = client.get("/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_site_pages_forms_and_accounts_carry_the_strict_policy(
    client, tree, consultation, form_page, production
):
    for url in ["/", consultation.url, form_page.url, "/accounts/login/", "/en/accounts/signup/"]:
        response = https_get(client, url)
        assert_production_headers(response)
        policy = directives(response)
        assert policy["default-src"] == ["'self'"], url
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["img-src"] == ["'self'", "data:"], url
        assert policy["form-action"] == ["'self'"], url
        assert policy["frame-ancestors"] == ["'none'"], url
        assert policy["base-uri"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"], url
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], url


def test_the_admin_has_wagtails_allowances_and_frames_its_own_preview(
    client, tree, consultation, superuser, production
):
    client.force_login(superuser)
    for url in ["/admin/", f"/admin/pages/{consultation.pk}/edit/", "/en/admin/"]:
        response = https_get(client, url)
        assert_production_headers(response)
        policy = directives(response)
        assert policy["script-src"] == ["'self'", "'unsafe-inline'"], url
        assert policy["style-src"] == ["'self'", "'unsafe-inline'"], url
        assert policy["frame-ancestors"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"], url
        assert policy["form-action"] == ["'self'"], url
        assert "private" in response["Cache-Control"], url


def test_personal_pages_are_private_and_not_stored(
    client, tree, consultation, resident, production
):
    client.force_login(resident)
    for url in [
        "/my/",
        "/my/suggestions/",
        "/my/registrations/",
        "/notifications/",
        "/notifications/settings/",
        "/accounts/profile/",
        "/accounts/email/",
        "/roster/verify/",
    ]:
        response = https_get(client, url)
        assert response.status_code == 200, url
        cache_control = response["Cache-Control"]
        assert "private" in cache_control, url
        assert "no-store" in cache_control, url


def test_a_poll_showing_my_vote_is_private(client, tree, consultation, resident, production):
    poll = make_poll(consultation)
    client.force_login(resident)
    response = https_get(client, poll.url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_anonymous_account_pages_are_private_and_not_stored(client, home_page, production):
    for url in ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]:
        cache_control = https_get(client, url)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, url


def test_public_pages_may_be_cached_by_anyone(client, tree, consultation, form_page, production):
    poll = make_poll(consultation)
    urls = ["/", tree.township.url, tree.a.url, consultation.url, form_page.url, poll.url, "/en/"]
    for url in urls:
        response = https_get(client, url)
        assert response.status_code == 200, url
        cache_control = response.get("Cache-Control", "")
        assert "private" not in cache_control and "no-store" not in cache_control, url


def test_an_anonymous_visitor_with_a_session_gets_private_pages(client, home_page, production):
    session = client.session
    session["anything"] = True
    session.save()
    response = https_get(client, "/")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
