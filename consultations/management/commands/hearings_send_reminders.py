"""Mail the day-before reminder to everyone with a confirmed seat at a hearing session.

Run daily (e.g. every morning at 08:00 from cron or a systemd timer):

    manage.py hearings_send_reminders

It picks confirmed registrations for sessions that start before the end of tomorrow
and have not had a reminder yet; each is marked (`reminder_sent_at`) in the same
transaction in which its mail is queued, so running it twice sends nothing twice.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from consultations.hearings.operations import reminder_candidates, send_reminder


class Command(BaseCommand):
    help = "Mail the day-before reminder for hearing sessions (idempotent)."

    def handle(self, *args, **options):
        base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
        sent = 0
        for registration in reminder_candidates():
            page_url = registration.session.page.url or ""
            url = base + page_url if page_url.startswith("/") else page_url
            if send_reminder(registration, url=url):
                sent += 1
        self.stdout.write(f"{sent} hearing reminder(s) queued.")
