"""Mail the day-before reminder to everyone with a confirmed seat at a hearing session.

Run daily (e.g. every morning at 08:00 from cron or a systemd timer):

    manage.py hearings_send_reminders

It picks confirmed registrations for sessions that start before the end of tomorrow
and have not had a reminder yet; each is marked (`reminder_sent_at`) in the same
transaction in which its mail is queued, so running it twice sends nothing twice.
"""

from django.core.management.base import BaseCommand

from consultations.hearings.operations import reminder_candidates, send_reminder
from home.links import absolute_url


class Command(BaseCommand):
    help = "Mail the day-before reminder for hearing sessions (idempotent)."

    def handle(self, *args, **options):
        sent = 0
        for registration in reminder_candidates():
            page_url = registration.session.page.url or ""
            url = absolute_url(page_url) if page_url else ""
            if send_reminder(registration, url=url):
                sent += 1
        self.stdout.write(f"{sent} hearing reminder(s) queued.")
