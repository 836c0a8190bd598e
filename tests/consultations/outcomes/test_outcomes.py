"""Outcomes: deadlines, the implementation record, the tracker, feeds and feedback mails."""

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations.models import Category, DecisionItem, Stage
from consultations.outcomes import operations
from consultations.outcomes.models import (
    DecisionStatus,
    FeedbackDigest,
    ImplementationStatus,
    OutcomeEvent,
)
from tests.conftest import PASSWORD, en, make_consultation, make_user
from tests.consultations.conftest import assert_admin_refused

from .factories import en_reverse, make_outcome, page_url, publish_through_workflow

DUE = date(2026, 3, 31)


# --- the disclosure deadline -------------------------------------------------------------


def test_consultation_is_overdue_only_after_its_outcome_due_date(tree):
    consultation = make_consultation(tree.a, slug="late", outcome_due=DUE)
    assert consultation not in operations.overdue_consultations(DUE)
    assert consultation not in operations.overdue_consultations(DUE - timedelta(days=1))
    assert consultation in operations.overdue_consultations(DUE + timedelta(days=1))


def test_a_draft_outcome_does_not_stop_the_clock_but_a_published_one_does(tree):
    consultation = make_consultation(tree.a, slug="late", outcome_due=DUE)
    outcome = make_outcome(consultation, live=False)
    assert consultation in operations.overdue_consultations(DUE + timedelta(days=1))
    outcome.save_revision()
    publish_through_workflow(outcome)
    assert consultation not in operations.overdue_consultations(DUE + timedelta(days=1))


def test_item_is_overdue_after_its_due_date_until_done(consultation):
    outcome = make_outcome(
        consultation,
        items=[
            {"decision": "修路", "due_date": DUE},
            {
                "decision": "不修桥",
                "status": DecisionStatus.NOT_ADOPTED,
                "reason": "没钱",
                "due_date": DUE,
            },
        ],
    )
    road, bridge = outcome.decision_items.order_by("sort_order")
    day_after = DUE + timedelta(days=1)
    assert list(operations.overdue_items(DUE)) == []
    assert list(operations.overdue_items(day_after)) == [road]
    assert not bridge.is_overdue(day_after)  # not adopted: nothing to carry out
    operations.record_progress(road, text="开工", new_status=ImplementationStatus.IN_PROGRESS)
    assert list(operations.overdue_items(day_after)) == [road]
    operations.record_progress(road, text="完工验收", new_status=ImplementationStatus.DONE)
    assert list(operations.overdue_items(day_after)) == []


def test_not_adopted_item_needs_a_reason(consultation):
    item = DecisionItem(decision="增设路灯", status=DecisionStatus.NOT_ADOPTED)
    with pytest.raises(ValidationError) as error:
        item.clean()
    assert "reason" in error.value.message_dict


def test_assembly_vote_cannot_exceed_attendance():
    item = DecisionItem(
        decision="征地补偿方案",
        status=DecisionStatus.REFERRED,
        attendance=10,
        votes_for=8,
        votes_against=3,
    )
    with pytest.raises(ValidationError):
        item.clean()


def test_deadline_reminders_go_to_the_community_editors_once_a_day(tree, editor_a, editor_b):
    consultation = make_consultation(tree.a, slug="late", outcome_due=DUE)
    assert operations.send_deadline_reminders(DUE - timedelta(days=3), days_before=3) == 1
    assert operations.send_deadline_reminders(DUE - timedelta(days=3), days_before=3) == 0
    assert operations.send_deadline_reminders(DUE - timedelta(days=2), days_before=3) == 0
    assert [m.to for m in mail.outbox] == [[editor_a.email]]
    mail.outbox.clear()
    day_after = DUE + timedelta(days=1)
    assert operations.send_deadline_reminders(day_after) == 1
    assert operations.send_deadline_reminders(day_after) == 0
    assert operations.send_deadline_reminders(day_after + timedelta(days=1)) == 0
    assert operations.send_deadline_reminders(day_after + timedelta(days=7)) == 1
    assert all(m.to == [editor_a.email] for m in mail.outbox)
    assert consultation.title in mail.outbox[0].body


def test_deadline_reminder_command_runs(tree, editor_a):
    from django.core.management import call_command

    make_consultation(tree.a, slug="late", outcome_due=timezone.localdate() - timedelta(days=1))
    call_command("outcomes_send_deadline_reminders")
    call_command("outcomes_send_deadline_reminders")
    assert len(mail.outbox) == 1


# --- stage and implementation record --------------------------------------------------------


def test_outcome_moves_the_consultation_through_outcome_implementation_closed(consultation):
    outcome = make_outcome(consultation, items=[{"decision": "修路"}, {"decision": "修渠"}])
    today = timezone.localdate()
    assert outcome.consultation_stage(today) == Stage.OUTCOME
    road, ditch = outcome.decision_items.order_by("sort_order")
    operations.record_progress(road, text="开工", new_status=ImplementationStatus.IN_PROGRESS)
    assert outcome.consultation_stage(today) == Stage.IMPLEMENTATION
    operations.record_progress(road, text="完工", new_status=ImplementationStatus.DONE)
    operations.record_progress(ditch, text="完工", new_status=ImplementationStatus.DONE)
    assert outcome.consultation_stage(today) == Stage.CLOSED
    consultation.refresh_from_db()
    assert consultation.derive_stage(today) == Stage.CLOSED
    assert consultation.stage == Stage.CLOSED  # the stored stage was refreshed


def test_republishing_an_old_revision_keeps_the_implementation_record(consultation):
    outcome = make_outcome(consultation)
    item = outcome.decision_items.get()
    operations.record_progress(item, text="完工", new_status=ImplementationStatus.DONE)
    outcome.refresh_from_db()
    outcome.save_revision()
    publish_through_workflow(outcome)
    item.refresh_from_db()
    assert item.implementation == ImplementationStatus.DONE


def test_staff_record_progress_in_the_admin(client, consultation, editor_a, editor_b):
    outcome = make_outcome(consultation)
    item = outcome.decision_items.get()
    url = reverse("outcomes_admin:implementation", args=[outcome.pk])
    client.login(email=editor_b.email, password=PASSWORD)
    assert_admin_refused(client.get(url))
    client.login(email=editor_a.email, password=PASSWORD)
    assert client.get(url).status_code == 200
    prefix = f"item-{item.pk}"
    response = client.post(
        url,
        {
            "item": item.pk,
            f"{prefix}-date": "2026-05-02",
            f"{prefix}-text": "路基已完成",
            f"{prefix}-new_status": "in_progress",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.implementation == ImplementationStatus.IN_PROGRESS
    assert item.updates.get().text == "路基已完成"
    assert OutcomeEvent.objects.filter(item=item, kind=OutcomeEvent.Kind.PROGRESS).exists()
    from wagtail.models import PageLogEntry

    entry = PageLogEntry.objects.get(page=outcome, action="consultations.outcomes.progress")
    assert entry.user == editor_a
    assert entry.data["item"] == item.pk and entry.data["new_status"] == "in_progress"


def test_an_unknown_status_is_refused_with_the_shared_error(consultation):
    from consultations.errors import ConsultationError

    item = make_outcome(consultation).decision_items.get()
    with pytest.raises(operations.OutcomeError) as refused:
        operations.record_progress(item, text="x", new_status="teleported")
    assert isinstance(refused.value, ConsultationError)


def test_participants_are_gathered_from_every_capability_in_one_place(
    tree, consultation, monkeypatch
):
    from consultations.hearings import operations as hearings
    from consultations.polls import operations as polls
    from consultations.suggestions import operations as suggestions

    sources = [suggestions.participant_user_ids, hearings.participant_user_ids]
    sources.append(polls.participant_user_ids)
    assert list(operations.PARTICIPANT_SOURCES) == sources
    fake = [lambda c: {1, 2}, lambda c: {2, 3}, lambda c: {None, 4}]
    monkeypatch.setattr(operations, "PARTICIPANT_SOURCES", fake)
    assert operations.participant_user_ids(consultation) == {1, 2, 3, 4}


def test_overdue_report_and_dashboard_are_for_officials(client, tree, official, editor_a):
    make_consultation(tree.a, slug="late", outcome_due=timezone.localdate() - timedelta(days=2))
    client.login(email=editor_a.email, password=PASSWORD)
    assert_admin_refused(client.get(reverse("outcomes_admin:overdue")))
    client.login(email=official.email, password=PASSWORD)
    response = client.get(en_reverse("outcomes_admin:overdue"))
    assert response.status_code == 200
    assert "村道硬化工程" in response.content.decode()
    assert client.get(reverse("outcomes_admin:overdue_items")).status_code == 200
    dashboard = client.get(en_reverse("wagtailadmin_home"))
    assert "Overdue outcomes and decisions" in dashboard.content.decode()


# --- the public tracker and feeds --------------------------------------------------------------


@pytest.fixture
def tracker_data(tree):
    roads = Category.objects.get(slug="roads-water")
    other = Category.objects.exclude(pk=roads.pk).first()
    a1 = make_consultation(tree.a, slug="a1", title="甲村修路", category=roads)
    b1 = make_consultation(tree.b, slug="b1", title="乙村议题", category=other)
    draft = make_consultation(tree.a, slug="a2", title="甲村草稿")
    make_outcome(
        a1,
        items=[
            {"decision": "甲村修路项目", "due_date": date(2020, 1, 1)},
            {
                "decision": "甲村不采纳项",
                "status": DecisionStatus.NOT_ADOPTED,
                "reason": "超出范围",
            },
        ],
    )
    make_outcome(b1, items=[{"decision": "乙村建设项目"}])
    make_outcome(draft, live=False, items=[{"decision": "草稿项目不可见"}])
    return {"roads": roads, "other": other}


def tracker(client, url="/en/implementation/", **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_tracker_lists_published_items_only(client, tracker_data):
    html = tracker(client)
    assert "甲村修路项目" in html and "乙村建设项目" in html
    assert "草稿项目不可见" not in html


def test_tracker_filters_by_community_category_status_and_year(client, tree, tracker_data):
    html = tracker(client, community=tree.b.pk)
    assert "乙村建设项目" in html and "甲村修路项目" not in html
    html = tracker(client, f"/en/implementation/{tree.a.pk}/")
    assert "甲村修路项目" in html and "乙村建设项目" not in html
    html = tracker(client, category=tracker_data["roads"].slug)
    assert "甲村修路项目" in html and "乙村建设项目" not in html
    html = tracker(client, status="overdue")
    assert "甲村修路项目" in html and "甲村不采纳项" not in html and "乙村建设项目" not in html
    html = tracker(client, status="not_adopted")
    assert "甲村不采纳项" in html and "甲村修路项目" not in html
    this_year = timezone.now().year
    assert "甲村修路项目" in tracker(client, year=this_year)
    assert "甲村修路项目" not in tracker(client, year=this_year - 3)
    # Bad input is ignored, never a server error.
    assert "乙村建设项目" in tracker(client, status="bogus", year="x", community="y")


def test_tracker_query_count_does_not_grow_with_items(client, tree, tracker_data):
    with CaptureQueriesContext(connection) as few:
        tracker(client)
    consultation = make_consultation(tree.b, slug="b2")
    make_outcome(consultation, items=[{"decision": f"项目{i}"} for i in range(6)])
    with CaptureQueriesContext(connection) as many:
        tracker(client)
    assert len(many) <= len(few) + 1


def test_tracker_paginates_and_keeps_filters(client, consultation):
    make_outcome(consultation, items=[{"decision": f"项目{i:02d}"} for i in range(25)])
    first = tracker(client, status="not_started")
    assert "项目00" in first and "项目24" not in first
    assert "status=not_started" in first and "page=2" in first
    second = tracker(client, status="not_started", page=2)
    assert "项目24" in second and "项目00" not in second
    assert "项目24" in tracker(client, page=999)  # out of range: the last page


def test_atom_and_rss_feeds_are_valid_xml_with_outcome_and_status_changes(client, consultation):
    outcome = make_outcome(consultation)
    item = outcome.decision_items.get()
    operations.record_progress(item, text="开工", new_status=ImplementationStatus.IN_PROGRESS)
    atom = client.get("/en/feeds/outcomes/atom/")
    assert atom.status_code == 200
    assert atom["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(atom.content)  # noqa: S314 - our own feed
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    assert len(entries) == 2
    titles = [e.find("a:title", ns).text for e in entries]
    assert any("In progress" in t for t in titles)
    assert any("Outcome published" in t for t in titles)
    rss = client.get("/en/feeds/outcomes/rss/")
    channel = ET.fromstring(rss.content).find("channel")  # noqa: S314 - our own feed
    assert len(channel.findall("item")) == 2


def test_draft_outcomes_are_not_in_the_feed(client, consultation):
    make_outcome(consultation, live=False)
    root = ET.fromstring(client.get("/feeds/outcomes/atom/").content)  # noqa: S314 - our own feed
    assert root.findall("{http://www.w3.org/2005/Atom}entry") == []


# --- feedback to participants and followers ------------------------------------------------------


# Following a community: tests/consultations/notifications/test_follow.py.


def test_participants_and_followers_get_one_digest_a_day(tree, consultation, resident):
    follower = make_user("follower@example.com", community=tree.b)
    stranger = make_user("stranger@example.com", community=tree.b)
    operations.follow_community(follower, tree.a)
    operations.follow_community(stranger, tree.c)
    outcome = make_outcome(consultation, items=[{"decision": "修路"}, {"decision": "修渠"}])
    road, ditch = outcome.decision_items.order_by("sort_order")
    operations.record_progress(road, text="开工", new_status=ImplementationStatus.IN_PROGRESS)
    operations.record_progress(ditch, text="开工", new_status=ImplementationStatus.IN_PROGRESS)
    assert operations.send_feedback_digests() == 1  # the follower; nobody took part yet
    assert operations.send_feedback_digests() == 0
    assert [m.to for m in mail.outbox] == [[follower.email]]
    assert mail.outbox[0].body.count(outcome.title) >= 3  # three events, one mail
    assert FeedbackDigest.objects.get(user=follower).events.count() == 3

    # A new event later the same day waits for tomorrow's digest.
    operations.record_progress(road, text="完工", new_status=ImplementationStatus.DONE)
    assert operations.send_feedback_digests() == 0
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert operations.send_feedback_digests(today=tomorrow) == 1
    assert len(mail.outbox) == 2
    assert FeedbackDigest.objects.get(user=follower, day=tomorrow).events.get().new_status == "done"


def test_digest_to_a_secret_ballot_voter_says_only_that_they_took_part(
    tree, consultation, resident, monkeypatch
):
    from consultations.polls.operations import cast_ballot
    from tests.consultations.polls.factories import NO, PARK, make_poll

    poll = make_poll(consultation)
    assert poll.secret
    cast_ballot(poll, resident, [NO, PARK])
    assert resident.pk in operations.participant_user_ids(consultation)
    make_outcome(consultation)
    mail.outbox.clear()
    assert operations.send_feedback_digests() == 1
    message = mail.outbox[0]
    assert message.to == [resident.email]
    body = message.subject + message.body
    # Links carry signed tokens of random letters: look at the words only.
    words = re.sub(r"https?://\S+", " ", body)
    for revealing in ("No", "A small park", "Road poll", "vote", "投票", "不支持"):
        assert not re.search(rf"(?<![A-Za-z]){re.escape(revealing)}(?![A-Za-z])", words)
    assert consultation.title in body


def test_feedback_digest_command_is_idempotent(consultation, resident, tree):
    from django.core.management import call_command

    operations.follow_community(resident, tree.a)
    make_outcome(consultation)
    call_command("outcomes_send_feedback_digests")
    call_command("outcomes_send_feedback_digests")
    assert len(mail.outbox) == 1


# --- home page ---------------------------------------------------------------------------------


def test_recent_outcomes_on_the_home_page(client, consultation):
    make_outcome(consultation, title="甲村修路协商成果")
    assert [o.title for o in operations.recent_outcomes()] == ["甲村修路协商成果"]
    assert "甲村修路协商成果" in client.get("/en/").content.decode()


def test_changing_a_published_items_status_is_an_event_but_first_publication_is_not(
    consultation,
):
    outcome = make_outcome(consultation, live=False, items=[{"decision": "修路"}])
    draft_item = outcome.decision_items.get()
    draft_item.status = DecisionStatus.REFERRED
    outcome.decision_items.set([draft_item])
    outcome.save_revision()
    publish_through_workflow(outcome)
    assert not OutcomeEvent.objects.filter(kind=OutcomeEvent.Kind.STATUS).exists()
    assert OutcomeEvent.objects.filter(kind=OutcomeEvent.Kind.PUBLISHED).count() == 1
    outcome = outcome.specific_class.objects.get(pk=outcome.pk)
    item = outcome.decision_items.get()
    assert item.status == DecisionStatus.REFERRED
    item.status = DecisionStatus.ADOPTED
    outcome.decision_items.set([item])
    outcome.save_revision()
    publish_through_workflow(outcome)
    event = OutcomeEvent.objects.get(kind=OutcomeEvent.Kind.STATUS)
    assert (event.old_status, event.new_status) == ("referred", "adopted")
    assert OutcomeEvent.objects.filter(kind=OutcomeEvent.Kind.PUBLISHED).count() == 1


def test_items_link_the_suggestions_they_answer_and_the_poll(client, consultation):
    from tests.consultations.polls.factories import make_poll

    poll = make_poll(consultation)
    outcome = make_outcome(consultation, items=[{"decision": "修路", "informed_by_poll": poll}])
    response = client.get(en(page_url(outcome)))
    assert poll.title in response.content.decode()


def test_only_one_outcome_per_consultation(consultation):
    from consultations.models import OutcomePage

    assert OutcomePage.can_create_at(consultation)
    make_outcome(consultation)
    assert not OutcomePage.can_create_at(consultation)


def test_how_it_was_held_counts_poll_turnout(client, consultation, resident):
    from consultations.polls.operations import cast_ballot
    from tests.consultations.polls.factories import NO, PARK, make_poll

    cast_ballot(make_poll(consultation), resident, [NO, PARK])
    outcome = make_outcome(consultation)
    from django.utils import translation

    with translation.override("en"):  # the labels are translated when shown
        figures = {
            str(f["label"]): f["value"] for f in operations.participation_figures(consultation)
        }
    assert figures["Residents who voted in the poll"] == 1
    html = client.get(en(page_url(outcome))).content.decode()
    assert "Residents who voted in the poll" in html


def test_a_missed_reminder_day_is_caught_up(tree, editor_a):
    make_consultation(tree.a, slug="late", outcome_due=DUE)
    # The job did not run on the day after the deadline; it reminds on the next run.
    assert operations.send_deadline_reminders(DUE + timedelta(days=3)) == 1
    assert operations.send_deadline_reminders(DUE + timedelta(days=4)) == 0
    assert operations.send_deadline_reminders(DUE + timedelta(days=10)) == 1


def test_overdue_items_are_reminded_to_the_editors(consultation, editor_a):
    make_outcome(consultation, items=[{"decision": "修路", "due_date": DUE}])
    assert operations.send_deadline_reminders(DUE + timedelta(days=1)) == 1
    assert operations.send_deadline_reminders(DUE + timedelta(days=1)) == 0
    assert "修路" in mail.outbox[-1].body


def test_outcome_page_query_count_does_not_grow_with_items(client, consultation, tree):
    def queries_for(page):
        url = en(page_url(page))
        client.get(url)  # warm caches (site root, settings)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    small = make_outcome(consultation, items=[{"decision": "修路"}])
    other = make_consultation(tree.a, slug="other")
    large = make_outcome(other, items=[{"decision": f"项目{i}"} for i in range(6)])
    for item in large.decision_items.all():
        operations.record_progress(item, text="开工", new_status=ImplementationStatus.IN_PROGRESS)
    assert queries_for(large) <= queries_for(small) + 1
