"""Portal mail: rendered in the recipient's language, delivered by the task queue.

Every capability sends mail through `send_templated_mail`. The message is rendered when
it is queued and delivered by the `deliver_mail` task. With the database task backend the
queued task is a row written in the same transaction as the record that caused it, so a
suggestion, registration or ballot is never rolled back because a mail server failed,
and a failed delivery is tried again later (docs/architecture.md, "Integrity rules").
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
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


def send_templated_mail(template_prefix, context, recipients, language=None, attachments=()):
    """Queue the mail to `recipients` (a list of addresses), one message per language.

    Without an explicit `language`, each recipient who has an account gets the mail in
    the language they signed up in; the others get it in the site language. `context` may
    be a callable of the language (see `render_mail`), so that links in the mail point to
    the pages in the reader's language. `attachments` are (filename, text content, mimetype)
    triples, e.g. an .ics file. Returns the last queued task result.
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
        )
    return result


@task()
def deliver_mail(subject, body, recipients, attachments=(), attempt=1):
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    )
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    try:
        message.send()
    except Exception:
        logger.exception("Mail delivery failed (attempt %s): %s", attempt, subject)
        if attempt < MAX_ATTEMPTS and default_task_backend.supports_defer:
            # Back off: 1, 4, 9, 16 minutes.
            deliver_mail.using(run_after=timezone.now() + timedelta(minutes=attempt**2)).enqueue(
                subject=subject,
                body=body,
                recipients=recipients,
                attachments=attachments,
                attempt=attempt + 1,
            )
        raise
