"""Send participants and followers their daily outcome feedback digest (三(五): report back).

Run once a day (cron/systemd timer), e.g. at 18:00:

    python manage.py outcomes_send_feedback_digests

Everyone who took part in a consultation (suggested, registered for a hearing, voted —
never saying how) and everyone following its community gets at most one mail a day
listing the outcomes published and decision statuses changed since their last digest.
Idempotent: running it twice on a day sends nothing more.
"""

from django.core.management.base import BaseCommand

from consultations.outcomes.operations import send_feedback_digests


class Command(BaseCommand):
    help = "Mail the daily digest of published outcomes and status changes to participants."

    def handle(self, *args, **options):
        sent = send_feedback_digests()
        self.stdout.write(f"Feedback digests sent: {sent}")
