"""Follows, preferences, one notification per event per person, digests, texts, the inbox
and unsubscribe links (issue 14)."""

from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from consultations.models import SuggestionFormPage
from consultations.notifications import operations
from consultations.notifications.models import Delivery, Digest, Event, Follow, Notification
from consultations.suggestions import operations as suggestions
from home import sms
from tests.conftest import PASSWORD, add_page, en, make_consultation, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_language():
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def local(hour, minute=0, days=0):
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def en_url(target):
    with translation.override(settings.LANGUAGE_CODE):
        return en(target if isinstance(target, str) else target.url)


def en_reverse(name, *args):
    with translation.override(settings.LANGUAGE_CODE):
        return en(reverse(name, args=args))


def follow_url(page):
    with translation.override(settings.LANGUAGE_CODE):
        return en(reverse("notifications:follow", args=[page.pk]))


def followers(tree, n, prefix="f"):
    users = [make_user(f"{prefix}{i}@example.com", community=tree.a) for i in range(n)]
    for user in users:
        operations.follow(user, tree.a)
    return users


# --- following -------------------------------------------------------------------------------


def test_follow_and_unfollow_a_community(client, tree, resident):
    url = follow_url(tree.a)
    response = client.post(url, {"action": "follow"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not tree.a.followers.exists()
    client.login(email=resident.email, password=PASSWORD)
    client.post(url, {"action": "follow"})
    client.post(url, {"action": "follow"})
    assert tree.a.followers.count() == 1
    assert client.post(url, {"action": "dance"}).status_code == 400
    page = client.get(en_url(tree.a)).content.decode()
    assert "Unfollow" in page
    client.post(url, {"action": "unfollow"})
    assert not tree.a.followers.exists()


def test_anonymous_follow_button_signs_in_then_confirms_with_a_post(client, tree, resident):
    page = client.get(en_url(tree.a)).content.decode()
    assert "/accounts/login/?next=" in page and f"follow%2F{tree.a.pk}%2F" in page
    client.force_login(resident)
    # After signing in the visitor lands on a confirmation: a GET changes nothing.
    response = client.get(follow_url(tree.a) + "?next=/en/")
    assert response.status_code == 200
    assert "Yes, follow" in response.content.decode()
    assert not Follow.objects.exists()
    response = client.post(follow_url(tree.a), {"action": "follow", "next": "/en/"})
    assert response["Location"] == "/en/"
    assert Follow.objects.get().page_id == tree.a.pk


def test_townships_and_consultations_can_be_followed_other_pages_not(
    client, tree, resident, consultation
):
    client.force_login(resident)
    client.post(follow_url(tree.township), {"action": "follow"})
    client.post(follow_url(consultation), {"action": "follow"})
    assert Follow.objects.filter(user=resident).count() == 2
    form = add_page(consultation, SuggestionFormPage(title="意见征集", slug="suggestions"))
    assert client.post(follow_url(form), {"action": "follow"}).status_code == 400
    missing = en_reverse("notifications:follow", 987654)
    assert client.post(missing, {"action": "follow"}).status_code == 404


def test_the_outcomes_followers_are_the_communitys_followers(tree, resident, consultation):
    from consultations.outcomes.operations import follower_user_ids

    operations.follow(resident, tree.a)
    assert follower_user_ids(consultation) == {resident.pk}


# --- one notification per event per person -------------------------------------------------------


def test_one_notification_per_event_whatever_leads_to_it(tree, resident, consultation):
    for page in (tree.a, tree.township, tree.county, consultation):
        operations.follow(resident, page)
    assert operations.notify(Event.NOTICE, consultation, "notice:x", user_ids=[resident.pk]) == 1
    assert operations.notify(Event.NOTICE, consultation, "notice:x") == 0
    assert Notification.objects.filter(user=resident).count() == 1


def test_followers_of_other_communities_hear_nothing(tree, resident, other_resident, consultation):
    operations.follow(other_resident, tree.b)
    operations.follow(resident, tree.a)
    operations.notify(Event.NOTICE, consultation, "notice:x")
    assert list(Notification.objects.values_list("user_id", flat=True)) == [resident.pk]


def test_drafts_and_restricted_pages_tell_nobody(tree, resident, consultation):
    from wagtail.models import PageViewRestriction

    operations.follow(resident, tree.a)
    PageViewRestriction.objects.create(page=consultation, restriction_type="login")
    assert operations.notify(Event.NOTICE, consultation, "notice:x") == 0
    draft = make_consultation(tree.a, slug="draft")
    draft.unpublish()
    assert operations.notify(Event.NOTICE, draft, "notice:y") == 0


def test_publishing_a_consultation_notifies_followers_once(
    tree, resident, django_capture_on_commit_callbacks
):
    operations.follow(resident, tree.a)
    with django_capture_on_commit_callbacks(execute=True):
        page = make_consultation(tree.a, slug="new")
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    notification = Notification.objects.get(user=resident)
    assert (notification.event, notification.page_id) == (Event.NOTICE, page.pk)


def test_resolving_recipients_does_not_grow_with_followers(tree, consultation):
    operations.notify(Event.NOTICE, consultation, "notice:warm-up")  # caches warmed
    followers(tree, 3, "small")
    with CaptureQueriesContext(connection) as small:
        assert operations.notify(Event.NOTICE, consultation, "notice:small") == 3
    followers(tree, 30, "large")
    with CaptureQueriesContext(connection) as large:
        assert operations.notify(Event.NOTICE, consultation, "notice:large") == 33
    assert len(small) == len(large)


# --- preferences ---------------------------------------------------------------------------------


def test_preferences_page_saves_choices_and_refuses_bad_ones(client, resident):
    client.force_login(resident)
    url = en_reverse("notifications:preferences")
    page = client.get(url)
    assert page.status_code == 200 and "In one daily digest" in page.content.decode()
    data = {f"event_{event}": Delivery.DIGEST for event in Event.values}
    data.update({"event_answer": Delivery.AT_ONCE, "event_poll": Delivery.OFF, "by_mail": "on"})
    assert client.post(url, data).status_code == 302
    preference = resident.notification_preference
    assert preference.delivery(Event.ANSWER) == Delivery.AT_ONCE
    assert preference.delivery(Event.POLL) == Delivery.OFF
    assert preference.by_mail and not preference.by_sms
    data["event_poll"] = "sometimes"
    assert client.post(url, data).status_code == 400


def test_an_event_turned_off_writes_nothing_and_at_once_mails_at_once(tree, resident, consultation):
    operations.follow(resident, tree.a)
    operations.save_preferences(
        resident,
        events={Event.POLL: Delivery.OFF, Event.NOTICE: Delivery.AT_ONCE},
        by_mail=True,
        by_sms=False,
    )
    assert operations.notify(Event.POLL, consultation, "poll:x") == 0
    operations.notify(Event.NOTICE, consultation, "notice:x")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert consultation.title in message.subject
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://testserver/")
    # Mailed at once: not again in the digest.
    assert operations.send_digests() == 0


# --- digests -------------------------------------------------------------------------------------


def test_many_events_make_one_digest_a_day_and_no_empty_one(tree, resident, consultation):
    operations.follow(resident, tree.a)
    assert operations.send_digests() == 0  # nothing new: no mail
    for n in range(5):
        operations.notify(Event.NOTICE, consultation, f"notice:{n}")
    assert operations.send_digests() == 1
    assert operations.send_digests() == 0  # safe to run twice
    assert len(mail.outbox) == 1
    assert mail.outbox[0].body.count(consultation.title) == 5
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers
    operations.notify(Event.NOTICE, consultation, "notice:later")
    assert operations.send_digests() == 0  # already had today's digest
    assert operations.send_digests(now=timezone.now() + timedelta(days=1)) == 1
    assert Digest.objects.filter(user=resident).count() == 2


def test_the_digest_command_is_idempotent(tree, resident, consultation):
    operations.follow(resident, tree.a)
    operations.notify(Event.NOTICE, consultation, "notice:x")
    call_command("notifications_send_digests")
    call_command("notifications_send_digests")
    assert len(mail.outbox) == 1


def test_digest_queries_do_not_grow_with_recipients(tree, consultation):
    operations.send_digests()  # caches warmed
    followers(tree, 3, "small")
    operations.notify(Event.NOTICE, consultation, "notice:small")
    with CaptureQueriesContext(connection) as small:
        assert operations.send_digests() == 3
    followers(tree, 30, "large")
    operations.notify(Event.NOTICE, consultation, "notice:large")
    tomorrow = timezone.now() + timedelta(days=1)
    with CaptureQueriesContext(connection) as large:
        assert operations.send_digests(now=tomorrow) == 33
    assert len(small) == len(large)


def test_people_without_mail_get_no_digest_but_an_inbox(tree, consultation):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        email=None, phone="+8613800138009", password=PASSWORD
    )
    operations.follow(user, tree.a)
    operations.notify(Event.NOTICE, consultation, "notice:x")
    assert operations.send_digests() == 0
    assert operations.unread_count(user) == 1


# --- text messages -------------------------------------------------------------------------------


@pytest.fixture
def texter(tree):
    user = make_user("texter@example.com", community=tree.a)
    user.phone, user.phone_verified = "+8613800138000", True
    user.save()
    operations.follow(user, tree.a)
    return user


def test_texts_wait_for_the_morning_and_come_once_a_day(texter, consultation):
    operations.notify(Event.NOTICE, consultation, "notice:1", now=local(22))
    assert operations.send_pending_texts(now=local(22, 30)) == 0  # never at night
    assert operations.send_pending_texts(now=local(7, 59, days=1)) == 0
    assert operations.send_pending_texts(now=local(8, 0, days=1)) == 1  # deferred, not dropped
    assert len(sms.outbox) == 1 and sms.outbox[0].to == texter.phone
    assert len(sms.outbox[0].body) <= 120
    operations.notify(Event.NOTICE, consultation, "notice:2")
    assert operations.send_pending_texts(now=local(12, days=1)) == 0  # one a day
    assert operations.send_pending_texts(now=local(9, days=2)) == 1


def test_at_once_texts_go_at_once_by_day(texter, consultation):
    operations.save_preferences(
        texter, events={Event.NOTICE: Delivery.AT_ONCE}, by_mail=False, by_sms=True
    )
    operations.notify(Event.NOTICE, consultation, "notice:1", now=local(10))
    assert len(sms.outbox) == 1
    assert mail.outbox == []


def test_unverified_numbers_get_no_text(tree, consultation):
    user = make_user("unverified@example.com", community=tree.a)
    user.phone = "+8613800138001"
    user.save()
    operations.follow(user, tree.a)
    operations.notify(Event.NOTICE, consultation, "notice:1")
    assert operations.send_pending_texts(now=local(10)) == 0


# --- the inbox -----------------------------------------------------------------------------------


def test_the_bell_counts_unread_and_the_inbox_marks_them_read(client, tree, resident, consultation):
    operations.follow(resident, tree.a)
    operations.notify(Event.NOTICE, consultation, "notice:1")
    operations.notify(Event.POLL, consultation, "poll:1")
    client.force_login(resident)
    assert "Notifications (2 new)" in client.get(en("/")).content.decode()
    inbox = client.get(en_reverse("notifications:inbox")).content.decode()
    assert inbox.count(consultation.title) >= 2 and "New" in inbox
    assert operations.unread_count(resident) == 0
    assert "Notifications (" not in client.get(en("/")).content.decode()


def test_the_bell_is_fresh_with_the_caches_on(client, tree, resident, consultation, settings):
    """The number is kept per person (home/page_cache.py) and forgotten when they get a
    notification or read them."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 30
    operations.follow(resident, tree.a)
    client.force_login(resident)
    assert "Notifications (" not in client.get(en("/")).content.decode()
    operations.notify(Event.NOTICE, consultation, "notice:1")
    assert "Notifications (1 new)" in client.get(en("/")).content.decode()
    operations.notify(Event.POLL, consultation, "poll:1")
    assert (
        "Notifications (2 new)" in client.get(tree.a.url.replace("/", "/en/", 1)).content.decode()
    )
    client.get(en_reverse("notifications:inbox"))
    assert "Notifications (" not in client.get(en("/")).content.decode()


def test_mark_all_read_and_an_empty_inbox(client, resident):
    client.force_login(resident)
    url = en_reverse("notifications:inbox")
    assert "No notifications yet" in client.get(url).content.decode()
    assert client.post(url).status_code == 302


def test_anonymous_visitors_have_no_bell_and_no_inbox(client, django_assert_num_queries):
    page = client.get(en("/")).content.decode()
    assert reverse("notifications:inbox") not in page
    response = client.get(en_reverse("notifications:inbox"))
    assert response.status_code == 302


# --- answers -------------------------------------------------------------------------------------


def test_an_answer_reaches_the_concerned_inbox_and_is_mailed_once(resident, editor_a, consultation):
    page = add_page(consultation, SuggestionFormPage(title="意见征集", slug="suggestions"))
    from tests.consultations.suggestions.test_suggestions import make_suggestion

    suggestion = make_suggestion(page, resident, status="published")
    assert suggestions.concerned_users(suggestion) == {resident.pk}
    suggestions.answer_suggestion(suggestion, editor_a, "adopted", "好的")
    notification = Notification.objects.get(user=resident, event=Event.ANSWER)
    assert not notification.wants_mail  # the author's answer mail already told them
    assert len(mail.outbox) == 1


# --- unsubscribing -------------------------------------------------------------------------------


def unsubscribe_path(token):
    with translation.override(settings.LANGUAGE_CODE):
        return en(reverse("notifications:unsubscribe", args=[token]))


def test_one_click_unsubscribe_works_without_signing_in(client, tree, resident, consultation):
    operations.follow(resident, tree.a)
    operations.notify(Event.NOTICE, consultation, "notice:1")
    url = unsubscribe_path(operations.unsubscribe_token(resident))
    confirm = client.get(url)  # a mail scanner's GET changes nothing
    assert confirm.status_code == 200 and "Yes, unsubscribe" in confirm.content.decode()
    assert operations.preference_for(resident).by_mail
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    resident.refresh_from_db()
    assert not operations.preference_for(resident).by_mail
    assert operations.send_digests() == 0  # the waiting digest is not sent
    assert operations.unread_count(resident) == 1  # the inbox keeps it


def test_unsubscribing_from_one_event(client, tree, resident, consultation):
    client.post(unsubscribe_path(operations.unsubscribe_token(resident, Event.POLL)))
    resident.refresh_from_db()
    assert operations.preference_for(resident).delivery(Event.POLL) == Delivery.OFF
    assert operations.preference_for(resident).by_mail


def test_tampered_and_expired_links_are_refused(client, resident, monkeypatch):
    token = operations.unsubscribe_token(resident)
    response = client.post(unsubscribe_path(token[:-2] + "xx"))
    assert response.status_code == 400 and "not valid" in response.content.decode()
    monkeypatch.setattr(operations, "UNSUBSCRIBE_MAX_AGE", timedelta(seconds=-1))
    response = client.post(unsubscribe_path(token))
    assert response.status_code == 400 and "expired" in response.content.decode()
    assert operations.preference_for(resident).by_mail


def test_the_outcome_digest_respects_unsubscribing(tree, resident, consultation):
    from consultations.outcomes import operations as outcomes
    from tests.consultations.outcomes.factories import make_outcome

    operations.follow(resident, tree.a)
    make_outcome(consultation)
    operations.unsubscribe(resident, Event.OUTCOME)
    assert outcomes.send_feedback_digests() == 0


def test_the_page_cache_never_serves_a_page_with_the_bell(client, settings, tree, resident):
    from django.test import Client

    settings.PORTAL_PAGE_CACHE_SECONDS = 30
    client.force_login(resident)
    assert "/notifications/" in client.get(en_url(tree.a)).content.decode()
    anonymous = Client().get(en_url(tree.a)).content.decode()
    assert "/notifications/" not in anonymous and "Unfollow" not in anonymous


def test_input_and_hearing_reminders_are_written_once(tree, resident, other_resident):
    from tests.consultations.hearings.factories import make_hearing, register, session_fields

    today = timezone.localdate()
    operations.follow(resident, tree.a)
    opening = make_consultation(tree.a, slug="opening", input_opens=today)
    closing = make_consultation(
        tree.a, slug="closing", input_closes=today + timedelta(days=operations.CLOSING_SOON_DAYS)
    )
    hearing = make_hearing(closing, sessions=[session_fields()])
    session = hearing.sessions.get()
    register(session, other_resident)
    starts = timezone.make_aware(datetime.combine(today + timedelta(days=1), datetime.min.time()))
    type(session).objects.filter(pk=session.pk).update(
        starts_at=starts + timedelta(hours=10), ends_at=starts + timedelta(hours=12)
    )
    mail.outbox.clear()
    written = operations.send_reminders(today)
    assert written >= 3
    assert operations.send_reminders(today) == 0
    keys = set(Notification.objects.filter(user=resident).values_list("key", flat=True))
    assert {
        f"input-opens:{opening.pk}:{today}",
        f"hearing:{session.pk}:{today + timedelta(days=1)}",
    } <= keys
    registrant = Notification.objects.get(user=other_resident, event=Event.HEARING)
    assert not registrant.wants_mail  # the hearings' own reminder mails them


def test_published_poll_results_reach_followers_once(tree, resident, consultation, reviewer_a):
    from consultations.polls.operations import publish_results
    from tests.consultations.polls.factories import make_poll

    poll = make_poll(consultation)
    operations.follow(resident, tree.a)
    publish_results(poll, reviewer_a)
    publish_results(poll, reviewer_a)
    assert Notification.objects.filter(user=resident, event=Event.RESULTS).count() == 1
