"""Resident accounts: sign up, verify by mail, sign in and out, in both languages."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail

from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

PREFIXES = {"zh-hans": "", "en": "/en"}


def signup_data(tree, email="new@example.com"):
    return {
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "display_name": "王大妈",
        "community": tree.a.pk,
        "residence_status": "non_registered",
    }


def confirmation_link(message):
    return re.search(
        r"https?://[^/\s]+(/\S*/accounts/confirm-email/\S+|/accounts/confirm-email/\S+)",
        message.body,
    ).group(1)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_resident_signs_up_verifies_logs_in_and_out(client, tree, language):
    prefix = PREFIXES[language]
    signup_page = client.get(f"{prefix}/accounts/signup/")
    assert signup_page.status_code == 200
    html = signup_page.content.decode()
    assert f'<html lang="{language}">' in html
    # The community choice lists the community pages.
    assert "甲村" in html and "丙社区" in html

    response = client.post(f"{prefix}/accounts/signup/", signup_data(tree))
    assert response.status_code == 302
    user = get_user_model().objects.get(email="new@example.com")
    assert user.display_name == "王大妈"
    assert user.community == tree.a.page_ptr.specific
    assert user.residence_status == "non_registered"
    assert not EmailAddress.objects.get(user=user).verified

    # The verification mail is in the resident's language.
    assert len(mail.outbox) == 1
    subject = mail.outbox[0].subject
    assert (
        ("确认" in subject or "邮箱" in subject) if language == "zh-hans" else "Confirm" in subject
    )
    link = confirmation_link(mail.outbox[0])
    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    response = client.post(
        f"{prefix}/accounts/login/", {"login": "new@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(f"{prefix}/").context["user"].is_authenticated

    response = client.post(f"{prefix}/accounts/logout/")
    assert response.status_code == 302
    assert not client.get(f"{prefix}/").context["user"].is_authenticated


def test_wrong_password_gets_a_clear_message(client, resident):
    response = client.post("/en/accounts/login/", {"login": resident.email, "password": "wrong"})
    assert response.status_code == 200
    assert (
        "The email address and/or password you specified are not correct."
        in response.content.decode()
    )
    response = client.post("/accounts/login/", {"login": resident.email, "password": "wrong"})
    assert "您提供的邮箱地址和/或密码不正确" in response.content.decode()


def test_an_unverified_resident_signs_in_but_does_not_count_as_verified(client, tree):
    """Email is optional since residents may sign up by phone, so allauth's email
    verification is "optional": the account signs in, but takes part only once verified
    (a confirmed address, a confirmed phone number or a roster link)."""
    from consultations import permissions

    user = make_user("unverified@example.com", community=tree.a, verified=False)
    response = client.post(
        "/en/accounts/login/", {"login": "unverified@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/en/").context["user"].is_authenticated
    assert not permissions.is_verified_resident(user)


def test_duplicate_email_creates_no_second_account_and_tells_the_owner(client, tree, resident):
    # Enumeration prevention: the screen looks the same, the owner is told by mail.
    response = client.post("/en/accounts/signup/", signup_data(tree, email=resident.email))
    assert response.status_code == 302
    assert get_user_model().objects.filter(email=resident.email).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [resident.email]
    assert "already" in mail.outbox[0].body.lower()


def test_signup_form_errors_are_clear_and_in_the_users_language(client, tree):
    data = signup_data(tree)
    data.update(community="", residence_status="", password2="different-password")
    response = client.post("/en/accounts/signup/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "This field is required." in html
    assert "You must type the same password each time." in html
    response = client.post("/accounts/signup/", data)
    html = response.content.decode()
    assert "必需字段" in html
    assert "每次输入的密码必须相同。" in html


def test_login_is_rate_limited_after_repeated_failures(client, resident):
    for _ in range(5):
        response = client.post(
            "/en/accounts/login/", {"login": resident.email, "password": "wrong"}
        )
        assert response.status_code == 200
    response = client.post("/en/accounts/login/", {"login": resident.email, "password": "wrong"})
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    # Even the right password is refused until the window passes.
    response = client.post("/en/accounts/login/", {"login": resident.email, "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_signups_from_one_address_are_rate_limited(client, tree):
    for number in range(20):
        client.post("/en/accounts/signup/", signup_data(tree, email=f"r{number}@example.com"))
    response = client.post("/en/accounts/signup/", signup_data(tree, email="r99@example.com"))
    assert response.status_code == 429
    assert not get_user_model().objects.filter(email="r99@example.com").exists()


def test_password_reset_sends_a_mail_to_known_addresses_only(client, resident):
    response = client.post("/en/accounts/password/reset/", {"email": resident.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_residents_never_get_into_the_wagtail_admin(client, resident):
    client.force_login(resident)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    # The login page shows its form, it does not send the resident back (no loop).
    assert client.get(response["Location"]).status_code == 200


def test_staff_sign_in_to_the_admin_with_email(client, editor_a):
    # The admin's own login address leads to the one sign-in, allauth's.
    assert "/accounts/login/" in client.get("/admin/login/?next=/admin/")["Location"]
    response = client.post(
        "/accounts/login/?next=/admin/",
        {"login": editor_a.email, "password": PASSWORD},
        follow=True,
    )
    assert response.status_code == 200
    assert response.context["user"] == editor_a
    assert client.get("/admin/").status_code == 200
