"""The anonymous page cache (home/page_cache.py): fresh at once, never personal."""

import time
from unittest import mock

import pytest
from django.test import Client
from wagtail.contrib.frontend_cache.backends import BaseBackend
from wagtail.models import PageViewRestriction

from consultations.hearings.operations import register_for_session
from tests.conftest import PASSWORD, make_consultation, make_user
from tests.consultations.hearings.factories import make_hearing

pytestmark = pytest.mark.django_db

PURGED = []


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 30


class RecordingBackend(BaseBackend):
    """A frontend cache that records what it was asked to purge."""

    def purge(self, url):
        PURGED.append(url)


def cache_state(response):
    return response.get("X-Page-Cache")


def signed_in(user):
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def test_second_anonymous_visit_is_served_from_the_cache_without_queries(
    client, tree, django_assert_num_queries
):
    make_consultation(tree.a, title="村口路灯安装")
    first = client.get("/")
    assert cache_state(first) == "miss"
    with django_assert_num_queries(0):
        second = client.get("/")
    assert cache_state(second) == "hit"
    assert second.content == first.content


def test_each_language_is_cached_apart(client, home_page):
    assert '<html lang="zh-hans">' in client.get("/").content.decode()
    assert '<html lang="en">' in client.get("/en/").content.decode()
    assert cache_state(client.get("/en/")) == "hit"
    assert '<html lang="zh-hans">' in client.get("/").content.decode()


def test_publishing_a_consultation_refreshes_every_page_that_lists_it(client, tree):
    listing_pages = ["/", tree.a.url, "/feeds/consultations/rss/", "/sitemap.xml"]
    for url in listing_pages:
        assert cache_state(client.get(url)) == "miss", url
        assert cache_state(client.get(url)) == "hit", url

    make_consultation(tree.a, title="村口路灯安装")

    for url in listing_pages:
        response = client.get(url)
        assert cache_state(response) == "miss", url
        assert "村口路灯安装" in response.content.decode() or "village-a/consultation" in (
            response.content.decode()
        ), url


def test_unpublishing_moving_and_deleting_refresh_the_listings(client, tree):
    consultation = make_consultation(tree.a, title="村口路灯安装")
    assert "村口路灯安装" in client.get(tree.a.url).content.decode()
    assert cache_state(client.get(tree.a.url)) == "hit"

    consultation.unpublish()
    assert "村口路灯安装" not in client.get(tree.a.url).content.decode()
    assert client.get(consultation.url).status_code == 404

    consultation.save_revision().publish()
    assert "村口路灯安装" in client.get(tree.a.url).content.decode()
    consultation.refresh_from_db()
    consultation.move(tree.b, pos="last-child")
    assert "村口路灯安装" not in client.get(tree.a.url).content.decode()
    assert "村口路灯安装" in client.get(tree.b.url).content.decode()

    consultation.refresh_from_db()
    consultation.delete()
    assert "村口路灯安装" not in client.get(tree.b.url).content.decode()


def test_residents_figures_are_at_most_thirty_seconds_old(client, tree, resident):
    hearing = make_hearing(make_consultation(tree.a))
    session = hearing.sessions.get()
    before = client.get(hearing.url)
    assert cache_state(before) == "miss"

    register_for_session(session, resident, category="affected", phone="13800000000")
    cached = client.get(hearing.url)
    assert cache_state(cached) == "hit"  # within the 30 seconds
    assert cached.content == before.content

    later = time.time() + 31
    with mock.patch("django.core.cache.backends.locmem.time.time", return_value=later):
        response = client.get(hearing.url)
    assert cache_state(response) == "miss"
    assert response.content != before.content  # one seat fewer


def test_signed_in_pages_are_never_stored_nor_served_to_others(client, tree, resident):
    make_consultation(tree.a, title="村口路灯安装")
    resident_client = signed_in(resident)

    personal = resident_client.get("/")
    assert cache_state(personal) is None
    assert "private" in personal["Cache-Control"]
    assert "logout" in personal.content.decode()

    anonymous = client.get("/")
    assert cache_state(anonymous) == "miss"
    assert "logout" not in anonymous.content.decode()
    assert resident.display_name not in anonymous.content.decode()

    # And the other way round: the anonymous copy is never shown to the resident.
    again = resident_client.get("/")
    assert cache_state(again) is None
    assert "logout" in again.content.decode()


def test_responses_with_a_form_token_or_a_message_are_not_cached(client, tree):
    login = client.get("/accounts/login/")
    assert login.status_code == 200
    assert cache_state(login) is None

    # A visitor carrying a message (set by the previous request) gets a fresh page.
    client.cookies["messages"] = "anything"
    assert cache_state(client.get("/")) is None


def test_a_password_protected_page_is_not_cached_for_anyone(client, tree):
    consultation = make_consultation(tree.a, title="内部议题")
    PageViewRestriction.objects.create(
        page=consultation, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    passed = Client()
    form = passed.get(consultation.url)
    assert "村民委员会" not in form.content.decode()
    restriction = PageViewRestriction.objects.get(page=consultation)
    passed.post(
        f"/_util/authenticate_with_password/{restriction.id}/{consultation.id}/",
        {"password": "secret", "return_url": consultation.url},
    )
    content = passed.get(consultation.url)
    assert "村民委员会" in content.content.decode()
    assert cache_state(content) is None

    for _ in range(2):
        response = client.get(consultation.url)
        assert cache_state(response) is None
        assert "村民委员会" not in response.content.decode()


def test_login_restricted_page_is_not_cached(client, tree, resident):
    consultation = make_consultation(tree.a, title="内部议题")
    PageViewRestriction.objects.create(
        page=consultation, restriction_type=PageViewRestriction.LOGIN
    )
    assert signed_in(resident).get(consultation.url).status_code == 200
    assert client.get(consultation.url).status_code == 302
    assert cache_state(client.get(consultation.url)) is None


def test_admin_and_accounts_are_never_cached(client, home_page):
    assert cache_state(client.get("/admin/login/")) is None
    assert cache_state(client.get("/en/accounts/signup/")) is None


def test_cache_can_be_turned_off(client, home_page, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    client.get("/")
    assert cache_state(client.get("/")) is None


def test_publishing_purges_the_frontend_cache_for_the_page_its_parents_and_listings(tree, settings):
    settings.WAGTAILFRONTENDCACHE = {
        "recorder": {"BACKEND": "tests.home.test_page_cache.RecordingBackend"}
    }
    PURGED.clear()
    consultation = make_consultation(tree.a, title="村口路灯安装")
    purged = {url.removeprefix("http://testserver") for url in PURGED}
    assert consultation.url in purged
    assert "/en" + consultation.url in purged
    for url in ["/", tree.a.url, tree.township.url, "/feeds/consultations/rss/", "/sitemap.xml"]:
        assert url in purged, url


def test_the_catalogue_is_cached_and_fresh_when_an_entry_changes(client, tree):
    from consultations.models import Category, ConsultationIndexPage
    from tests.conftest import add_page

    index = add_page(tree.home, ConsultationIndexPage(title="协商议题", slug="consultations"))
    signed = signed_in(make_user("reader@example.com", community=tree.a))
    signed.get(index.url)  # fills the catalogue cache
    category = Category.objects.first()
    category.name = "新的目录名称"
    category.save()
    assert "新的目录名称" in signed.get(index.url).content.decode()


def test_larger_text_is_remembered_and_cached_apart(home_page):
    """Two anonymous visitors, one with larger text: each gets their own page, cached."""
    plain, large = Client(), Client()
    response = large.post("/en/text-size/", {"size": "large", "next": "/en/"})
    assert response.status_code == 302 and response["Location"] == "/en/"
    for _ in range(2):
        assert 'class="text-large"' not in plain.get("/en/").content.decode()
        assert 'class="text-large"' in large.get("/en/").content.decode()
    assert cache_state(large.get("/en/")) == "hit"
    assert cache_state(plain.get("/en/")) == "hit"
    # Switched off again, the visitor gets the ordinary page.
    large.post("/en/text-size/", {"size": "normal", "next": "https://evil.example/"})
    assert 'class="text-large"' not in large.get("/en/").content.decode()


def test_an_aging_copy_is_renewed_by_one_request_while_the_others_get_the_copy(
    client, home_page, settings
):
    import time
    from unittest import mock

    from django.core.cache import cache
    from django.test import RequestFactory

    from home.page_cache import _key

    settings.PORTAL_PAGE_CACHE_SECONDS = 30
    assert cache_state(client.get("/")) == "miss"
    assert cache_state(client.get("/")) == "hit"
    later = time.time() + 25  # past the renewal time (80% of 30 s), before it expires
    renewing = _key(RequestFactory().get("/")) + ":renewing"
    with mock.patch("home.page_cache.time.time", return_value=later):
        # Another visitor is renewing it already: this one gets the kept copy.
        cache.add(renewing, 1, 10)
        assert cache_state(client.get("/")) == "hit"
        cache.delete(renewing)
        # Nobody is: this request renders it afresh, and the next ones get the new copy.
        assert cache_state(client.get("/")) == "miss"
        assert cache_state(client.get("/")) == "hit"
