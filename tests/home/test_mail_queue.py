"""Every sender's mail goes through the task queue: a mail server that is down never answers
500, never loses or rolls back what the resident did, and the delivery is tried again."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone, translation

from consultations.models import Registration, Suggestion, SuggestionFormPage
from consultations.notifications import operations as notifications
from consultations.notifications.models import Digest, Event
from tests.conftest import PASSWORD, add_page, en, make_user
from tests.consultations.hearings.factories import make_hearing

pytestmark = pytest.mark.django_db


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the mail server is down")


@pytest.fixture
def server_down(settings):
    """The production wiring: Django's backend is the queue; delivery fails."""
    settings.EMAIL_BACKEND = "home.mail.QueuedEmailBackend"
    settings.PORTAL_DELIVERY_EMAIL_BACKEND = f"{__name__}.FailingBackend"


def signup(client, tree, email="new@example.com"):
    return client.post(
        en("/accounts/signup/"),
        {
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "display_name": "Ann",
            "community": tree.a.pk,
            "residence_status": "registered",
        },
    )


def test_signup_with_the_mail_server_down_answers_and_keeps_the_account(client, tree, server_down):
    response = signup(client, tree)
    assert response.status_code == 302
    user = get_user_model().objects.get(email="new@example.com")
    assert user.emailaddress_set.get().verified is False  # the resident can ask again


def test_password_reset_with_the_mail_server_down_answers(client, tree, server_down):
    make_user("old@example.com", community=tree.a)
    response = client.post(en("/accounts/password/reset/"), {"email": "old@example.com"})
    assert response.status_code == 302


def test_a_suggestion_and_a_registration_are_kept(client, resident, consultation, server_down):
    from tests.consultations.suggestions.test_suggestions import submit

    form_page = add_page(consultation, SuggestionFormPage(title="意见征集", slug="suggestions"))
    client.force_login(resident)
    assert submit(client, form_page).status_code == 200
    assert Suggestion.objects.filter(user=resident).count() == 1
    hearing = make_hearing(consultation)
    session = hearing.sessions.get()
    with translation.override(settings.LANGUAGE_CODE):
        url = en(hearing.url) + "register/"
    response = client.post(
        url, {"session": session.pk, "category": "affected", "phone": "13800138000"}
    )
    assert response.status_code == 302
    assert Registration.objects.filter(user=resident).count() == 1


def test_a_digest_is_recorded_when_delivery_fails(tree, resident, consultation, server_down):
    notifications.follow(resident, tree.a)
    notifications.notify(Event.NOTICE, consultation, "notice:x")
    assert notifications.send_digests() == 1
    assert Digest.objects.filter(user=resident).count() == 1


def test_queued_mail_keeps_headers_and_alternatives(settings):
    from django.core.mail import EmailMultiAlternatives

    settings.EMAIL_BACKEND = "home.mail.QueuedEmailBackend"
    settings.PORTAL_DELIVERY_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    message = EmailMultiAlternatives(
        "主题", "正文", "from@example.com", ["to@example.com"], headers={"X-Test": "1"}
    )
    message.attach_alternative("<p>正文</p>", "text/html")
    message.attach("a.txt", "内容", "text/plain")
    message.attach("b.bin", b"\x00\x01", "application/octet-stream")
    assert message.send() == 1
    delivered = mail.outbox[0]
    assert (delivered.subject, delivered.body, delivered.to) == ("主题", "正文", ["to@example.com"])
    assert delivered.extra_headers == {"X-Test": "1"}
    assert delivered.alternatives[0][1] == "text/html"
    assert delivered.attachments[1][1] == b"\x00\x01"


def run_queued(result):
    """What `db_worker` does with one queued task (the worker itself closes connections,
    which a test inside a transaction cannot allow)."""
    from django.utils.module_loading import import_string

    task = import_string(result.task_path)
    task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])


def test_a_failed_delivery_is_tried_again_later(settings):
    from django.core.mail import send_mail
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "home.mail.QueuedEmailBackend"
    settings.PORTAL_DELIVERY_EMAIL_BACKEND = f"{__name__}.FailingBackend"
    send_mail("Reset", "Body", None, ["a@example.com"])
    first = DBTaskResult.objects.get()  # queued, nothing sent yet
    assert mail.outbox == []
    with pytest.raises(ConnectionRefusedError):
        run_queued(first)
    retry = DBTaskResult.objects.exclude(pk=first.pk).get()
    assert retry.status == "READY" and retry.run_after > timezone.now()
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    # The server is back: the retry delivers the same message.
    settings.PORTAL_DELIVERY_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run_queued(retry)
    assert [m.subject for m in mail.outbox] == ["Reset"]
