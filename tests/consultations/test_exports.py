"""Every staff export on one mechanism (consultations/exports.py, Wagtail's spreadsheet
export): headings and words in the clerk's language, named sheets, cells that never start a
formula, the list's filters and the user's permissions, buttons on the list itself."""

import csv
import io
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.users.models import UserProfile

from consultations.communities.operations import ensure_area_officials_group
from consultations.exports import FORMULA_TRIGGERS
from consultations.hearings.operations import check_in
from consultations.models import PollPage, SuggestionFormPage
from consultations.polls.operations import cast_ballot
from consultations.suggestions import operations
from consultations.suggestions.models import Suggestion
from tests.conftest import add_page, make_consultation, make_user
from tests.consultations.hearings.factories import make_hearing, register
from tests.consultations.ledger.factories import manual_entry
from tests.consultations.outcomes.factories import make_outcome
from tests.consultations.polls.factories import NO, Q1, YES, make_poll, question
from tests.consultations.roster.factories import make_person

pytestmark = pytest.mark.django_db

PAYLOADS = ['=HYPERLINK("http://evil.example","x")', "+1", "-1", "@x"]
ZH, EN = "zh-hans", "en"


def login(client, user, language=ZH):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    return client


def sheets(response):
    """{sheet title: rows} of an XLSX response, {"csv": rows} of a CSV one."""
    assert response.status_code == 200, response
    assert "attachment" in response["Content-Disposition"]
    if response["Content-Type"].startswith("text/csv"):
        body = response.content.decode("utf-8")
        assert body.startswith("\ufeff")  # Excel on Chinese Windows reads UTF-8
        return {"csv": list(csv.reader(io.StringIO(body[1:])))}
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    return {
        ws.title: [["" if c is None else c for c in row] for row in ws.iter_rows(values_only=True)]
        for ws in workbook.worksheets
    }


def both(client, url, **params):
    """The XLSX sheets and the CSV rows of one export."""
    xlsx = sheets(client.get(url, {**params, "export": "xlsx"}))
    csv_rows = sheets(client.get(url, {**params, "export": "csv"}))["csv"]
    return xlsx, csv_rows


def assert_same(xlsx_rows, csv_rows):
    """The same table in both formats (XLSX keeps numbers as numbers)."""
    assert len(xlsx_rows) == len(csv_rows)
    for xlsx_row, csv_row in zip(xlsx_rows, csv_rows, strict=True):
        for xlsx_cell, csv_cell in zip(xlsx_row, csv_row, strict=True):
            if isinstance(xlsx_cell, int | float):
                assert float(csv_cell) == xlsx_cell
            else:
                assert csv_cell == xlsx_cell


def assert_formula_safe(*tables):
    for rows in tables:
        for row in rows:
            for cell in row:
                assert not str(cell).startswith(FORMULA_TRIGGERS), cell


def as_dicts(rows):
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


def assert_buttons(client, url):
    """The list offers Wagtail's XLSX and CSV buttons before any filter is chosen."""
    html = client.get(url).content.decode()
    assert "export=xlsx" in html and "export=csv" in html, url


# --- suggestions ---------------------------------------------------------------------------


@pytest.fixture
def suggestions(consultation, editor_a, resident):
    page = add_page(consultation, SuggestionFormPage(title="意见征集", slug="suggestions"))
    answered = Suggestion.objects.create(
        page=page,
        user=resident,
        token="t" * 32,
        form_data={"title": PAYLOADS[0], "opinion": "+1", "topic_part": "@x"},
        status=Suggestion.Status.PUBLISHED,
        show_name=True,
    )
    Suggestion.objects.filter(pk=answered.pk).update(
        submit_time=timezone.make_aware(datetime(2026, 12, 14, 9, 0))
    )
    operations.answer_suggestion(answered, editor_a, "adopted", "-1")
    Suggestion.objects.create(
        page=page, user=resident, token="p" * 32, form_data={"title": "待审"}, show_name=False
    )
    return page


SUGGESTION_WORDS = {
    ZH: (
        "意见建议",
        ["编号", "提交时间", "提交人", "邮箱", "是否公开姓名"],
        "2026年12月14日 09:00",
    ),
    EN: ("Suggestions", ["Number", "Submitted", "Author", "Email", "Name shown"], None),
}


@pytest.mark.parametrize("language", [ZH, EN])
def test_suggestions_queue_export(client, editor_a, suggestions, language):
    title, headings, submitted = SUGGESTION_WORDS[language]
    login(client, editor_a, language)
    url = reverse("suggestions_admin:queue")
    assert_buttons(client, url)
    xlsx, csv_rows = both(client, url, status="all")
    assert list(xlsx) == [title]
    rows = xlsx[title]
    assert_same(rows, csv_rows)
    assert rows[0][:5] == headings
    assert_formula_safe(rows)
    answered = next(row for row in as_dicts(rows) if "'-1" in row.values())
    values = list(answered.values())
    assert "'" + PAYLOADS[0] in values and "'+1" in values and "'@x" in values
    assert "'-1" in values  # the answer's explanation
    if language == ZH:
        assert answered["提交时间"] == submitted
        assert answered["是否公开姓名"] == "是" and answered["状态"] == "已公开"
        assert answered["答复"] == "采纳"
        assert answered["意见征集"] == f"{suggestions.get_parent().title} – 意见征集"
    else:
        assert answered["Submitted"] == "14 December 2026, 09:00"
        assert answered["Name shown"] == "Yes" and answered["Status"] == "Published"
        assert answered["Answer"] == "Adopted"
    assert "True" not in values and "False" not in values


def test_suggestions_export_follows_the_queues_filters(client, editor_a, suggestions):
    login(client, editor_a)
    url = reverse("suggestions_admin:queue")
    pending = as_dicts(sheets(client.get(url, {"export": "csv"}))["csv"])  # pending by default
    assert [row["状态"] for row in pending] == ["待审核"]
    published = sheets(client.get(url, {"status": "published", "export": "csv"}))["csv"]
    assert [row["状态"] for row in as_dicts(published)] == ["已公开"]


def test_suggestions_export_never_has_another_communitys_rows(client, editor_b, suggestions):
    login(client, editor_b)
    url = reverse("suggestions_admin:queue")
    rows = sheets(client.get(url, {"status": "all", "page_id": suggestions.pk, "export": "csv"}))
    assert rows["csv"][1:] == []


# --- hearings ------------------------------------------------------------------------------


@pytest.fixture
def session(consultation, editor_a, resident):
    hearing = make_hearing(consultation)
    session = hearing.sessions.get()
    resident.display_name = PAYLOADS[0]
    resident.save()
    register(session, resident, phone="+1", wishes_to_speak=True, speech_summary="@x")
    other = make_user("other-a@example.com", community=consultation.get_parent().specific)
    check_in(session, register(session, other, phone="-1").code, editor_a)
    return session


@pytest.mark.parametrize(
    "language, title, headings, speaks",
    [
        (ZH, "报名名单", ["报名码", "状态", "参加身份", "姓名"], "是"),
        (EN, "Registrants", ["Registration code", "Status", "Taking part as", "Name"], "Yes"),
    ],
)
def test_hearing_registrants_export(client, editor_a, session, language, title, headings, speaks):
    login(client, editor_a, language)
    url = reverse("hearings_admin:registrants", args=[session.pk])
    assert_buttons(client, url)
    xlsx, csv_rows = both(client, url)
    assert list(xlsx) == [title]
    assert_same(xlsx[title], csv_rows)
    assert csv_rows[0][:4] == headings
    assert_formula_safe(csv_rows)
    speaker = as_dicts(csv_rows)[0]
    assert "'" + PAYLOADS[0] in speaker.values() and "'+1" in speaker.values()
    assert speaks in speaker.values()


@pytest.mark.parametrize(
    "language, title, headings",
    [
        (ZH, "到会人数", ["民主听证会", "场次", "地点", "座位", "已确认", "候补", "实到人数"]),
        (EN, "Attendance", ["Public hearing", "Session", "Place", "Seats", "Confirmed"]),
    ],
)
def test_hearing_attendance_export(client, editor_a, editor_b, session, language, title, headings):
    login(client, editor_a, language)
    url = reverse("hearings_admin:index")
    assert_buttons(client, url)
    xlsx, csv_rows = both(client, url)
    assert list(xlsx) == [title]
    assert csv_rows[0][: len(headings)] == headings
    assert csv_rows[1][3:] == ["10", "2", "0", "1"]
    login(client, editor_b, language)
    assert sheets(client.get(url, {"export": "csv"}))["csv"][1:] == []


# --- polls ---------------------------------------------------------------------------------


@pytest.fixture
def closed_poll(consultation, resident):
    questions = [question(Q1, "+1 or -1?", [(YES, PAYLOADS[0]), (NO, "@x")])]
    poll = make_poll(consultation, questions=questions, secret=False)
    cast_ballot(poll, resident, [YES])
    PollPage.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    return poll


@pytest.mark.parametrize(
    "language, titles, headings",
    [
        (ZH, ["结果", "投票率"], ["问题", "选项", "网上票数"]),
        (EN, ["Results", "Turnout"], ["Question", "Option", "Online votes"]),
    ],
)
def test_poll_export_has_results_and_turnout_sheets(
    client, editor_a, closed_poll, language, titles, headings
):
    login(client, editor_a, language)
    url = reverse("polls_admin:dashboard", args=[closed_poll.pk])
    assert_buttons(client, url)
    xlsx, csv_rows = both(client, url)
    assert list(xlsx) == titles
    assert_same(xlsx[titles[0]], csv_rows)  # CSV carries the first sheet
    assert csv_rows[0][:3] == headings
    assert_formula_safe(*xlsx.values())
    assert [row[:3] for row in csv_rows[1:]] == [
        ["'+1 or -1?", "'" + PAYLOADS[0], "1"],
        ["'+1 or -1?", "'@x", "0"],
    ]
    turnout = xlsx[titles[1]]
    assert turnout[1][1:] == [1, 1]  # today: one voter, one in all


def test_poll_export_is_refused_to_another_community(client, editor_b, closed_poll):
    login(client, editor_b)
    url = reverse("polls_admin:dashboard", args=[closed_poll.pk])
    response = client.get(url, {"export": "csv"})
    assert "attachment" not in response.get("Content-Disposition", "")


# --- roster --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "language, title, words",
    [
        (ZH, "居民名册", {"姓名": "'" + PAYLOADS[0], "居住身份": "户籍", "户代表": "是"}),
        (EN, "Roster", {"Full name": "'" + PAYLOADS[0], "Residence status": "Registered"}),
    ],
)
def test_roster_export(client, tree, editor_a, editor_b, language, title, words):
    make_person(tree.a, full_name=PAYLOADS[0], is_household_representative=True, household="-1")
    make_person(tree.a, full_name="李四", local_id="654321")
    login(client, editor_a, language)
    url = reverse("roster_admin:roster", args=[tree.a.pk])
    assert_buttons(client, url)
    xlsx, csv_rows = both(client, url, q="=HYP")
    assert list(xlsx) == [title]
    rows = as_dicts(csv_rows)
    assert len(rows) == 1  # the search applies
    assert words.items() <= rows[0].items()
    assert_formula_safe(csv_rows, xlsx[title])
    login(client, editor_b, language)
    response = client.get(url, {"export": "csv"})
    assert "attachment" not in response.get("Content-Disposition", "")


# --- ledger and compliance ----------------------------------------------------------------


@pytest.mark.parametrize(
    "language, title, headings",
    [(ZH, "协商台账", ["日期", "结束日期"]), (EN, "Ledger", ["Date", "Until"])],
)
def test_ledger_export(client, tree, editor_a, editor_b, language, title, headings):
    held_on = timezone.localdate().replace(month=1, day=15)
    manual_entry(tree.a, held_on, topic=PAYLOADS[0])
    manual_entry(tree.b, held_on, topic="乙村议事会")
    login(client, editor_a, language)
    url = "/admin/consultations/ledgerentry/"
    assert_buttons(client, url)
    xlsx, csv_rows = both(client, url)
    assert list(xlsx) == [title]
    assert csv_rows[0][:2] == headings
    assert [row[5] for row in csv_rows[1:]] == ["'" + PAYLOADS[0]]  # never 乙村's
    assert_formula_safe(csv_rows)
    date_cell = csv_rows[1][0]
    assert date_cell == ("2026年1月15日" if language == ZH else "15 January 2026").replace(
        "2026", str(held_on.year)
    )


@pytest.mark.parametrize(
    "language, titles",
    [(ZH, ["社区汇总", "乡镇汇总", "协商台账"]), (EN, ["Communities", "Townships", "Ledger"])],
)
def test_compliance_report_export(client, tree, official, language, titles):
    manual_entry(tree.a, timezone.localdate().replace(month=1, day=15), topic="@x")
    login(client, official, language)
    url = reverse("ledger_admin:report")
    assert_buttons(client, url)
    xlsx, csv_rows = both(client, url)
    assert list(xlsx) == titles
    assert_same(xlsx[titles[0]], csv_rows)
    below = csv_rows[0].index("未达要求" if language == ZH else "Below the requirement")
    assert {row[below] for row in csv_rows[1:]} <= (
        {"是", "否"} if language == ZH else {"Yes", "No"}
    )
    assert_formula_safe(*xlsx.values())


# --- outcomes ------------------------------------------------------------------------------


@pytest.fixture
def overdue(tree):
    past = timezone.localdate() - timedelta(days=3)
    consultation = make_consultation(
        tree.a,
        slug="late",
        title="-1 村道",
        notice_date=past - timedelta(days=60),
        input_opens=past - timedelta(days=50),
        input_closes=past - timedelta(days=40),
        outcome_due=past,
    )
    other = make_consultation(tree.a, slug="with-outcome")
    make_outcome(other, items=[{"decision": PAYLOADS[0], "due_date": past, "responsible": "+1"}])
    return consultation


@pytest.mark.parametrize(
    "language, title, headings",
    [
        (
            ZH,
            "逾期未公开的协商成果",
            ["协商议题", "村（社区）或乡镇（街道）", "成果公开期限", "逾期天数"],
        ),
        (EN, "Overdue outcomes", ["Consultation", "Community or township", "Outcome due"]),
    ],
)
def test_overdue_outcomes_export(client, tree, official, overdue, language, title, headings):
    login(client, official, language)
    url = reverse("outcomes_admin:overdue")
    assert_buttons(client, url)
    xlsx, csv_rows = both(client, url)
    assert list(xlsx) == [title]
    assert csv_rows[0][: len(headings)] == headings
    assert csv_rows[1][0] == "'-1 村道" and csv_rows[1][1] == "甲村" and csv_rows[1][3] == "3"
    street = make_user("street@example.com", staff=True)
    street.groups.add(ensure_area_officials_group(tree.street))
    login(client, street, language)
    assert sheets(client.get(url, {"export": "csv"}))["csv"][1:] == []


@pytest.mark.parametrize("language, title", [(ZH, "逾期未落实的事项"), (EN, "Overdue decisions")])
def test_overdue_decisions_export(client, official, overdue, language, title):
    login(client, official, language)
    url = reverse("outcomes_admin:overdue_items")
    assert_buttons(client, url)
    xlsx, csv_rows = both(client, url)
    assert list(xlsx) == [title]
    assert_formula_safe(csv_rows)
    assert csv_rows[1][0] == "'" + PAYLOADS[0] and csv_rows[1][2] == "'+1"


@pytest.mark.parametrize(
    "language, titles", [(ZH, ["协商成果事项", "落实进展"]), (EN, ["Decisions", "Progress"])]
)
def test_implementation_record_export(client, editor_a, editor_b, overdue, language, titles):
    from consultations.models import OutcomePage

    outcome = OutcomePage.objects.get()
    login(client, editor_a, language)
    url = reverse("outcomes_admin:implementation", args=[outcome.pk])
    assert_buttons(client, url)
    xlsx, _csv = both(client, url)
    assert list(xlsx) == titles
    assert xlsx[titles[0]][1][1] == "'" + PAYLOADS[0]
    assert_formula_safe(*xlsx.values())
    login(client, editor_b, language)
    response = client.get(url, {"export": "xlsx"})
    assert "attachment" not in response.get("Content-Disposition", "")


def test_old_export_addresses_serve_the_same_files(client, editor_a, suggestions, tree):
    login(client, editor_a)
    by_page = sheets(client.get(reverse("suggestions_admin:export", args=[suggestions.pk, "csv"])))
    queue = sheets(
        client.get(
            reverse("suggestions_admin:queue"),
            {"page_id": suggestions.pk, "status": "all", "export": "csv"},
        )
    )
    assert by_page == queue
    assert (
        client.get(reverse("suggestions_admin:export", args=[suggestions.pk, "exe"])).status_code
        == 400
    )
