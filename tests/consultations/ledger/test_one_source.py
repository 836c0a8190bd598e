"""One source of figures: every screen and export gives the same numbers for a known set
of activities (the ledger admin, the report, XLSX and CSV, the dashboard panel, the
public record and its JSON, the consultation page block and the outcome page)."""

import csv
import io
import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from consultations.ledger import operations
from tests.conftest import make_consultation
from tests.consultations.ledger.factories import (
    add_hearing,
    add_poll,
    add_suggestions,
    manual_entry,
)
from tests.consultations.outcomes.factories import make_outcome, page_url

# The known set: one consultation held on the portal, one offline meeting.
ATTENDED, ONLINE, ASSISTED, PAPER, SUGGESTIONS, ANSWERED = 3, 2, 1, 5, 4, 2
PORTAL = ATTENDED + ONLINE + ASSISTED + PAPER + SUGGESTIONS  # 15
OFFLINE = 20
TOTAL = PORTAL + OFFLINE


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def known(tree, official):
    today = timezone.localdate()
    consultation = make_consultation(
        tree.a,
        slug="known",
        notice_date=today - timedelta(days=5),
        input_opens=today,
        input_closes=today + timedelta(days=10),
    )
    add_hearing(consultation, attended=ATTENDED, registered=ATTENDED + 1)
    add_poll(consultation, online=ONLINE, assisted=ASSISTED, paper=PAPER, helper=official)
    add_suggestions(consultation, SUGGESTIONS, answered=ANSWERED, rejected=1)
    outcome = make_outcome(consultation)
    manual_entry(tree.a, today, topic="线下议事会", participants=OFFLINE)
    operations.refresh_all()
    return consultation, outcome


def test_every_screen_and_export_gives_the_same_numbers(client, tree, official, known):
    consultation, outcome = known
    client.force_login(official)

    ledger = text(client.get("/en/admin/consultations/ledgerentry/").content.decode())
    assert f" {PORTAL} " in ledger and f" {OFFLINE} " in ledger

    report = text(client.get("/en/admin/ledger/report/").content.decode())
    assert re.search(rf"甲村 2 / 4 .*? {TOTAL} ", report)

    workbook = load_workbook(io.BytesIO(client.get("/admin/ledger/report/?export=xlsx").content))
    communities = {row[1].value: row for row in workbook["社区汇总"].iter_rows(min_row=2)}
    assert (communities["甲村"][2].value, communities["甲村"][6].value) == (2, TOTAL)
    ledger_rows = list(workbook["协商台账"].iter_rows(min_row=2, values_only=True))
    assert sorted(row[10] for row in ledger_rows) == sorted([PORTAL, OFFLINE])

    body = client.get("/admin/ledger/report/?export=csv").content.decode("utf-8")[1:]
    csv_rows = {row[1]: row for row in csv.reader(io.StringIO(body))}
    assert (csv_rows["甲村"][2], csv_rows["甲村"][6]) == ("2", str(TOTAL))

    dashboard = text(client.get("/en/admin/").content.decode())
    assert "甲村 : 2 of 4" in dashboard or "甲村: 2 of 4" in dashboard

    client.logout()
    record_url = "/en" + page_url(tree.a) + "record/"
    record = text(client.get(record_url).content.decode())
    assert f"2 consultation activities, {TOTAL} participants" in record
    data = json.loads(client.get(record_url + "json/").content)
    assert (data["activities"], data["participants"]) == (2, TOTAL)

    page = text(client.get("/en" + page_url(consultation)).content.decode())
    outcome_page = text(client.get("/en" + page_url(outcome)).content.decode())
    for html in (page, outcome_page):
        assert f"Participations in all (each way of taking part counted) {PORTAL}" in html
        assert f"Attended the hearing {ATTENDED}" in html
        assert f"Ballots cast online {ONLINE}" in html
        assert f"Ballots cast with help at the community office {ASSISTED}" in html
        assert f"Paper ballots {PAPER}" in html
        assert f"Residents who voted in the poll {ONLINE + ASSISTED + PAPER}" in html
        assert f"Suggestions received {SUGGESTIONS}" in html
        assert f"Suggestions answered {ANSWERED}" in html


def test_a_corrected_total_is_shown_alike_on_the_consultation_and_outcome_pages(client, known):
    from consultations.ledger.models import LedgerEntry, Source

    consultation, outcome = known
    entry = LedgerEntry.objects.get(consultation=consultation, source=Source.GENERATED)
    operations.set_correction(entry, participants=PORTAL + 30, note="现场另有 30 人")
    for url in (page_url(consultation), page_url(outcome)):
        html = text(client.get("/en" + url).content.decode())
        assert f"Participations in all (each way of taking part counted) {PORTAL + 30}" in html
        assert f"Attended the hearing {ATTENDED}" in html
