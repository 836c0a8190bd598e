"""Demo: resident1 follows two villages and has notifications waiting in the inbox.

`manage.py notifications_send_digests` then prints their one digest in the console.
Idempotent: following and notifying again add nothing (unique follows and event keys).
"""

from django.contrib.auth import get_user_model

from consultations.models import CommunityPage, ConsultationPage
from consultations.notifications import operations
from consultations.notifications.models import Event, Notification

RESIDENT = "resident1@example.com"


def load(stdout):
    resident = get_user_model().objects.filter(email=RESIDENT).first()
    if resident is None:
        return []
    communities = CommunityPage.objects.filter(slug__in=["qingshi", "taoyuan"])
    for community in communities:
        operations.follow(resident, community)
    for consultation in ConsultationPage.objects.live().descendant_of(communities.first()):
        operations.notify(Event.NOTICE, consultation, f"notice:{consultation.pk}")
    unread = Notification.objects.filter(user=resident, read_at__isnull=True).count()
    stdout.write(
        f"Notifications: {RESIDENT} follows {communities.count()} communities, "
        f"{unread} unread; run `manage.py notifications_send_digests` for the digest."
    )
    return []
