"""Sign-in limits for residents and staff alike (issue 14): the Wagtail admin signs in
through allauth's login, a wrong-password flood does not lock anyone out for long, and
per-IP limits see the client behind the trusted proxy."""

from unittest import mock

import pytest
from django.test import Client

from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"


def attempt(email, password, ip, client=None):
    client = client or Client(REMOTE_ADDR=ip)
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=ip)


def signed_in(response):
    return response.status_code == 302


def test_the_admin_login_has_the_residents_limits(editor_a):
    # Thirty wrong passwords for a staff account through the admin's login address.
    client = Client()
    assert "/accounts/login/" in client.get("/admin/login/")["Location"]
    refused = [attempt(editor_a.email, "wrong", "10.0.0.1", client) for _ in range(30)]
    assert all(r.status_code == 200 for r in refused)
    assert "Too many failed login attempts" in refused[-1].content.decode()
    # Even the right password is refused while the limit holds.
    assert not signed_in(attempt(editor_a.email, PASSWORD, "10.0.0.1"))


def test_a_flood_against_one_resident_locks_them_out_for_minutes_only(tree):
    victim = make_user("victim@example.com", community=tree.a)
    bystander = make_user("bystander@example.com", community=tree.a)
    now = 1_000_000.0
    with mock.patch("time.time", return_value=now):
        for n in range(30):
            attempt(victim.email, "wrong", f"10.1.{n}.1")
        # The whole site is not locked out: another resident signs in.
        assert signed_in(attempt(bystander.email, PASSWORD, "10.9.9.9"))
    # Five minutes later the resident signs in with the right password.
    with mock.patch("time.time", return_value=now + 5 * 60 + 1):
        assert signed_in(attempt(victim.email, PASSWORD, "10.2.0.1"))


def test_per_ip_limits_see_the_client_behind_the_proxy(settings, tree):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    people = [make_user(f"p{n}@example.com", community=tree.a) for n in range(12)]
    proxy = "127.0.0.1"
    # Twelve clients, each one wrong password, all through one proxy: none is refused for
    # the proxy's address (the per-IP limit is 10 a minute).
    for n, person in enumerate(people):
        client = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        response = client.post(LOGIN, {"login": person.email, "password": "wrong"})
        assert "Too many failed login attempts" not in response.content.decode()
    client = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.200")
    assert signed_in(client.post(LOGIN, {"login": people[0].email, "password": PASSWORD}))
