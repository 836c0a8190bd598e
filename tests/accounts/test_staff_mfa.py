"""Two-factor authentication for staff (issue 14): allauth's TOTP and recovery codes,
required before the admin for staff with publish, export or roster rights when
PORTAL_STAFF_MFA_REQUIRED is on."""

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.test import Client

from consultations.permissions import must_use_two_factor
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def required(settings):
    settings.PORTAL_STAFF_MFA_REQUIRED = True


def test_off_by_default_staff_use_the_admin(client, editor_a):
    client.force_login(editor_a)
    assert client.get("/en/admin/").status_code == 200


def test_required_staff_without_an_authenticator_set_one_up_first(client, editor_a, required):
    client.force_login(editor_a)
    response = client.get("/en/admin/")
    assert response.status_code == 302
    assert "/accounts/2fa/totp/activate/" in response["Location"]
    assert client.get("/en/admin/pages/").status_code == 302


def test_with_an_authenticator_the_admin_opens(client, editor_a, required):
    TOTP.activate(editor_a, generate_totp_secret())
    client.force_login(editor_a)
    assert client.get("/en/admin/").status_code == 200


def test_sign_in_asks_for_the_code_once_set_up(editor_a):
    secret = generate_totp_secret()
    TOTP.activate(editor_a, secret)
    client = Client()
    response = client.post("/en/accounts/login/", {"login": editor_a.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "/accounts/2fa/authenticate/" in response["Location"]
    assert client.get("/en/admin/").status_code == 302  # not signed in yet
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    response = client.post("/en/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 302
    assert client.get("/en/admin/").status_code == 200


def test_who_must_use_two_factor(resident, editor_a, reviewer_a, official, superuser):
    # Editors keep their community's roster (and export it); reviewers and officials
    # publish; residents are never asked.
    assert not must_use_two_factor(resident)
    assert must_use_two_factor(editor_a)
    assert must_use_two_factor(reviewer_a)
    assert must_use_two_factor(official)
    assert must_use_two_factor(superuser)


def test_residents_are_never_asked(client, resident, required):
    client.force_login(resident)
    assert client.get("/en/my/").status_code == 200
