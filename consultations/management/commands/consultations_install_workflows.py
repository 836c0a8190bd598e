"""Give every community and area page its staff groups and review workflows.

New pages get them automatically (the admin's after_create_page hook and a post-save
signal). Run this after restoring or importing pages made elsewhere, or after upgrading
(to make the outcome workflows of places that had none yet). It is idempotent: pages
keep what they own (by key), which is renamed after the page's title, completed, and
only made when missing:

    python manage.py consultations_install_workflows
"""

from django.core.management.base import BaseCommand

from consultations.communities.operations import install_all


class Command(BaseCommand):
    help = "Create the missing staff groups and review workflows of community and area pages."

    def handle(self, *args, **options):
        areas, communities = install_all()
        self.stdout.write(f"Workflows installed for {areas} areas and {communities} communities.")
