"""Open data through Wagtail API v2: the fields a journalist or a county office needs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consultations.hearings.operations import register_for_session
from consultations.polls.models import ResultsVisibility
from tests.conftest import make_consultation, make_user
from tests.consultations.hearings.factories import make_hearing, session_fields
from tests.consultations.outcomes.factories import make_outcome
from tests.consultations.polls.factories import bulk_ballots, make_poll

pytestmark = pytest.mark.django_db


def listing(client, page_type, **params):
    query = "&".join(f"{k}={v}" for k, v in {"fields": "*", **params}.items())
    response = client.get(f"/api/v2/pages/?type=consultations.{page_type}&{query}")
    assert response.status_code == 200, response.content
    return response.json()["items"]


def detail(client, page):
    response = client.get(f"/api/v2/pages/{page.pk}/")
    assert response.status_code == 200
    return response.json()


def test_consultation_fields(client, tree):
    consultation = make_consultation(tree.a, title="村口路灯安装")
    (item,) = listing(client, "ConsultationPage")
    assert item["title"] == "村口路灯安装"
    assert item["community"] == {"id": tree.a.pk, "title": tree.a.title}
    assert item["category"] == str(consultation.category)
    assert item["format"] == str(consultation.format)
    assert item["stage"] == consultation.stage
    assert item["input_closes"] == consultation.input_closes.isoformat()
    assert detail(client, consultation)["community"]["title"] == tree.a.title


def test_hearing_sessions_with_seats_left_and_no_registrant(client, consultation, resident):
    hearing = make_hearing(consultation, sessions=[session_fields(seats=5)])
    register_for_session(hearing.sessions.get(), resident, category="affected", phone="13812345678")
    (item,) = listing(client, "HearingPage")
    (session,) = item["sessions"]
    assert session["seats"] == 5
    assert session["seats_left"] == 4
    body = str(item) + str(detail(client, hearing))
    assert "13812345678" not in body
    assert resident.email not in body


def test_outcome_decision_items_with_status(client, consultation):
    make_outcome(consultation, items=[{"decision": "修路"}, {"decision": "装灯"}])
    (item,) = listing(client, "OutcomePage")
    assert [d["decision"] for d in item["decision_items"]] == ["修路", "装灯"]
    assert all(d["status"] and d["implementation"] for d in item["decision_items"])


def test_poll_questions_always_and_results_only_once_public(client, consultation):
    poll = make_poll(consultation, results_visibility=ResultsVisibility.AFTER_CLOSE)
    bulk_ballots(poll, 7)
    data = detail(client, poll)
    assert [q["text"] for q in data["questions"]] == [
        "Do you support paving the main road?",
        "What else should be built?",
    ]
    assert data["results"] is None  # still open: not public yet
    assert "results" not in listing(client, "PollPage")[0]  # never in listings

    poll.results_visibility = ResultsVisibility.LIVE
    poll.save_revision().publish()
    results = detail(client, poll)["results"]
    assert results["voters_total"] == 7
    assert results["questions"]


def test_api_listing_queries_do_not_grow_with_items(client, tree):
    def queries(page_type):
        client.get(f"/api/v2/pages/?type=consultations.{page_type}&fields=*")
        with CaptureQueriesContext(connection) as captured:
            listing(client, page_type)
        return len(captured)

    def add(n):
        for i in range(n):
            consultation = make_consultation(tree.a, slug=f"c{n}-{i}")
            hearing = make_hearing(consultation, sessions=[session_fields(), session_fields(12)])
            register_for_session(
                hearing.sessions.first(),
                make_user(f"r{n}-{i}@example.com", community=tree.a),
                category="affected",
            )
            make_poll(consultation)
            make_outcome(consultation, items=[{"decision": "修路"}, {"decision": "装灯"}])

    types = ["ConsultationPage", "HearingPage", "PollPage", "OutcomePage"]
    add(1)
    small = {t: queries(t) for t in types}
    add(4)
    large = {t: queries(t) for t in types}
    assert small == large
