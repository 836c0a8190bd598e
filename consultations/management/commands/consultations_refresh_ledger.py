"""Bring every generated ledger entry up to date with its consultation (run hourly).

Entries follow their consultations through signals once each change is committed; this
command catches what signals cannot see (changes made by queryset updates, a failed
sync) and refreshes the checklist as dates pass. Schedule it hourly, e.g. cron:

    10 * * * *  cd /srv/portal && .venv/bin/python manage.py consultations_refresh_ledger

Safe to run at any time: corrections typed by staff are kept.
"""

from django.core.management.base import BaseCommand

from consultations.ledger import operations


class Command(BaseCommand):
    help = "Recompute the ledger entries of all consultations from their records."

    def handle(self, *args, **options):
        count = operations.refresh_all()
        self.stdout.write(f"Ledger refreshed: {count} consultation entries.")
