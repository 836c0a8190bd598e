"""Load the demo: communities, consultations and every feature, with printed logins.

Idempotent: running it again finds what it made before and adds only what is missing.
Each capability keeps its demo content in `consultations/demo/<capability>.py`.
"""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from consultations.demo import LOADERS


class Command(BaseCommand):
    help = "Load idempotent demo data (fictional communities, consultations and users)."

    def handle(self, *args, **options):
        logins = []
        with transaction.atomic():
            for name in LOADERS:
                module = import_module(f"consultations.demo.{name}")
                logins += module.load(self.stdout) or []
        self.stdout.write(
            self.style.SUCCESS("Demo data is ready. Demo logins (demo only, never in production):")
        )
        for role, email, password in logins:
            self.stdout.write(f"  {role:<28} {email:<28} {password}")
