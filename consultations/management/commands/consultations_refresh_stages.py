"""Recompute the stored stage of every consultation (run hourly by a timer).

A consultation's stage also changes when nobody saves anything: input opens or closes
as the date passes. `ConsultationPage.stage` caches `derive_stage()` for listings and
counts; this command brings that cache up to date. Schedule it hourly, e.g. cron:

    5 * * * *  cd /srv/portal && .venv/bin/python manage.py consultations_refresh_stages

Safe to run at any time and as often as wanted: it only writes stages that changed.
"""

from django.core.management.base import BaseCommand

from consultations.models import ConsultationPage, Stage


class Command(BaseCommand):
    help = "Recompute the stored stage of every consultation from its dates and child pages."

    def handle(self, *args, **options):
        changed = 0
        pages = ConsultationPage.objects.filter(live=True) | ConsultationPage.objects.exclude(
            stage=Stage.DRAFT
        )
        for page in pages.distinct().order_by("path").iterator():
            before = page.stage
            if page.refresh_stage() != before:
                changed += 1
        self.stdout.write(f"Stages refreshed: {changed} changed.")
