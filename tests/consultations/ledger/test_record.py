"""The public consultation record of a community: the year's activities, feed and JSON;
view restrictions respected; and the officials' dashboard panel."""

import json
from datetime import timedelta

from django.utils import timezone
from wagtail.models import PageViewRestriction

from consultations.ledger import operations
from tests.conftest import make_consultation
from tests.consultations.ledger.factories import add_suggestions, manual_entry
from tests.consultations.outcomes.factories import page_url


def record_url(community, tail=""):
    return "/en" + page_url(community) + "record/" + tail


def test_the_record_lists_the_years_activities_with_their_checklist(client, tree):
    today = timezone.localdate()
    consultation = make_consultation(tree.a, slug="open-record", input_opens=today)
    add_suggestions(consultation, 2)
    operations.sync_entry(consultation.pk)
    manual_entry(tree.a, today, topic="线下议事会", participants=12)
    manual_entry(tree.a, today.replace(year=today.year - 1), topic="去年的议事会")
    manual_entry(tree.b, today, topic="乙村议事会")
    html = client.get(record_url(tree.a)).content.decode()
    assert consultation.title in html and "线下议事会" in html
    assert "去年的议事会" not in html and "乙村议事会" not in html
    assert "Procedure:" in html and "Advance notice published in time" in html
    last_year = client.get(record_url(tree.a, f"{today.year - 1}/")).content.decode()
    assert "去年的议事会" in last_year and "线下议事会" not in last_year


def test_a_restricted_consultation_stays_out_of_the_record_feed_and_json(client, tree):
    today = timezone.localdate()
    hidden = make_consultation(tree.a, slug="hidden", title="内部议题", input_opens=today)
    PageViewRestriction.objects.create(page=hidden, restriction_type="login")
    operations.sync_entry(hidden.pk)
    shown = make_consultation(tree.a, slug="shown", title="公开议题", input_opens=today)
    operations.sync_entry(shown.pk)
    for tail in ("", "feed/", "json/"):
        body = client.get(record_url(tree.a, tail)).content.decode()
        assert "公开议题" in body
        assert "内部议题" not in body


def test_the_feed_and_json_carry_the_same_activities(client, tree):
    today = timezone.localdate()
    manual_entry(tree.a, today, topic="线下议事会", participants=12)
    feed = client.get(record_url(tree.a, "feed/"))
    assert feed["Content-Type"].startswith("application/rss+xml")
    assert "线下议事会" in feed.content.decode()
    data = json.loads(client.get(record_url(tree.a, "json/")).content)
    assert data["entries"][0]["topic"] == "线下议事会"
    assert data["entries"][0]["participants"] == 12


def test_a_year_out_of_range_is_not_found(client, tree):
    assert client.get(record_url(tree.a, "1999/")).status_code == 404


def test_the_community_page_links_to_its_record(client, tree):
    assert "record/" in client.get("/en" + page_url(tree.a)).content.decode()


def test_the_dashboard_panel_shows_communities_below_and_what_to_fix(client, tree, official):
    today = timezone.localdate()
    overdue = make_consultation(
        tree.a,
        slug="late",
        title="逾期议题",
        notice_date=today - timedelta(days=60),
        input_opens=today - timedelta(days=50),
        input_closes=today - timedelta(days=40),
        outcome_due=today - timedelta(days=1),
    )
    add_suggestions(overdue, 1)
    soon = make_consultation(
        tree.b,
        slug="soon",
        title="下周的会",
        notice_date=today,
        input_opens=None,
        input_closes=None,
        meeting_at=timezone.now() + timedelta(days=7),
    )
    operations.refresh_all()
    client.force_login(official)
    html = client.get("/en/admin/").content.decode()
    assert "Consultation ledger" in html
    assert "甲村" in html and "乙村" in html
    assert "逾期议题" in html  # overdue outcome
    assert soon.title in html  # upcoming activity
    assert "Unanswered suggestions" in html and "/admin/suggestions/" in html


def test_the_dashboard_panel_is_not_shown_to_editors(client, tree, editor_a):
    client.force_login(editor_a)
    assert "Consultation ledger" not in client.get("/en/admin/").content.decode()


def test_the_ledger_is_open_data_in_the_api_without_restricted_pages(client, tree):
    today = timezone.localdate()
    hidden = make_consultation(tree.a, slug="hidden-api", title="内部议题", input_opens=today)
    PageViewRestriction.objects.create(page=hidden, restriction_type="password", password="x")
    operations.sync_entry(hidden.pk)
    manual_entry(tree.a, today, topic="线下议事会", participants=12)
    manual_entry(tree.b, today, topic="乙村议事会")
    data = json.loads(client.get(f"/api/v2/ledger/?community={tree.a.pk}&fields=*").content)
    topics = [item["topic"] for item in data["items"]]
    assert topics == ["线下议事会"]
    assert data["items"][0]["participants"] == 12
