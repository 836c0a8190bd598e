"""Erase personal data past its retention period (PORTAL_RETENTION, docs/privacy.md).

Run daily from cron or a systemd timer:

    manage.py purge_personal_data

Hearing registrants' phones, speech summaries and answers (the registrations stay, so the
counts remain), expired roster-link codes, old feedback-digest records, and accounts never
verified nor used within their period (deleted by the account-deletion rules).
"""

from django.core.management.base import BaseCommand

from consultations.residents.operations import purge_expired


class Command(BaseCommand):
    help = "Erase personal data past the retention periods of PORTAL_RETENTION."

    def handle(self, *args, **options):
        for kind, count in purge_expired().items():
            self.stdout.write(f"{kind}: {count}")
