"""Signing up and in with a mobile number and an SMS code (allauth's phone support)."""

import re

import pytest
from django.contrib.auth import get_user_model

from consultations import permissions
from home import sms
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def phone_signup(tree, phone="17000000088"):
    return {
        "phone": phone,
        "email": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "display_name": "刘奶奶",
        "community": tree.a.pk,
        "residence_status": "registered",
    }


def last_code():
    assert sms.outbox, "a text was sent"
    return re.search(r"\b(\d{6})\b", sms.outbox[-1].body).group(1)


def test_a_resident_signs_up_with_a_mobile_number_and_no_email(client, tree):
    response = client.post("/en/accounts/signup/", phone_signup(tree))
    assert response.status_code == 302
    user = get_user_model().objects.get(phone="+8617000000088")
    assert user.email is None and not user.phone_verified
    assert [m.to for m in sms.outbox] == ["+8617000000088"]
    response = client.get(response["Location"])
    assert response.status_code == 200
    response = client.post(response.wsgi_request.path, {"code": last_code()})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.phone_verified
    assert permissions.is_verified_resident(user)
    assert client.get("/en/").context["user"].is_authenticated


def test_a_wrong_code_does_not_verify_the_number(client, tree):
    response = client.post("/en/accounts/signup/", phone_signup(tree))
    url = client.get(response["Location"]).wsgi_request.path
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    response = client.post(url, {"code": wrong})
    assert response.status_code == 200
    assert not get_user_model().objects.get(phone="+8617000000088").phone_verified


def test_signup_needs_a_phone_or_an_email(client, tree):
    data = phone_signup(tree, phone="")
    response = client.post("/en/accounts/signup/", data)
    assert response.status_code == 200
    assert "Enter a mobile number or an email address" in response.content.decode()
    assert not get_user_model().objects.filter(display_name="刘奶奶").exists()


def test_a_bad_number_is_refused_clearly(client, tree):
    response = client.post("/en/accounts/signup/", phone_signup(tree, phone="12"))
    assert response.status_code == 200
    assert "Enter a mobile number, e.g. 13812345678." in response.content.decode()


def test_a_number_already_used_creates_no_second_account(client, tree):
    get_user_model().objects.create_user(
        email=None, password=PASSWORD, phone="+8617000000088", phone_verified=True
    )
    response = client.post("/en/accounts/signup/", phone_signup(tree))
    assert get_user_model().objects.filter(phone="+8617000000088").count() == 1
    assert response.status_code in (200, 302)


def test_sign_in_with_a_mobile_number_and_password(client, tree):
    get_user_model().objects.create_user(
        email=None, password=PASSWORD, phone="+8617000000088", phone_verified=True
    )
    response = client.post("/en/accounts/login/", {"login": "17000000088", "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert client.get("/en/").context["user"].is_authenticated


def test_sign_in_by_sms_code(client, tree):
    get_user_model().objects.create_user(
        email=None, password=PASSWORD, phone="+8617000000088", phone_verified=True
    )
    response = client.post("/en/accounts/login/code/", {"phone": "17000000088"})
    assert response.status_code == 302
    assert [m.to for m in sms.outbox] == ["+8617000000088"]
    response = client.post(response["Location"], {"code": last_code()})
    assert response.status_code == 302
    assert client.get("/en/").context["user"].is_authenticated


def test_asking_a_code_for_an_unknown_number_looks_the_same(client, tree):
    response = client.post("/en/accounts/login/code/", {"phone": "17000000099"})
    assert response.status_code == 302
    assert [m.to for m in sms.outbox] == ["+8617000000099"]
    assert "no account" in sms.outbox[0].body


def test_sign_in_codes_are_rate_limited(client, tree, settings):
    """allauth's limit on login codes per number (3 a minute): no fourth text goes out."""
    get_user_model().objects.create_user(
        email=None, password=PASSWORD, phone="+8617000000088", phone_verified=True
    )
    for _i in range(5):
        client.post("/en/accounts/login/code/", {"phone": "17000000088"})
    assert 1 <= len(sms.outbox) <= 3, len(sms.outbox)
