"""New community and area pages get their staff groups and workflows, however made.

Connected in `ConsultationsConfig.ready()`. Beside the admin's `after_create_page` hook
this covers pages made in code (load_demo, tests, imports).
"""

from django.db.models.signals import post_save
from django.dispatch import receiver


@receiver(post_save, sender="consultations.CommunityPage")
def _community_created(sender, instance, created, raw=False, **kwargs):
    # Safety net beside the admin's after_create_page hook: pages made in code (load_demo,
    # tests, imports) get their groups and workflow too.
    if created and not raw:
        from .operations import ensure_community_setup

        ensure_community_setup(instance)


@receiver(post_save, sender="consultations.CommunityIndexPage")
def _area_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from .operations import ensure_area_setup

        ensure_area_setup(instance)
