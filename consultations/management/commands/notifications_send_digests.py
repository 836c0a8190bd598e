"""Send each person their one daily notification digest, then the texts that are due.

Run once a day (cron/systemd timer), e.g. at 08:30:

    python manage.py notifications_send_digests

Idempotent: a person gets at most one digest a day and never an empty one; a notification
joins one digest only. Queries grow with recipients in batches, not with followers.
"""

from django.core.management.base import BaseCommand

from consultations.notifications.operations import send_digests, send_pending_texts


class Command(BaseCommand):
    help = "Mail the daily notification digests (idempotent) and send due text messages."

    def handle(self, *args, **options):
        mails = send_digests()
        texts = send_pending_texts()
        self.stdout.write(f"Notification digests sent: {mails}; text messages: {texts}")
