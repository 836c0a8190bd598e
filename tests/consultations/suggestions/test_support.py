"""Support (附议): residents back each other's published suggestions (issue 14).

Once per resident (a database constraint), withdrawable, counted exactly; the answer reaches
the supporters too.
"""

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import IntegrityError, connections, transaction
from django.urls import reverse
from django.utils import timezone, translation

from consultations.models import Suggestion, SuggestionFormPage, Support
from consultations.suggestions import operations
from tests.conftest import add_page, make_consultation, make_user, requires_postgres
from tests.consultations.suggestions.test_suggestions import en_url, make_suggestion

PUBLISHED = Suggestion.Status.PUBLISHED


@pytest.fixture
def form_page(consultation):
    return add_page(consultation, SuggestionFormPage(title="意见征集", slug="suggestions"))


@pytest.fixture
def published(form_page, other_resident):
    return make_suggestion(form_page, other_resident, status=PUBLISHED, title="修路灯")


def support_url(suggestion):
    with translation.override(settings.LANGUAGE_CODE):
        return en_url(reverse("suggestions:support", args=[suggestion.pk]))


def test_a_resident_supports_and_withdraws(client, resident, published, form_page):
    client.force_login(resident)
    response = client.post(support_url(published), {"next": en_url(form_page)})
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.support_count == 1
    page = client.get(en_url(form_page))
    assert "1 resident supports this" in page.content.decode()
    assert "Withdraw my support" in page.content.decode()
    client.post(support_url(published), {"action": "withdraw"})
    published.refresh_from_db()
    assert published.support_count == 0
    assert not Support.objects.exists()


def test_supporting_twice_counts_once(client, resident, published):
    client.force_login(resident)
    client.post(support_url(published))
    client.post(support_url(published))
    published.refresh_from_db()
    assert published.support_count == 1
    assert Support.objects.filter(suggestion=published).count() == 1


def test_own_pending_and_unverified_are_refused(client, resident, form_page, tree):
    own = make_suggestion(form_page, resident, status=PUBLISHED)
    pending = make_suggestion(form_page, make_user("x@example.com", community=tree.a))
    client.force_login(resident)
    assert client.post(support_url(own)).status_code == 403
    assert client.post(support_url(pending)).status_code == 404
    unverified = make_user("u@example.com", community=tree.a, verified=False)
    client.force_login(unverified)
    other = make_suggestion(form_page, resident, status=PUBLISHED)
    response = client.post(support_url(other))
    assert response.status_code == 403
    assert "cannot support" in response.content.decode()
    assert Support.objects.count() == 0


def test_anonymous_visitor_is_sent_to_sign_in(client, published):
    response = client.post(support_url(published))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_restricted_form_only_takes_support_from_its_residents(
    client, form_page, published, tree
):
    form_page.restrict_to_community = tree.a
    form_page.save()
    outsider = make_user("b@example.com", community=tree.b)
    client.force_login(outsider)
    assert client.post(support_url(published)).status_code == 403


def test_the_board_sorts_by_support(client, form_page, resident, other_resident, tree):
    little = make_suggestion(form_page, resident, status=PUBLISHED, title="少人附议")
    many = make_suggestion(form_page, resident, status=PUBLISHED, title="多人附议")
    operations.support_suggestion(many, other_resident)
    operations.support_suggestion(many, make_user("c@example.com", community=tree.a))
    operations.support_suggestion(little, other_resident)
    body = client.get(en_url(form_page) + f"?s{form_page.pk}-sort=support").content.decode()
    assert body.index("多人附议") < body.index("少人附议")
    assert "Most supported" in body


def test_an_answer_reaches_the_author_and_the_supporters(
    resident, other_resident, published, editor_a
):
    """The author gets the answer mail; a supporter is told through their notifications:
    in the inbox at once, by mail at once or in the daily digest as they chose."""
    from consultations.notifications import operations as notifications
    from consultations.notifications.models import Event, Notification

    operations.support_suggestion(published, resident)
    assert operations.concerned_users(published) == {resident.pk, other_resident.pk}
    notifications.save_preferences(
        resident, events={Event.ANSWER: "now"}, by_mail=True, by_sms=False
    )
    mail.outbox.clear()
    operations.answer_suggestion(published, editor_a, Suggestion.Answer.ADOPTED, "好")
    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients == {resident.email, other_resident.email}
    assert Notification.objects.filter(user=resident, event=Event.ANSWER).count() == 1
    # Mailed once: the author's answer mail spares them a second one from the notification.
    assert [m.to for m in mail.outbox].count([other_resident.email]) == 1


def test_a_supporter_on_the_default_settings_finds_the_answer_in_the_digest(
    resident, other_resident, published, editor_a
):
    from consultations.notifications import operations as notifications
    from consultations.notifications.models import Event, Notification

    operations.support_suggestion(published, resident)
    operations.answer_suggestion(published, editor_a, Suggestion.Answer.ADOPTED, "好")
    assert Notification.objects.filter(user=resident, event=Event.ANSWER).exists()
    mail.outbox.clear()
    notifications.send_digests(now=timezone.now() + timedelta(days=1))
    assert [m.to for m in mail.outbox] == [[resident.email]]


def test_withdrawn_supporters_are_not_concerned(resident, other_resident, published):
    operations.support_suggestion(published, resident)
    operations.withdraw_support(published, resident)
    assert operations.concerned_users(published) == {other_resident.pk}


def test_the_moderation_queue_shows_and_sorts_by_supporters(client, editor_a, published, resident):
    operations.support_suggestion(published, resident)
    client.force_login(editor_a)
    with translation.override(settings.LANGUAGE_CODE):
        queue = en_url(reverse("suggestions_admin:queue"))
    response = client.get(queue + "?status=published&order=support")
    assert response.status_code == 200
    assert "Supporters" in response.content.decode()


def test_the_constraint_is_in_the_database(resident, published):
    Support.objects.create(suggestion=published, user=resident)
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(suggestion=published, user=resident)


@requires_postgres()
@pytest.mark.django_db(transaction=True)
def test_simultaneous_supports_of_one_resident_are_one(tree):
    from django.test import Client

    author = make_user("author@example.com", community=tree.a)
    backer = make_user("backer@example.com", community=tree.a)
    consultation = make_consultation(tree.a, slug="support-race")
    page = add_page(consultation, SuggestionFormPage(title="意见", slug="s"))
    suggestion = make_suggestion(page, author, status=PUBLISHED)
    barrier = threading.Barrier(6)
    statuses = []

    def post():
        try:
            client = Client()
            client.force_login(backer)
            barrier.wait()
            statuses.append(client.post(support_url(suggestion)).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * 6
    suggestion.refresh_from_db()
    assert Support.objects.filter(suggestion=suggestion).count() == 1
    assert suggestion.support_count == 1
