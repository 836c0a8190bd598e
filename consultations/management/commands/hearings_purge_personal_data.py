"""Blank registrants' personal data some days after their hearing session.

Run daily from cron or a systemd timer:

    manage.py hearings_purge_personal_data

Phone numbers, speech summaries and answers to the editor's extra questions are erased
`PORTAL_PERSONAL_DATA_DAYS` days (default 90) after the session ended. The registrations
themselves stay, so the attendance figures and the ledger keep their counts.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from consultations.hearings.operations import purge_personal_data


class Command(BaseCommand):
    help = "Erase hearing registrants' phones and answers after the retention period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Override PORTAL_PERSONAL_DATA_DAYS for this run.",
        )

    def handle(self, *args, days=None, **options):
        days = settings.PORTAL_PERSONAL_DATA_DAYS if days is None else days
        count = purge_personal_data(timezone.now() - timedelta(days=days))
        self.stdout.write(f"Personal data erased from {count} hearing registration(s).")
