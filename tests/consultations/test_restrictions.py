"""Wagtail page view restrictions are honoured everywhere, not only on the page itself.

A consultation behind a password, a login or a group restriction (and the pages below
it, restricted through their ancestor) is absent from every listing, feed, home section,
search, sitemap and API answer, and its hearing takes no registration by POST from a
visitor who has not passed the restriction.
"""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from consultations.hearings.models import Registration
from consultations.models import ConsultationIndexPage
from tests.conftest import PASSWORD, add_page, make_consultation
from tests.consultations.hearings.factories import make_hearing
from tests.consultations.outcomes.factories import make_outcome, page_url

SECRET = "密封议题QX"
DECISION = "密封决定QX"


def restrict(page, kind):
    restriction = PageViewRestriction.objects.create(
        page=page,
        restriction_type=kind,
        password="sesame" if kind == PageViewRestriction.PASSWORD else "",
    )
    if kind == PageViewRestriction.GROUPS:
        restriction.groups.add(Group.objects.create(name="只限内部"))
    return restriction


@pytest.fixture
def index(tree):
    return add_page(tree.home, ConsultationIndexPage(title="协商议题", slug="consultations"))


@pytest.fixture(params=[PageViewRestriction.PASSWORD, PageViewRestriction.LOGIN, "groups"])
def hidden(request, tree, index):
    """A restricted consultation with a hearing and a published outcome below it."""
    consultation = make_consultation(tree.a, slug="sealed", title=SECRET)
    make_hearing(consultation, title=f"{SECRET}听证会")
    make_outcome(consultation, title=f"{SECRET}成果", items=[{"decision": DECISION}])
    restrict(consultation, request.param)
    make_consultation(tree.a, slug="open-topic", title="公开议题")
    return consultation


def signed_in(client, resident):
    # The login restriction lets any signed-in visitor in: the group and password ones
    # must still hide the page from them.
    assert client.login(email=resident.email, password=PASSWORD)


PUBLIC_ADDRESSES = [
    "/en/",
    "/en/consultations/",
    "/en/county/township/village-a/",
    "/en/feeds/consultations/rss/",
    "/en/feeds/consultations/atom/",
    "/en/feeds/outcomes/rss/",
    "/en/feeds/outcomes/atom/",
    "/en/implementation/",
    "/en/search/?q=密封议题",
    "/sitemap.xml",
    "/api/v2/pages/?limit=100",
    "/api/v2/pages/?search=密封议题",
]


@pytest.mark.parametrize("address", PUBLIC_ADDRESSES)
def test_a_restricted_subtree_is_in_no_listing_feed_search_sitemap_or_api(
    client, hidden, tree, address
):
    response = client.get(address)
    assert response.status_code == 200, address
    body = response.content.decode()
    assert SECRET not in body and DECISION not in body and "/sealed/" not in body, address


def test_the_community_feed_and_tracker_leave_it_out_too(client, hidden, tree):
    for address in (
        f"/en/feeds/consultations/{tree.a.pk}/rss/",
        f"/en/feeds/consultations/{tree.a.pk}/atom/",
        f"/en/implementation/{tree.a.pk}/",
    ):
        response = client.get(address)
        assert response.status_code == 200, address
        assert SECRET not in response.content.decode(), address


def test_listings_leave_it_out_for_a_resident_who_has_not_passed_it(client, hidden, tree, resident):
    if PageViewRestriction.objects.get(page=hidden).restriction_type == "login":
        pytest.skip("a signed-in resident passes a login restriction")
    signed_in(client, resident)
    for address in ("/en/", "/en/consultations/", "/en/implementation/"):
        assert SECRET not in client.get(address).content.decode(), address


def test_a_visitor_who_passed_the_restriction_sees_it_listed(client, tree, index, resident):
    consultation = make_consultation(tree.a, slug="sealed", title=SECRET)
    restriction = restrict(consultation, PageViewRestriction.PASSWORD)
    assert SECRET not in client.get("/en/consultations/").content.decode()
    response = client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{consultation.pk}/",
        {"password": "sesame", "return_url": "/"},
    )
    assert response.status_code == 302
    assert SECRET in client.get("/en/consultations/").content.decode()
    # A group restriction: members see it listed.
    restriction.restriction_type = PageViewRestriction.GROUPS
    restriction.save()
    group = Group.objects.create(name="内部")
    restriction.groups.add(group)
    signed_in(client, resident)
    assert SECRET not in client.get("/en/consultations/").content.decode()
    resident.groups.add(group)
    assert SECRET in client.get("/en/consultations/").content.decode()


def test_a_post_to_a_restricted_hearing_registers_nobody(client, tree, resident):
    consultation = make_consultation(tree.a, slug="sealed", title=SECRET)
    hearing = make_hearing(consultation)
    restrict(consultation, PageViewRestriction.PASSWORD)
    session = hearing.sessions.get()
    signed_in(client, resident)
    data = {
        "session": session.pk,
        "category": "affected",
        "phone": "13800138000",
        "wishes_to_speak": "",
        "speech_summary": "",
    }
    for address in (page_url(hearing) + "register/", "/en" + page_url(hearing) + "register/"):
        client.post(address, data)
    assert not Registration.objects.filter(session=session).exists()
