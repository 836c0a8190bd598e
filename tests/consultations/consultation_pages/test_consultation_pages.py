"""Consultation pages: page-type rules, the stage and its stored copy, listing, search,
feeds, sitemap and the notice-board print view (issue 3)."""

from datetime import date, datetime, timedelta

import pytest
from defusedxml import ElementTree as ET
from django.core.management import call_command
from django.utils import timezone, translation
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from consultations.models import (
    Category,
    CommunityIndexPage,
    CommunityPage,
    ConsultationChildPage,
    ConsultationIndexPage,
    ConsultationPage,
    ConsultationRules,
    Format,
    Stage,
)
from home.models import HomePage
from tests.conftest import add_page, make_consultation

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def en(page_or_url):
    """The English address of a page (its Chinese URL, whatever language is active)."""
    if isinstance(page_or_url, str):
        return "/en" + page_or_url
    with translation.override("zh-hans"):
        return "/en" + page_or_url.url


def full_url(page):
    with translation.override("zh-hans"):
        return page.full_url


# --- page-type rules --------------------------------------------------------------------


class TestPageTypeRules(WagtailPageTestCase):
    def test_consultation_sits_under_a_community_or_an_area(self):
        self.assertAllowedParentPageTypes(ConsultationPage, {CommunityPage, CommunityIndexPage})

    def test_community_holds_only_consultations(self):
        self.assertAllowedSubpageTypes(CommunityPage, {ConsultationPage})

    def test_area_pages_hold_areas_communities_and_cross_community_consultations(self):
        self.assertAllowedSubpageTypes(
            CommunityIndexPage, {CommunityIndexPage, CommunityPage, ConsultationPage}
        )

    def test_consultation_children_are_attached_pages_only(self):
        for model in ConsultationPage.allowed_subpage_models():
            assert issubclass(model, ConsultationChildPage), model

    def test_consultation_cannot_sit_at_home_or_under_the_index(self):
        self.assertCanNotCreateAt(HomePage, ConsultationPage)
        self.assertCanNotCreateAt(ConsultationIndexPage, ConsultationPage)
        self.assertCanNotCreateAt(ConsultationPage, ConsultationPage)


def test_county_level_consultation_is_allowed_as_the_policy_lets_counties_organise(tree):
    # 三(二): "对跨村(社区)的重要事项，根据需要由乡镇、街道或县市区组织开展协商".
    assert ConsultationPage.can_create_at(tree.county)
    assert ConsultationPage.can_create_at(tree.township)
    assert ConsultationPage.can_create_at(tree.a)
    assert not ConsultationPage.can_create_at(tree.home)


# --- the stage ----------------------------------------------------------------------------


def dated(**fields):
    base = {
        "live": True,
        "notice_date": date(2026, 3, 1),
        "input_opens": date(2026, 3, 5),
        "input_closes": date(2026, 3, 20),
        "meeting_at": timezone.make_aware(datetime(2026, 3, 25, 19, 30)),
        "outcome_due": date(2026, 4, 20),
    }
    base.update(fields)
    return ConsultationPage(title="t", **base)


@pytest.mark.parametrize(
    "today,stage",
    [
        (date(2026, 3, 1), Stage.NOTICE),
        (date(2026, 3, 4), Stage.NOTICE),
        (date(2026, 3, 5), Stage.OPEN),
        (date(2026, 3, 20), Stage.OPEN),
        (date(2026, 3, 21), Stage.DELIBERATION),
        (date(2026, 5, 1), Stage.DELIBERATION),
    ],
)
def test_stage_follows_the_dates(today, stage):
    assert dated().derive_stage(today=today, children=[]) == stage


def test_stage_without_input_period_waits_for_the_meeting():
    page = dated(input_opens=None, input_closes=None)
    assert page.derive_stage(today=date(2026, 3, 24), children=[]) == Stage.NOTICE
    assert page.derive_stage(today=date(2026, 3, 26), children=[]) == Stage.DELIBERATION


def test_draft_and_referral_override_the_dates():
    assert dated(live=False).derive_stage(today=date(2026, 3, 10), children=[]) == Stage.DRAFT
    referred = dated(referred_to_assembly=True)
    assert referred.derive_stage(today=date(2026, 3, 10), children=[]) == Stage.REFERRED


def test_a_child_page_moves_the_stage_past_the_dates():
    class Outcome:
        def consultation_stage(self, today):
            return Stage.IMPLEMENTATION

    class Quiet:
        def consultation_stage(self, today):
            return None

    page = dated()
    assert page.derive_stage(today=date(2026, 3, 10), children=[Quiet()]) == Stage.OPEN
    assert (
        page.derive_stage(today=date(2026, 3, 10), children=[Quiet(), Outcome()])
        == Stage.IMPLEMENTATION
    )


def test_stored_stage_is_set_on_publish_and_unpublish(tree):
    page = make_consultation(tree.a)
    assert page.stage == Stage.OPEN
    assert ConsultationPage.objects.get(pk=page.pk).stage == page.derive_stage()
    page.unpublish()
    assert ConsultationPage.objects.get(pk=page.pk).stage == Stage.DRAFT


def test_saving_a_draft_revision_of_a_live_page_keeps_the_public_stage(tree):
    page = make_consultation(tree.a)
    page.input_opens = timezone.localdate() + timedelta(days=5)
    page.input_closes = timezone.localdate() + timedelta(days=20)
    page.save_revision()
    assert ConsultationPage.objects.get(pk=page.pk).stage == Stage.OPEN
    page.get_latest_revision().publish()
    assert ConsultationPage.objects.get(pk=page.pk).stage == Stage.NOTICE


def test_refresh_stage_and_the_hourly_command_follow_the_date(tree, monkeypatch):
    today = timezone.localdate()
    page = make_consultation(
        tree.a,
        notice_date=today - timedelta(days=30),
        input_opens=today - timedelta(days=20),
        input_closes=today,
    )
    assert page.stage == Stage.OPEN
    tomorrow = today + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    call_command("consultations_refresh_stages", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert ConsultationPage.objects.get(pk=page.pk).stage == Stage.DELIBERATION
    assert page.refresh_stage(today=today) == Stage.OPEN
    assert ConsultationPage.objects.get(pk=page.pk).stage == Stage.OPEN


def test_publishing_and_deleting_a_child_refreshes_the_stage(tree, monkeypatch):
    page = make_consultation(tree.a)
    assert page.stage == Stage.OPEN
    # Any live child that reports a stage moves the consultation; use a plain Page
    # standing in for an attached page of a later capability.
    monkeypatch.setattr(
        Page, "consultation_stage", lambda self, today: Stage.OUTCOME, raising=False
    )
    child = Page(title="成果公告", slug="outcome")
    page.add_child(instance=child)
    child.save_revision().publish()
    assert ConsultationPage.objects.get(pk=page.pk).stage == Stage.OUTCOME
    child.unpublish()
    assert ConsultationPage.objects.get(pk=page.pk).stage == Stage.OPEN
    child.save_revision().publish()
    assert ConsultationPage.objects.get(pk=page.pk).stage == Stage.OUTCOME
    child.delete()
    assert ConsultationPage.objects.get(pk=page.pk).stage == Stage.OPEN


# --- listing ---------------------------------------------------------------------------


@pytest.fixture
def catalogue(tree):
    today = timezone.localdate()
    index = add_page(tree.home, ConsultationIndexPage(title="协商议题", slug="consultations"))
    roads = Category.objects.get(slug="roads-water")
    env = Category.objects.get(slug="environment")
    hearing = Format.objects.get(slug="hearing")
    online = Format.objects.get(slug="online")
    pages = {
        "a_open_roads": make_consultation(tree.a, slug="a1", title="甲村道路", category=roads),
        "a_notice_env": make_consultation(
            tree.a,
            slug="a2",
            title="甲村垃圾分类",
            category=env,
            format=hearing,
            input_opens=today + timedelta(days=3),
            input_closes=today + timedelta(days=20),
        ),
        "b_delib_env": make_consultation(
            tree.b,
            slug="b1",
            title="乙村河道整治",
            category=env,
            notice_date=date(2024, 5, 1),
            input_opens=date(2024, 5, 5),
            input_closes=date(2024, 5, 20),
            outcome_due=None,
        ),
        "c_open_roads": make_consultation(
            tree.c, slug="c1", title="丙社区停车", category=roads, format=online
        ),
    }
    township = make_consultation(tree.township, slug="t1", title="跨村公路", category=roads)
    township.covered_communities.set([tree.a, tree.b])
    township.save_revision().publish()
    pages["township_roads"] = township
    return type("Catalogue", (), {"index": index, **pages})


def facet(response, name):
    return {
        option["value"]: option["count"]
        for f in response.context["listing"].facets
        if f["name"] == name
        for option in f["options"]
    }


def titles(response):
    return {p.title for p in response.context["listing"].page_obj.object_list}


def test_index_lists_all_live_consultations_with_counts(client, catalogue, tree):
    response = client.get(en(catalogue.index))
    assert response.status_code == 200
    assert titles(response) == {
        "甲村道路",
        "甲村垃圾分类",
        "乙村河道整治",
        "丙社区停车",
        "跨村公路",
    }
    stages = facet(response, "stage")
    assert stages["open"] == 3 and stages["notice"] == 1 and stages["deliberation"] == 1
    communities = facet(response, "community")
    # A's own two, plus the township one that covers A.
    assert communities[str(tree.a.pk)] == 3
    assert communities[str(tree.b.pk)] == 2
    assert communities[str(tree.c.pk)] == 1
    html = response.content.decode()
    assert '<legend id="filters-title">Filter consultations</legend>' in html
    assert '<label for="filter-stage">Stage</label>' in html


def test_filters_combine_and_counts_follow_the_other_filters(client, catalogue, tree):
    response = client.get(en(catalogue.index), {"category": "environment"})
    assert titles(response) == {"甲村垃圾分类", "乙村河道整治"}
    assert facet(response, "stage")["notice"] == 1
    assert facet(response, "stage")["open"] == 0
    # The category facet itself still counts against the other filters (none).
    assert facet(response, "category")["roads-water"] == 3

    response = client.get(en(catalogue.index), {"community": tree.a.pk, "stage": "open"})
    assert titles(response) == {"甲村道路", "跨村公路"}

    response = client.get(en(catalogue.index), {"format": "hearing"})
    assert titles(response) == {"甲村垃圾分类"}

    response = client.get(en(catalogue.index), {"year": "2024"})
    assert titles(response) == {"乙村河道整治"}
    assert facet(response, "year")["2024"] == 1


def test_bad_filter_values_are_ignored_with_a_message(client, catalogue):
    response = client.get(en(catalogue.index), {"stage": "nonsense", "year": "abc", "page": "999"})
    assert response.status_code == 200
    assert len(titles(response)) == 5
    assert "Some filter values were not recognised" in response.content.decode()


def test_filtered_empty_state(client, catalogue):
    response = client.get(en(catalogue.index), {"stage": "closed"})
    assert "No consultation matches these filters." in response.content.decode()


def test_index_is_paginated_and_keeps_filters(client, tree):
    index = add_page(tree.home, ConsultationIndexPage(title="协商议题", slug="consultations"))
    for n in range(14):
        make_consultation(tree.a, slug=f"c{n}", title=f"议题{n}")
    response = client.get(en(index), {"stage": "open"})
    listing = response.context["listing"]
    assert listing.total == 14 and len(listing.page_obj.object_list) == 12
    assert "?stage=open&amp;page=2" in response.content.decode()
    response = client.get(en(index), {"stage": "open", "page": 2})
    assert len(response.context["listing"].page_obj.object_list) == 2


def test_index_query_count_does_not_grow_with_consultations(
    client, tree, django_assert_max_num_queries
):
    index = add_page(tree.home, ConsultationIndexPage(title="协商议题", slug="consultations"))
    for n in range(12):
        make_consultation([tree.a, tree.b, tree.c][n % 3], slug=f"q{n}", title=f"议题{n}")
    client.get(en(index))  # warm caches (site root paths, settings)
    # About 19 today; a query per consultation would add twelve.
    with django_assert_max_num_queries(22):
        response = client.get(en(index), {"category": "roads-water"})
    assert response.context["listing"].total == 12


def test_community_page_lists_its_own_and_covering_consultations(client, catalogue, tree):
    response = client.get(en(tree.a))
    assert titles(response) == {"甲村道路", "甲村垃圾分类", "跨村公路"}
    response = client.get(en(tree.a), {"stage": "notice"})
    assert titles(response) == {"甲村垃圾分类"}
    response = client.get(en(tree.c), {"stage": "notice"})
    assert "No consultation matches these filters." in response.content.decode()


def test_township_page_lists_its_cross_community_consultations(client, catalogue, tree):
    html = client.get(en(tree.township)).content.decode()
    assert "Consultations across communities" in html
    assert "跨村公路" in html and "甲村道路" not in html


def test_community_without_consultations_shows_the_empty_state(client, tree):
    response = client.get(en(tree.c))
    assert "This community has no consultation yet." in response.content.decode()


def test_home_page_open_consultations_use_the_stored_stage(client, catalogue):
    from home.sections import open_consultations

    found = {page.title for page in open_consultations()}
    assert found == {"甲村道路", "甲村垃圾分类", "丙社区停车", "跨村公路"}


# --- search ------------------------------------------------------------------------------


def test_search_finds_consultations_and_other_pages(client, catalogue, tree):
    response = client.get("/en/search/", {"q": "河道"})
    assert response.status_code == 200
    found = [page.title for page in response.context["page_obj"].object_list]
    assert found == ["乙村河道整治"]
    response = client.get("/en/search/", {"q": "甲村"})
    found = {page.title for page in response.context["page_obj"].object_list}
    assert {"甲村", "甲村道路", "甲村垃圾分类"} <= found


def test_search_does_not_show_drafts_and_handles_empty_queries(client, catalogue):
    catalogue.b_delib_env.unpublish()
    response = client.get("/en/search/", {"q": "河道"})
    assert "Nothing was found" in response.content.decode()
    response = client.get("/en/search/")
    assert response.status_code == 200
    assert "Type a few words" in response.content.decode()


# --- feeds ------------------------------------------------------------------------------


def test_site_wide_rss_feed_is_valid_and_lists_new_consultations(client, catalogue):
    response = client.get("/en/feeds/consultations/rss/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    channel = root.find("channel")
    items = channel.findall("item")
    assert {item.findtext("title") for item in items} == {
        "甲村道路",
        "甲村垃圾分类",
        "乙村河道整治",
        "丙社区停车",
        "跨村公路",
    }
    link = next(i for i in items if i.findtext("title") == "甲村道路").findtext("link")
    assert link.startswith("http://testserver/") and link.endswith("/village-a/a1/")
    assert all(item.findtext("pubDate") for item in items)


def test_community_atom_feed_is_valid(client, catalogue, tree):
    response = client.get(f"/feeds/consultations/{tree.a.pk}/atom/")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert {e.findtext(f"{ATOM}title") for e in entries} == {"甲村道路", "甲村垃圾分类", "跨村公路"}
    assert all(e.find(f"{ATOM}link").get("href").startswith("http") for e in entries)
    assert all(e.findtext(f"{ATOM}updated") for e in entries)


def test_feed_of_unknown_community_is_404(client, tree):
    assert client.get("/feeds/consultations/999999/rss/").status_code == 404


def test_pages_link_their_feeds(client, catalogue, tree):
    html = client.get(en(catalogue.index)).content.decode()
    assert 'rel="alternate" type="application/atom+xml"' in html
    assert "/feeds/consultations/atom/" in html
    html = client.get(en(tree.a)).content.decode()
    assert f"/feeds/consultations/{tree.a.pk}/rss/" in html
    html = client.get(en(catalogue.a_open_roads)).content.decode()
    assert f"/feeds/consultations/{tree.a.pk}/atom/" in html


# --- sitemap ----------------------------------------------------------------------------


def test_sitemap_lists_live_consultations_only(client, catalogue):
    catalogue.b_delib_env.unpublish()
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locations = {loc.text for loc in ET.fromstring(response.content).iter(f"{ns}loc")}
    assert full_url(catalogue.a_open_roads) in locations
    assert full_url(catalogue.township_roads) in locations
    assert full_url(catalogue.b_delib_env) not in locations


# --- consultation page and print view ----------------------------------------------------


def test_consultation_page_shows_stage_timeline_and_print_link(client, consultation):
    response = client.get(en(consultation))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-current="step">Open for input</li>' in html
    assert f'href="{en(consultation)}print/"' in html
    assert "Nothing is attached yet." in html


def test_print_view_has_notice_dates_and_a_qr_code_of_the_page(client, consultation):
    consultation.body = '[{"type": "text", "value": "<p>施工期间请注意安全。</p>"}]'
    consultation.save_revision().publish()
    response = client.get(en(consultation) + "print/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html
    assert "consultation_pages_print.css" in html
    assert consultation.title in html and consultation.summary in html
    assert "How to take part" in html
    assert "施工期间请注意安全。" in html
    assert "http://testserver" + en(consultation) in html
    assert "@page" in (
        open("static/css/consultation_pages_print.css").read()  # noqa: SIM115
    )


def test_draft_consultation_is_not_public(client, consultation):
    consultation.unpublish()
    assert client.get(en(consultation)).status_code == 404
    assert client.get(en(consultation) + "print/").status_code == 404


# --- demo ------------------------------------------------------------------------------


def test_demo_consultations_cover_every_date_stage_and_load_idempotently(db):
    import io

    from consultations.communities import demo as communities
    from consultations.consultation_pages import demo as consultations

    out = io.StringIO()
    communities.load(out)
    consultations.load(out)
    consultations.load(out)
    pages = ConsultationPage.objects.live()
    assert pages.count() == len(consultations.CONSULTATIONS)
    assert {p.stage for p in pages} == {
        Stage.NOTICE,
        Stage.OPEN,
        Stage.DELIBERATION,
        Stage.REFERRED,
    }
    assert all(p.stage == p.derive_stage() for p in pages)
    assert all(not p.notice_rule_errors(ConsultationRules()) for p in pages)
    township_level = pages.get(slug="qingshi-taoyuan-link-road")
    assert township_level.community is None
    assert {c.slug for c in township_level.covered_communities.all()} == {"qingshi", "taoyuan"}
    assert len({p.get_parent().pk for p in pages}) == 7


def test_search_results_are_paginated(client, tree):
    for n in range(12):
        make_consultation(tree.a, slug=f"road{n}", title=f"道路议题{n}")
    response = client.get("/en/search/", {"q": "道路"})
    page_obj = response.context["page_obj"]
    assert page_obj.paginator.count == 12 and len(page_obj.object_list) == 10
    assert "?q=%E9%81%93%E8%B7%AF&amp;page=2" in response.content.decode()


def test_viewing_a_page_shows_the_derived_stage_without_writing(client, consultation):
    ConsultationPage.objects.filter(pk=consultation.pk).update(stage=Stage.NOTICE)
    response = client.get(en(consultation))
    assert response.context["stage"] == Stage.OPEN
    # A GET never writes: the stale stored copy is left for the hourly command to heal.
    assert ConsultationPage.objects.get(pk=consultation.pk).stage == Stage.NOTICE
    call_command("consultations_refresh_stages", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert ConsultationPage.objects.get(pk=consultation.pk).stage == Stage.OPEN


@pytest.mark.parametrize("query", ["！", '"', "*", "(", "OR", "a AND", "道", "x" * 300, "路 -"])
def test_odd_search_queries_never_fail(client, consultation, query):
    response = client.get("/en/search/", {"q": query})
    assert response.status_code == 200


def test_community_page_query_count_does_not_grow_with_consultations(
    client, tree, django_assert_max_num_queries
):
    for n in range(12):
        make_consultation(tree.a, slug=f"q{n}", title=f"议题{n}")
    client.get(en(tree.a))
    # Listing, facets and the page's own facts; no query per consultation.
    with django_assert_max_num_queries(24):
        response = client.get(en(tree.a), {"stage": "open"})
    assert response.context["listing"].total == 12
