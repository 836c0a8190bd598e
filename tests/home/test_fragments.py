"""Shared parts of signed-in pages (home/page_cache.py): routes and `{% cache %}` fragments.

Signed-in pages are rendered for each visitor, but what is the same for everyone who may
see it is kept: fewer queries on the second visit, fresh at once when a page is published,
moved or unpublished, and never shared between visitors who may see different sections.
"""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from consultations.models import ConsultationIndexPage
from tests.conftest import PASSWORD, add_page, make_consultation, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 30


def signed_in(user):
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), response.content.decode()


def test_a_signed_in_visitor_gets_the_shared_parts_from_the_cache(tree, resident):
    index = add_page(tree.home, ConsultationIndexPage(title="协商议题", slug="consultations"))
    consultation = make_consultation(tree.a, title="村口路灯安装")
    client = signed_in(resident)
    for url in (
        "/",
        index.url,
        tree.a.url,
        consultation.url,
        "/implementation/",
        "/search/?q=路灯",
    ):
        first, first_html = queries(client, url)
        second, second_html = queries(client, url)
        assert second < first, url
        if url != "/implementation/":  # no outcome yet
            assert "村口路灯安装" in second_html, url
        # The visitor's own header is still theirs.
        assert reverse("account_logout") in second_html, url


def test_publishing_refreshes_the_fragments_at_once(tree, resident):
    index = add_page(tree.home, ConsultationIndexPage(title="协商议题", slug="consultations"))
    make_consultation(tree.a, slug="first", title="村口路灯安装")
    client = signed_in(resident)
    for url in ("/", index.url, tree.a.url):
        queries(client, url)
    make_consultation(tree.a, slug="second", title="小区停车位规划")
    for url in ("/", index.url, tree.a.url):
        assert "小区停车位规划" in client.get(url).content.decode(), url


def test_a_route_is_fresh_when_a_page_is_unpublished_or_moved(tree, resident):
    consultation = make_consultation(tree.a, title="村口路灯安装")
    client = signed_in(resident)
    url = consultation.url
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # from the remembered route
    assert client.get(url + "print/").status_code == 200  # a routable sub-page
    consultation.move(tree.b, pos="last-child")
    consultation.refresh_from_db()
    moved = client.get(url)  # the old address no longer names the page: Wagtail's redirect
    assert (moved.status_code, moved["Location"]) == (301, consultation.url)
    assert client.get(consultation.url).status_code == 200
    consultation.unpublish()
    assert client.get(consultation.url).status_code == 404


def test_a_restricted_section_is_never_shown_to_a_visitor_who_may_not_see_it(tree):
    index = add_page(tree.home, ConsultationIndexPage(title="协商议题", slug="consultations"))
    insiders = Group.objects.create(name="内部人员")
    make_consultation(tree.a, slug="public", title="公开议题")
    hidden = make_consultation(tree.b, slug="internal", title="内部议题")
    restriction = PageViewRestriction.objects.create(
        page=hidden, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(insiders)
    insider = make_user("insider@example.com", community=tree.a, groups=[insiders])
    outsider = make_user("outsider@example.com", community=tree.a)

    for url in (index.url, "/search/?q=议题", "/"):
        seen_by_insider = signed_in(insider).get(url).content.decode()
        seen_by_outsider = signed_in(outsider).get(url).content.decode()
        if url != "/":  # the home page leaves restricted sections out for everyone
            assert "内部议题" in seen_by_insider, url
        assert "内部议题" not in seen_by_outsider, url
        assert "公开议题" in seen_by_outsider, url
        assert "内部议题" not in Client().get(url).content.decode(), url
