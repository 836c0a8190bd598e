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


# --- a consultation's record and cards, an outcome, public poll results ------------------


def open_poll(consultation, **fields):
    from consultations.polls.models import ResultsVisibility
    from tests.consultations.polls.factories import make_poll

    fields.setdefault("results_visibility", ResultsVisibility.LIVE)
    return make_poll(consultation, **fields)


def test_the_consultation_poll_and_outcome_pages_share_what_is_the_same(tree, resident):
    from tests.consultations.hearings.factories import make_hearing
    from tests.consultations.outcomes.factories import make_outcome

    consultation = make_consultation(tree.a, title="村口路灯安装")
    make_hearing(consultation)
    poll = open_poll(consultation)
    outcome = make_outcome(consultation, items=[{"decision": "安装路灯二十盏"}])
    client = signed_in(resident)
    for url, text in (
        (consultation.url, "村口路灯安装"),
        (poll.url, "poll-turnout"),  # the public results
        (outcome.url, "安装路灯二十盏"),
    ):
        first, _html = queries(client, url)
        second, html = queries(client, url)
        assert second < first, url
        assert text in html, url
        assert reverse("account_logout") in html, url  # the header is still theirs


def test_publishing_a_change_shows_at_once_on_every_fragment_that_shows_it(tree, resident):
    from tests.consultations.outcomes.factories import make_outcome

    consultation = make_consultation(tree.a, title="村口路灯安装")
    poll = open_poll(consultation)
    outcome = make_outcome(consultation)
    client = signed_in(resident)
    urls = (consultation.url, poll.url, outcome.url)
    for url in urls:
        assert "村口路灯安装" in client.get(url).content.decode(), url
    consultation.title = "村口路灯改造"
    consultation.save_revision().publish()
    for url in urls:
        html = client.get(url).content.decode()
        assert "村口路灯改造" in html, url
        assert "村口路灯安装" not in html, url


def test_a_vote_changes_the_turnout_shown_within_thirty_seconds(tree, resident, other_resident):
    import time
    from unittest import mock

    from consultations.polls.operations import cast_ballot
    from tests.consultations.polls.factories import PARK, YES

    consultation = make_consultation(tree.a, title="村口路灯安装")
    poll = open_poll(consultation, eligibility="any")
    watcher = signed_in(other_resident)

    def results():
        html = watcher.get(poll.url).content.decode()
        return html[html.index('id="results"') :].split("</section>")[0]

    before = results()
    assert "poll-turnout" in before
    cast_ballot(poll, resident, [YES, PARK])
    assert results() == before  # the shared results, kept
    later = time.time() + 31
    with mock.patch("django.core.cache.backends.locmem.time.time", return_value=later):
        after = results()
    assert after != before  # one voter more, at most 30 seconds later


def test_a_preview_never_reads_nor_stores_a_shared_fragment(tree, resident):
    from consultations.models import OutcomePage
    from tests.consultations.outcomes.factories import make_outcome

    outcome = make_outcome(make_consultation(tree.a))
    client = signed_in(resident)
    assert "同意对村主干道进行硬化" in client.get(outcome.url).content.decode()  # kept

    draft = OutcomePage.objects.get(pk=outcome.pk)
    draft.opinion = "<p>草稿：暂缓硬化。</p>"
    preview = draft.make_preview_request()
    preview.render()
    assert "草稿：暂缓硬化" in preview.content.decode()  # the draft, not the kept page

    live = client.get(outcome.url).content.decode()
    assert "草稿：暂缓硬化" not in live  # and the draft was not kept for others
    assert "同意对村主干道进行硬化" in live


def test_my_vote_is_never_shown_to_another_resident(tree, resident):
    from consultations.polls.models import ResultsVisibility
    from consultations.polls.operations import cast_ballot
    from tests.consultations.polls.factories import PARK, YES

    neighbour = make_user("neighbour-a@example.com", community=tree.a)
    consultation = make_consultation(tree.a, title="村口路灯安装")
    poll = open_poll(consultation, results_visibility=ResultsVisibility.AFTER_VOTING)
    voter, other = signed_in(resident), signed_in(neighbour)
    cast_ballot(poll, resident, [YES, PARK])
    for url in (poll.url, consultation.url):
        mine = voter.get(url).content.decode()
        assert "poll-turnout" in mine, url  # a voter sees the results once they voted
        theirs = other.get(url).content.decode()
        assert "poll-turnout" not in theirs, url  # not the one who has not voted
    poll_page_of_other = other.get(poll.url).content.decode()
    assert 'type="radio"' in poll_page_of_other  # still asked to vote
    assert 'type="radio"' not in voter.get(poll.url).content.decode()


# --- facts remembered for every visitor, forgotten when residents change them -----------


def test_a_support_shows_at_once_on_the_boards_with_the_caches_on(tree, resident, other_resident):
    from consultations.models import SuggestionFormPage
    from consultations.suggestions.models import Suggestion
    from tests.consultations.suggestions.test_suggestions import en_url, make_suggestion
    from tests.consultations.suggestions.test_support import support_url

    consultation = make_consultation(tree.a, title="村口路灯安装")
    form = add_page(consultation, SuggestionFormPage(title="意见征集", slug="suggestions"))
    suggestion = make_suggestion(
        form, other_resident, status=Suggestion.Status.PUBLISHED, title="修路灯"
    )
    client = signed_in(resident)
    watcher = signed_in(make_user("watcher-a@example.com", community=tree.a))
    for url in (en_url(form), en_url(consultation)):
        assert "0 residents support this" in watcher.get(url).content.decode(), url
    response = client.post(support_url(suggestion), {"next": en_url(form)})
    assert response.status_code == 302
    mine = client.get(en_url(form)).content.decode()
    assert "1 resident supports this" in mine
    assert "Withdraw my support" in mine
    theirs = watcher.get(en_url(form)).content.decode()
    assert "1 resident supports this" in theirs  # the shared list, afresh
    assert "Withdraw my support" not in theirs  # but not the supporter's button
    # The consultation page's card is an overview, the same for everyone (no buttons: it
    # links to the board), kept for at most 30 seconds.
    overview = client.get(en_url(consultation)).content.decode()
    assert "Withdraw my support" not in overview
    assert "Read the suggestion and support it" in overview
    # A new published suggestion (moderation saves it) is on the board at once, too.
    make_suggestion(form, other_resident, status=Suggestion.Status.PUBLISHED, title="装监控")
    assert "装监控" in watcher.get(en_url(form)).content.decode()


def test_a_registration_shows_at_once_in_the_seats_left(tree, resident, other_resident):
    from consultations.hearings.operations import cancel_registration, register_for_session
    from tests.consultations.hearings.factories import make_hearing, session_fields

    hearing = make_hearing(make_consultation(tree.a), sessions=[session_fields(seats=3)])
    from tests.consultations.suggestions.test_suggestions import en_url

    session = hearing.sessions.get()
    watcher = signed_in(other_resident)
    assert "3 seats left" in watcher.get(en_url(hearing)).content.decode()
    registration, _created = register_for_session(session, resident, category="affected")
    assert "2 seats left" in watcher.get(en_url(hearing)).content.decode()
    cancel_registration(registration, resident)
    assert "3 seats left" in watcher.get(en_url(hearing)).content.decode()


def test_a_new_view_restriction_holds_at_once(client, tree, resident):
    consultation = make_consultation(tree.a, title="内部议题")
    reader = signed_in(resident)
    assert client.get(consultation.url).status_code == 200  # kept for anonymous visitors
    assert client.get(consultation.url).status_code == 200
    assert reader.get(consultation.url).status_code == 200  # the remembered restrictions
    group = Group.objects.create(name="村委会")
    restriction = PageViewRestriction.objects.create(
        page=consultation, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(group)
    assert client.get(consultation.url).status_code == 302  # to sign in, not the kept page
    assert reader.get(consultation.url).status_code == 302  # not in the group: to sign in
    resident.groups.add(group)
    assert reader.get(consultation.url).status_code == 200
    assert "内部议题" in reader.get(tree.a.url).content.decode()  # listed for a member
    restriction.groups.clear()  # only the groups change, not the restriction
    assert reader.get(consultation.url).status_code == 302
    assert "内部议题" not in reader.get(tree.a.url).content.decode()
    restriction.delete()
    assert reader.get(consultation.url).status_code == 200


def test_published_results_show_at_once(tree, resident):
    from consultations.polls.models import ResultsVisibility
    from consultations.polls.operations import publish_results

    consultation = make_consultation(tree.a, title="村口路灯安装")
    poll = open_poll(consultation, results_visibility=ResultsVisibility.AFTER_PUBLISH)
    client = signed_in(resident)
    for url in (poll.url, consultation.url):
        assert "poll-turnout" not in client.get(url).content.decode(), url
    publish_results(poll, make_user("clerk-a@example.com", community=tree.a))
    for url in (poll.url, consultation.url):
        assert "poll-turnout" in client.get(url).content.decode(), url


def test_the_portal_settings_show_at_once_when_saved(tree, resident):
    from home.models import PortalSettings

    client = signed_in(resident)
    assert "社区协商平台" in client.get(tree.a.url).content.decode()
    site_settings = PortalSettings.for_site(tree.home.get_site())
    site_settings.portal_name = "桃源镇协商平台"
    site_settings.save()
    assert "桃源镇协商平台" in client.get(tree.a.url).content.decode()
