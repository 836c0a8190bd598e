"""The procedure checklist (三(四) five steps, 三(五) disclosure): each step true and false."""

from datetime import timedelta

import pytest
from django.utils import timezone

from consultations.ledger import operations
from consultations.ledger.checklist import entry_checklist
from consultations.models import ParticipantGroup, Suggestion
from consultations.outcomes.models import DecisionStatus
from tests.conftest import make_consultation
from tests.consultations.ledger.factories import add_suggestions
from tests.consultations.outcomes.factories import make_outcome, page_url

TODAY = timezone.localdate


def states(consultation, today=None):
    entry = operations.sync_entry(consultation.pk)
    return {item["key"]: item["state"] for item in entry_checklist(entry, today or TODAY())}


def test_topic_is_set_by_title_summary_and_category(tree):
    assert states(make_consultation(tree.a, slug="t"))["topic"] is True


def test_participants_are_fixed_by_groups_or_a_poll(tree):
    from tests.consultations.polls.factories import make_poll

    consultation = make_consultation(tree.a, slug="p")
    assert states(consultation)["participants"] is False
    consultation.participant_groups.set([ParticipantGroup.objects.get(slug="registered-residents")])
    consultation.save_revision().publish()
    assert states(consultation)["participants"] is True
    other = make_consultation(tree.a, slug="p2")
    make_poll(other)
    assert states(other)["participants"] is True


@pytest.mark.parametrize(("days_before", "expected"), [(3, True), (7, True), (1, False)])
def test_advance_notice_uses_the_sites_minimum_days(tree, days_before, expected):
    today = TODAY()
    consultation = make_consultation(
        tree.a,
        slug=f"n{days_before}",
        notice_date=today - timedelta(days=days_before + 1),
        input_opens=today - timedelta(days=1),
    )
    assert states(consultation)["notice"] is expected  # the default minimum is 3 days


def test_a_missing_notice_date_misses_the_notice_step(tree):
    assert states(make_consultation(tree.a, slug="nn", notice_date=None))["notice"] is False


def test_consulting_is_pending_while_open_then_missed_without_input(tree):
    today = TODAY()
    open_one = make_consultation(tree.a, slug="open")
    assert states(open_one)["consult"] is None
    closed = make_consultation(
        tree.a,
        slug="closed",
        notice_date=today - timedelta(days=30),
        input_opens=today - timedelta(days=20),
        input_closes=today - timedelta(days=5),
    )
    assert states(closed)["consult"] is False
    add_suggestions(closed, 1)
    assert states(closed)["consult"] is True


def test_an_offline_meeting_logged_in_the_ledger_counts_as_consulting(tree):
    from tests.consultations.ledger.factories import manual_entry

    today = TODAY()
    closed = make_consultation(
        tree.a,
        slug="offline",
        notice_date=today - timedelta(days=30),
        input_opens=today - timedelta(days=20),
        input_closes=today - timedelta(days=5),
    )
    manual_entry(tree.a, today - timedelta(days=6), consultation=closed)
    assert states(closed)["consult"] is True


def test_outcome_step_pending_then_overdue_then_published_in_time(tree):
    today = TODAY()
    consultation = make_consultation(tree.a, slug="o", outcome_due=today + timedelta(days=5))
    assert states(consultation)["outcome"] is None
    assert states(consultation, today + timedelta(days=6))["outcome"] is False
    make_outcome(consultation)
    assert states(consultation)["outcome"] is True
    assert states(consultation, today + timedelta(days=60))["outcome"] is True


def test_an_outcome_published_after_its_deadline_misses_the_step(tree):
    today = TODAY()
    consultation = make_consultation(
        tree.a,
        slug="late",
        notice_date=today - timedelta(days=60),
        input_opens=today - timedelta(days=50),
        input_closes=today - timedelta(days=40),
        outcome_due=today - timedelta(days=1),
    )
    make_outcome(consultation)
    assert states(consultation)["outcome"] is False


def test_every_suggestion_answered_and_every_refusal_explained(tree):
    consultation = make_consultation(tree.a, slug="a")
    form = add_suggestions(consultation, 2, answered=1)
    assert states(consultation)["answers"] is None  # no outcome yet: not due
    make_outcome(consultation)
    assert states(consultation)["answers"] is False  # one suggestion unanswered
    Suggestion.objects.filter(page=form, answer_status="").update(
        answer_status=Suggestion.Answer.NOT_ADOPTED, answer=""
    )
    assert states(consultation)["answers"] is False  # refused without an explanation
    Suggestion.objects.filter(page=form, answer="").update(answer="超出本次协商范围")
    assert states(consultation)["answers"] is True


def test_a_not_adopted_decision_needs_its_reason(tree):
    from consultations.models import DecisionItem

    consultation = make_consultation(tree.a, slug="d")
    outcome = make_outcome(
        consultation,
        items=[
            {"decision": "增设路灯", "status": DecisionStatus.NOT_ADOPTED, "reason": "预算不足"}
        ],
    )
    assert states(consultation)["answers"] is True
    DecisionItem.objects.filter(page=outcome).update(reason="")
    assert states(consultation)["answers"] is False


def test_the_consultation_page_shows_how_it_was_held(client, tree):
    consultation = make_consultation(tree.a, slug="shown")
    add_suggestions(consultation, 3, answered=1)
    operations.sync_entry(consultation.pk)
    html = client.get("/en" + page_url(consultation)).content.decode()
    assert "How this consultation was held" in html
    assert "Advance notice published in time" in html
    assert "Suggestions received" in html
