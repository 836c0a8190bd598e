"""Atom and RSS feeds of published outcomes and of decision status changes (三(五))."""

from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consultations.outcomes.models import OutcomeEvent
from consultations.permissions import visible_page_q
from home.feeds import PortalFeed

FEED_LENGTH = 50


class OutcomeRssFeed(PortalFeed):
    title = gettext_lazy("Consultation outcomes and their implementation")
    description = gettext_lazy(
        "Outcome announcements as they are published, and every change in the status of "
        "their decisions."
    )

    def link(self):
        return reverse("outcomes:tracker")

    def items(self):
        return (
            OutcomeEvent.objects.filter(visible_page_q("outcome"))
            .select_related("outcome", "item")
            .order_by("-created_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, item):
        if item.kind == OutcomeEvent.Kind.PUBLISHED:
            return _("Outcome published: %(title)s") % {"title": item.outcome.title}
        return _("%(title)s: %(status)s") % {
            "title": item.outcome.title,
            "status": item.status_label,
        }

    def item_description(self, item):
        if item.item is not None:
            return item.item.decision
        return _("The outcome of the consultation has been announced.")

    def item_link(self, item):
        return item.outcome.url or "/"

    def item_guid(self, item):
        return f"outcome-event-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.created_at


class OutcomeAtomFeed(OutcomeRssFeed):
    feed_type = Atom1Feed
    subtitle = OutcomeRssFeed.description
