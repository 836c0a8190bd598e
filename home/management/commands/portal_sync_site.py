from django.core.management.base import BaseCommand

from home.links import base_url, sync_default_site


class Command(BaseCommand):
    help = "Put the default Wagtail Site on PORTAL_BASE_URL's host and port (idempotent)."

    def handle(self, *args, **options):
        site = sync_default_site()
        if site is None:
            self.stdout.write("No default Site yet; nothing to do.")
        else:
            self.stdout.write(f"The default Site answers at {base_url()}.")
