"""Every absolute address comes from PORTAL_BASE_URL, also on a non-default port (issue 14)."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from consultations.notifications import operations as notifications
from consultations.notifications.models import Event
from home.links import absolute_url, sync_default_site
from tests.conftest import PASSWORD, en, make_user
from tests.consultations.hearings.factories import make_hearing

pytestmark = pytest.mark.django_db

BASE = "http://portal.example:8101"


@pytest.fixture
def on_port(settings, tree):
    settings.PORTAL_BASE_URL = BASE
    settings.WAGTAILAPI_BASE_URL = BASE
    sync_default_site()
    return BASE


def absolute_links(text):
    return set(re.findall(r"https?://[^\s\"'<>]+", text)) - {
        link for link in re.findall(r"https?://[^\s\"'<>]+", text) if "www.w3.org" in link
    }


def assert_all_on_base(text):
    links = {link for link in absolute_links(text) if "sitemaps.org" not in link}
    assert links, "no absolute link found"
    assert all(link.startswith(BASE + "/") for link in links), links


def test_absolute_url_and_the_site_follow_the_setting(on_port, tree):
    assert absolute_url("/a/") == BASE + "/a/"
    assert absolute_url("https://elsewhere.example/x") == "https://elsewhere.example/x"
    assert tree.a.full_url.startswith(BASE + "/")


def test_feeds_use_the_base_url(client, on_port, consultation):
    for name in ("feed_rss", "feed_atom"):
        with translation.override(settings.LANGUAGE_CODE):
            url = reverse(f"consultation_pages:{name}")
        assert_all_on_base(client.get(url).content.decode())
    assert_all_on_base(client.get("/feeds/outcomes/atom/").content.decode())


def test_sitemap_uses_the_base_url_with_hreflang_alternates(client, on_port, consultation):
    body = client.get("/sitemap.xml").content.decode()
    assert_all_on_base(body)
    path = consultation.url
    assert f'hreflang="en" href="{BASE}/en{path}"' in body
    assert f'hreflang="zh-hans" href="{BASE}{path}"' in body
    assert 'hreflang="x-default"' in body


def test_api_html_url_uses_the_base_url(client, on_port, consultation):
    data = client.get(f"/api/v2/pages/{consultation.pk}/").json()
    assert data["meta"]["html_url"].startswith(BASE + "/")


def test_print_view_qr_code_uses_the_base_url(client, on_port, consultation):
    body = client.get(consultation.url + "print/").content.decode()
    assert BASE + consultation.url in body


def test_signup_and_password_reset_mails_use_the_base_url(client, on_port, tree):
    client.post(
        en("/accounts/signup/"),
        {
            "email": "new@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "display_name": "Ann",
            "community": tree.a.pk,
            "residence_status": "registered",
        },
    )
    make_user("old@example.com", community=tree.a)
    client.logout()
    client.post(en("/accounts/password/reset/"), {"email": "old@example.com"})
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert_all_on_base(message.body)


def test_suggestion_hearing_and_digest_mails_use_the_base_url(
    client, on_port, tree, resident, consultation
):
    from consultations.models import SuggestionFormPage
    from tests.conftest import add_page
    from tests.consultations.suggestions.test_suggestions import submit

    form_page = add_page(consultation, SuggestionFormPage(title="意见征集", slug="suggestions"))
    client.force_login(resident)
    submit(client, form_page)
    hearing = make_hearing(consultation)
    session = hearing.sessions.get()
    with translation.override(settings.LANGUAGE_CODE):
        register = en(hearing.url) + "register/"
    client.post(
        register,
        {"session": session.pk, "category": "affected", "phone": "13800138000"},
    )
    notifications.follow(resident, tree.a)
    notifications.notify(Event.NOTICE, consultation, "notice:x")
    notifications.send_digests()
    assert len(mail.outbox) >= 3
    for message in mail.outbox:
        assert_all_on_base(message.body)
