"""Portal mail: rendered in the recipient's language, delivered by the task queue.

Every capability sends mail through `send_templated_mail`. The message is rendered when
it is queued and delivered by the `deliver_mail` task. With the database task backend the
queued task is a row written in the same transaction as the record that caused it, so a
suggestion, registration or ballot is never rolled back because a mail server failed,
and a failed delivery is tried again later (docs/architecture.md, "Integrity rules").

Mail the portal does not render itself (allauth's sign-up, confirmation and password reset
mails, Wagtail's workflow and moderation notifications) takes the same path:
`EMAIL_BACKEND` is `QueuedEmailBackend`, which queues each message for `deliver_message`;
the task hands it to the real backend, `PORTAL_DELIVERY_EMAIL_BACKEND` (SMTP or console).
"""

import base64
import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import default_task_backend, task

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def render_mail(template_prefix, context, language=None):
    """Render `<prefix>_subject.txt` and `<prefix>.txt` in `language`.

    `context` is a dict, or a callable taking the language and returning one (called with
    that language active), for context whose links or texts depend on the language.
    """
    language = language or settings.LANGUAGE_CODE
    with translation.override(language):
        if callable(context):
            context = context(language)
        subject = render_to_string(f"{template_prefix}_subject.txt", context)
        body = render_to_string(f"{template_prefix}.txt", context)
    return " ".join(subject.split()), body


def recipient_languages(recipients):
    """Group addresses by their owner's preferred language (the site default otherwise)."""
    from django.contrib.auth import get_user_model

    known = dict(
        get_user_model()
        .objects.filter(email__in=recipients)
        .exclude(preferred_language="")
        .values_list("email", "preferred_language")
    )
    groups = {}
    for address in recipients:
        groups.setdefault(known.get(address, settings.LANGUAGE_CODE), []).append(address)
    return groups


def delivery_connection():
    """The backend that really sends: the delivery backend behind the queue, if queued."""
    if settings.EMAIL_BACKEND == QUEUED_BACKEND:
        return get_connection(settings.PORTAL_DELIVERY_EMAIL_BACKEND)
    return get_connection()


def _retry_later(task_function, attempt, **kwargs):
    """Queue the next attempt with a back-off of 1, 4, 9, 16 minutes, if there is one."""
    if attempt < MAX_ATTEMPTS and default_task_backend.supports_defer:
        task_function.using(run_after=timezone.now() + timedelta(minutes=attempt**2)).enqueue(
            attempt=attempt + 1, **kwargs
        )


def send_templated_mail(
    template_prefix, context, recipients, language=None, attachments=(), headers=None
):
    """Queue the mail to `recipients` (a list of addresses), one message per language.

    Without an explicit `language`, each recipient who has an account gets the mail in
    the language they signed up in; the others get it in the site language. `context` may
    be a callable of the language (see `render_mail`), so that links in the mail point to
    the pages in the reader's language. `attachments` are (filename, text content, mimetype)
    triples, e.g. an .ics file; `headers` extra headers (List-Unsubscribe). Returns the last
    queued task result.
    """
    recipients = [address for address in recipients if address]
    if not recipients:
        return None
    groups = {language: recipients} if language else recipient_languages(recipients)
    result = None
    for group_language, addresses in groups.items():
        subject, body = render_mail(template_prefix, context, group_language)
        result = deliver_mail.enqueue(
            subject=subject,
            body=body,
            recipients=addresses,
            attachments=[list(item) for item in attachments],
            headers=dict(headers or {}),
        )
    return result


@task()
def deliver_mail(subject, body, recipients, attachments=(), attempt=1, headers=None):
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        headers=headers or None,
        connection=delivery_connection(),
    )
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    try:
        message.send()
    except Exception:
        logger.exception("Mail delivery failed (attempt %s): %s", attempt, subject)
        _retry_later(
            deliver_mail,
            attempt,
            subject=subject,
            body=body,
            recipients=recipients,
            attachments=attachments,
            headers=headers,
        )
        raise


# --- every other sender: the queuing backend ---------------------------------------------

QUEUED_BACKEND = "home.mail.QueuedEmailBackend"


def _encode(content):
    if isinstance(content, bytes):
        return {"base64": base64.b64encode(content).decode("ascii")}
    return {"text": str(content)}


def _decode(value):
    if "base64" in value:
        return base64.b64decode(value["base64"])
    return value["text"]


def serialise_message(message):
    """An EmailMessage (or EmailMultiAlternatives) as JSON-safe data for a task."""
    attachments = []
    for attachment in message.attachments:
        if isinstance(attachment, tuple | list):
            filename, content, mimetype = attachment
            attachments.append([filename, _encode(content), mimetype])
        else:  # a MIMEBase part: keep it whole
            attachments.append([None, _encode(attachment.as_bytes()), "message/rfc822"])
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {str(k): str(v) for k, v in (message.extra_headers or {}).items()},
        "alternatives": [
            [_encode(content), mimetype]
            for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": attachments,
        "content_subtype": message.content_subtype,
    }


def build_message(data, connection=None):
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"] or None,
        connection=connection,
    )
    message.content_subtype = data.get("content_subtype") or "plain"
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(_decode(content), mimetype)
    for filename, content, mimetype in data["attachments"]:
        message.attach(filename, _decode(content), mimetype)
    return message


class QueuedEmailBackend(BaseEmailBackend):
    """Queue every message for `deliver_message` instead of talking to a mail server.

    Sending returns at once, so a sign-up, a password reset or a workflow action never
    answers 500 because the mail server is down; the task retries a failed delivery.
    """

    def send_messages(self, email_messages):
        count = 0
        for message in email_messages or []:
            if not message.recipients():
                continue
            deliver_message.enqueue(data=serialise_message(message))
            count += 1
        return count


@task()
def deliver_message(data, attempt=1):
    try:
        build_message(data, connection=delivery_connection()).send()
    except Exception:
        logger.exception("Mail delivery failed (attempt %s): %s", attempt, data.get("subject"))
        _retry_later(deliver_message, attempt, data=data)
        raise
