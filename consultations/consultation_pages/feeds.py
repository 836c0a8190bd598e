"""RSS and Atom feeds of new consultations, site-wide and per community.

Residents' committees and local news accounts subscribe to these to relay new topics.
A community's feed includes township-level consultations that cover it.
"""

from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext_lazy as _

from consultations.consultation_pages.listing import consultations_of_community
from consultations.permissions import visible_pages
from home.feeds import PortalFeed

FEED_LENGTH = 30


class ConsultationFeed(PortalFeed):
    feed_type = Rss201rev2Feed

    def get_object(self, request, community_id=None):
        from consultations.models import CommunityPage

        if community_id is None:
            return None
        return get_object_or_404(visible_pages(CommunityPage.objects.all()), pk=community_id)

    def title(self, obj):
        if obj is None:
            return _("New consultations")
        return _("New consultations in %(community)s") % {"community": obj.title}

    def description(self, obj):
        return _("Consultation topics as they are announced, newest first.")

    def link(self, obj):
        from consultations.models import ConsultationIndexPage

        if obj is not None:
            return obj.get_full_url() or "/"
        index = visible_pages(ConsultationIndexPage.objects.all()).first()
        return (index.get_full_url() if index else None) or "/"

    def items(self, obj):
        from consultations.models import ConsultationPage

        queryset = visible_pages(ConsultationPage.objects.all())
        if obj is not None:
            queryset = consultations_of_community(queryset, obj)
        return queryset.select_related("category").order_by("-first_published_at", "-pk")[
            :FEED_LENGTH
        ]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_full_url()

    def item_guid(self, item):
        return item.get_full_url()

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [item.category.label]


class ConsultationAtomFeed(ConsultationFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)
