"""Load the demo: communities, consultations and every feature, with printed logins.

Idempotent: running it again finds what it made before and adds only what is missing.
Each capability keeps its demo content in `consultations/<capability>/demo.py`, whose
`load(stdout)` may return (role, email, password) logins to print.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from consultations.communities import demo as communities_demo
from consultations.consultation_pages import demo as consultation_pages_demo
from consultations.hearings import demo as hearings_demo
from consultations.ledger import demo as ledger_demo
from consultations.notifications import demo as notifications_demo
from consultations.outcomes import demo as outcomes_demo
from consultations.polls import demo as polls_demo
from consultations.roster import demo as roster_demo
from consultations.suggestions import demo as suggestions_demo
from home.links import sync_default_site

# In this order: the roster after the polls, whose earlier demo ballots were cast before
# 青石村 kept a roster; outcomes after the capabilities whose consultations they close; then
# the ledger, which records them all; the notifications of what the demo resident follows.
LOADERS = [
    communities_demo,
    consultation_pages_demo,
    suggestions_demo,
    hearings_demo,
    polls_demo,
    roster_demo,
    outcomes_demo,
    ledger_demo,
    notifications_demo,
]


class Command(BaseCommand):
    help = "Load idempotent demo data (fictional communities, consultations and users)."

    def handle(self, *args, **options):
        logins = []
        with transaction.atomic():
            for loader in LOADERS:
                logins += loader.load(self.stdout) or []
            # Links in mails, feeds and QR codes point where the demo is served (`make run`
            # passes PORTAL_BASE_URL with its PORT).
            sync_default_site()
        self.stdout.write(
            self.style.SUCCESS("Demo data is ready. Demo logins (demo only, never in production):")
        )
        for role, email, password in logins:
            self.stdout.write(f"  {role:<28} {email:<28} {password}")
