"""Hearing events that follow Wagtail's and Django's: a publication may add seats; a
registration changes the counts a hearing page shows.

Connected in `ConsultationsConfig.ready()`.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from .models import HearingPage, Registration
from .operations import forget_page_sessions, promote_from_waitlist


@receiver(page_published, sender=HearingPage)
def _hearing_published(sender, instance, **kwargs):
    """More seats (or a raised quota) take people off the waitlist at once, however the
    page is published: from the editor, on schedule, by a command or a script."""
    url = instance.full_url or ""
    for session in instance.sessions.all():
        promote_from_waitlist(session, url=url)


@receiver(post_save, sender=Registration)
@receiver(post_delete, sender=Registration)
def _registration_changed(sender, instance, **kwargs):
    """A seat taken, given back, moved off the waitlist or checked in: the hearing page
    shows its sessions' counts afresh (they are remembered, `page_sessions`)."""
    page_id = instance.hearing_page_id()
    if page_id is not None:
        forget_page_sessions(page_id)
