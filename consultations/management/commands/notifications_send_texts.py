"""Send the text messages that waited (the night, or the day's one text already sent).

Run every hour, e.g. at minute 5:

    python manage.py notifications_send_texts

Nothing is sent between 21:00 and 08:00 (TIME_ZONE); at most one text a day per person.
"""

from django.core.management.base import BaseCommand

from consultations.notifications.operations import send_pending_texts


class Command(BaseCommand):
    help = "Send due notification text messages (never at night, one a day per person)."

    def handle(self, *args, **options):
        self.stdout.write(f"Text messages sent: {send_pending_texts()}")
