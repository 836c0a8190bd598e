"""The yearly compliance report: counts and flags across years, townships and
cross-community activities; charts; exports; print view; query counts."""

import csv
import io
from datetime import timedelta
from pathlib import Path

from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from consultations.communities.models import CommunityPage
from consultations.ledger import operations
from consultations.ledger.figures import compliance
from tests.conftest import add_page, make_consultation
from tests.consultations.conftest import assert_admin_refused
from tests.consultations.ledger.factories import manual_entry

REPORT = "/en/admin/ledger/report/"


def this_year_days(n):
    """n distinct past days of the current year (or today, early in January)."""
    today = timezone.localdate()
    start = today.replace(month=1, day=1)
    span = max((today - start).days, 0)
    return [start + timedelta(days=min(i, span)) for i in range(n)]


def test_communities_below_the_requirement_are_flagged_with_months_left(tree):
    today = timezone.localdate()
    for held_on in this_year_days(4):
        manual_entry(tree.a, held_on)
    manual_entry(tree.b, this_year_days(1)[0])
    manual_entry(tree.b, today.replace(year=today.year - 1))  # last year does not count
    report = compliance(today.year, CommunityPage.objects.all(), today, required=4)
    rows = {row.community.pk: row for row in report.rows}
    assert (rows[tree.a.pk].activities, rows[tree.a.pk].below_requirement) == (4, False)
    assert (rows[tree.b.pk].activities, rows[tree.b.pk].below_requirement) == (1, True)
    assert rows[tree.b.pk].shortfall == 3
    assert rows[tree.b.pk].months_left == 13 - today.month  # the current month counts
    last_year = compliance(today.year - 1, CommunityPage.objects.all(), today, required=4)
    assert {r.community.pk: r.activities for r in last_year.rows}[tree.b.pk] == 1
    assert {r.community.pk: r.months_left for r in last_year.rows}[tree.b.pk] == 0


def test_a_township_activity_counts_for_each_covered_community_and_totals_add_up(tree):
    today = timezone.localdate()
    consultation = make_consultation(tree.township, slug="bridge")
    consultation.covered_communities.set([tree.a, tree.b])
    consultation.save_revision().publish()
    operations.sync_entry(consultation.pk)
    manual_entry(tree.c, this_year_days(1)[0])
    report = compliance(today.year, CommunityPage.objects.all(), today, required=4)
    rows = {row.community.pk: row for row in report.rows}
    assert rows[tree.a.pk].activities == rows[tree.b.pk].activities == 1
    assert rows[tree.c.pk].activities == 1
    townships = {t["township"].pk: t for t in report.townships}
    assert townships[tree.township.pk]["activities"] == 2
    assert townships[tree.township.pk]["below"] == 2
    assert townships[tree.street.pk]["activities"] == 1
    assert report.total["activities"] == 3
    assert report.total["communities"] == 3
    assert sum(report.by_month) == 2  # two activities, one of them for two communities


def test_checklist_completeness_and_overdue_disclosures(tree):
    today = timezone.localdate()
    overdue = make_consultation(
        tree.a,
        slug="overdue",
        notice_date=today.replace(month=1, day=1),
        input_opens=today.replace(month=1, day=1),
        input_closes=today.replace(month=1, day=1),
        outcome_due=today - timedelta(days=1),
    )
    operations.sync_entry(overdue.pk)
    report = compliance(today.year, CommunityPage.objects.filter(pk=tree.a.pk), today, 4)
    row = report.rows[0]
    assert row.consultations == 1
    assert row.overdue_disclosures == 1
    assert row.steps_met["topic"] == 1
    assert row.steps_met["outcome"] == 0


def test_the_report_page_shows_flags_and_charts_to_an_official(client, tree, official):
    manual_entry(tree.a, this_year_days(1)[0], topic="议事")
    client.force_login(official)
    response = client.get(REPORT)
    assert response.status_code == 200
    html = response.content.decode()
    assert "甲村" in html and "乙村" in html
    assert "丙社区" not in html  # another street's community
    assert "3 short" in html and "4 short" in html
    assert html.count("<svg") >= 3 and "<desc" in html and "<title" in html
    print_view = client.get("/en/admin/ledger/report/print/").content.decode()
    # The A4 page size comes with the print view's stylesheet (no inline style: CSP).
    assert "css/ledger_report_print.css" in print_view
    stylesheet = Path(finders.find("css/ledger_report_print.css")).read_text()
    assert "@page" in stylesheet and "A4" in stylesheet


def test_the_report_is_refused_to_community_editors(client, tree, editor_a):
    client.force_login(editor_a)
    assert_admin_refused(client.get(REPORT))
    assert_admin_refused(client.get(REPORT + "?export=xlsx"))


def test_xlsx_export_has_named_sheets_chinese_headers_and_safe_cells(client, tree, official):
    manual_entry(tree.a, this_year_days(1)[0], topic="=HYPERLINK(1)")
    client.force_login(official)
    response = client.get("/admin/ledger/report/", {"export": "xlsx"})  # Chinese admin
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["社区汇总", "乡镇汇总", "协商台账"]
    headers = [c.value for c in workbook["社区汇总"][1]]
    assert headers[:3] == ["乡镇（街道）", "村（社区）", "协商活动次数"]
    topics = [row[5].value for row in workbook["协商台账"].iter_rows(min_row=2)]
    assert topics == ["'=HYPERLINK(1)"]


def test_csv_export_is_utf8_with_bom(client, tree, official):
    manual_entry(tree.a, this_year_days(1)[0], topic="+SUM(A1)")
    client.force_login(official)
    response = client.get("/admin/ledger/export/", {"format": "csv"}, follow=True)
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert rows[0][0] == "日期"
    assert rows[1][5] == "'+SUM(A1)"


def test_report_queries_do_not_grow_with_the_number_of_communities(client, tree, official):
    def queries():
        client.get(REPORT)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(REPORT).status_code == 200
        return len(captured)

    for held_on in this_year_days(2):
        manual_entry(tree.a, held_on)
    client.force_login(official)
    few = queries()
    for i in range(4):
        community = add_page(tree.township, CommunityPage(title=f"新村{i}", slug=f"new-{i}"))
        manual_entry(community, this_year_days(1)[0])
        make_consultation(community, slug=f"c{i}")
        operations.refresh_all()
    many = queries()
    assert many == few, (few, many)


def test_the_ledger_export_follows_the_lists_filters_and_scope(client, tree, editor_a):
    manual_entry(tree.a, this_year_days(1)[0], topic="停车议事会")
    manual_entry(tree.a, this_year_days(1)[0], topic="垃圾分类议事会")
    manual_entry(tree.b, this_year_days(1)[0], topic="乙村停车议事会")
    client.force_login(editor_a)
    body = client.get("/admin/ledger/export/", {"format": "csv", "q": "停车"}, follow=True).content
    rows = list(csv.reader(io.StringIO(body.decode("utf-8")[1:])))
    assert [row[5] for row in rows[1:]] == ["停车议事会"]
