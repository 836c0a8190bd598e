"""Portal text messages (SMS): a small pluggable backend, delivered by the task queue.

Like mail (`home/mail.py`), every capability sends a text through `send_sms`, which queues
the `deliver_sms` task; with the database task backend the queued task is written in the
transaction of the record that caused it, and a failed delivery is tried again later.

A backend is a class with one method, `send_messages(messages)`, taking a list of
`SmsMessage` and raising on failure. `SMS_BACKEND` names it by dotted path:

* `home.sms.ConsoleBackend` prints each message (development: `make run` shows the code);
* `home.sms.LocmemBackend` keeps messages in `home.sms.outbox` (tests);
* `home.sms.HttpGatewayBackend` posts each message as JSON to an HTTP gateway
  (`SMS_GATEWAY_URL`, `SMS_GATEWAY_TOKEN`, `SMS_SENDER`), the shape most Chinese SMS
  providers' relay services accept; write another class for a provider's own API.
"""

import json
import logging
import sys
import urllib.request
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import default_task_backend, task

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5

# The test backend's outbox (like django.core.mail.outbox).
outbox = []


@dataclass
class SmsMessage:
    to: str
    body: str


class BaseSmsBackend:
    """The interface: send every message or raise."""

    def send_messages(self, messages):
        raise NotImplementedError


class ConsoleBackend(BaseSmsBackend):
    def send_messages(self, messages):
        for message in messages:
            sys.stdout.write(f"SMS to {message.to}:\n{message.body}\n{'-' * 40}\n")
            sys.stdout.flush()


class LocmemBackend(BaseSmsBackend):
    def send_messages(self, messages):
        outbox.extend(messages)


class HttpGatewayBackend(BaseSmsBackend):
    """POST {"to", "text", "sender"} as JSON to SMS_GATEWAY_URL with a bearer token."""

    timeout = 10

    def send_messages(self, messages):
        url = getattr(settings, "SMS_GATEWAY_URL", "")
        if not url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("SMS_GATEWAY_URL must be an http(s) address.")
        token = getattr(settings, "SMS_GATEWAY_TOKEN", "")
        for message in messages:
            payload = json.dumps(
                {"to": message.to, "text": message.body, "sender": settings.SMS_SENDER}
            ).encode()
            request = urllib.request.Request(  # noqa: S310 - scheme checked above
                url,
                data=payload,
                method="POST",
                headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
            )
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                if response.status >= 300:
                    raise OSError(f"SMS gateway answered {response.status}")


def get_backend():
    return import_string(settings.SMS_BACKEND)()


def send_sms(to, body):
    """Queue a text message to `to` (an E.164 number such as +8613800000000)."""
    if not to:
        return None
    return deliver_sms.enqueue(to=to, body=body)


@task()
def deliver_sms(to, body, attempt=1):
    try:
        get_backend().send_messages([SmsMessage(to=to, body=body)])
    except Exception:
        logger.exception("SMS delivery failed (attempt %s) to %s", attempt, to[-4:])
        if attempt < MAX_ATTEMPTS and default_task_backend.supports_defer:
            deliver_sms.using(run_after=timezone.now() + timedelta(minutes=attempt**2)).enqueue(
                to=to, body=body, attempt=attempt + 1
            )
        raise
