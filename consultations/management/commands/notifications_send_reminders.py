"""Tell followers that input opens today or closes soon, and that a hearing is tomorrow.

Run once a day, before the digest (e.g. at 07:00):

    python manage.py notifications_send_reminders

Idempotent: each reminder has a key with its date, so a second run writes nothing.
"""

from django.core.management.base import BaseCommand

from consultations.notifications.operations import send_reminders


class Command(BaseCommand):
    help = "Write the day's input and hearing reminders for followers (idempotent)."

    def handle(self, *args, **options):
        self.stdout.write(f"Reminder notifications written: {send_reminders()}")
