"""Give every community and area page its staff groups and review workflow.

New pages get them automatically (the admin's after_create_page hook and a post-save
signal). Run this once after restoring or importing pages made elsewhere, or after
renaming the workflows by hand; it is idempotent and only adds what is missing:

    python manage.py consultations_install_workflows
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from consultations.communities.operations import ensure_area_setup, ensure_community_setup
from consultations.models import CommunityIndexPage, CommunityPage


class Command(BaseCommand):
    help = "Create the missing staff groups and review workflows of community and area pages."

    def handle(self, *args, **options):
        with transaction.atomic():
            areas = list(CommunityIndexPage.objects.order_by("path"))
            for area in areas:
                ensure_area_setup(area)
            communities = list(CommunityPage.objects.order_by("path"))
            for community in communities:
                ensure_community_setup(community)
        self.stdout.write(
            f"Workflows installed for {len(areas)} areas and {len(communities)} communities."
        )
