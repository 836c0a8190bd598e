"""Hearing events that follow Wagtail's: a publication may add seats.

Connected in `ConsultationsConfig.ready()`.
"""

from django.dispatch import receiver
from wagtail.signals import page_published

from .models import HearingPage
from .operations import promote_from_waitlist


@receiver(page_published, sender=HearingPage)
def _hearing_published(sender, instance, **kwargs):
    """More seats (or a raised quota) take people off the waitlist at once, however the
    page is published: from the editor, on schedule, by a command or a script."""
    url = instance.full_url or ""
    for session in instance.sessions.all():
        promote_from_waitlist(session, url=url)
