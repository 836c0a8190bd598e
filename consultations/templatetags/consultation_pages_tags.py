"""Template helpers of the consultation pages capability."""

from django import template
from django.utils.functional import SimpleLazyObject

register = template.Library()


@register.simple_tag(takes_context=True)
def community_listing(context, community):
    """The filtered, paginated consultations of a community page.

    A tag because CommunityPage.get_context belongs to the community model; the listing
    is built once per request here.
    """
    from consultations.consultation_pages.listing import (
        ConsultationListing,
        consultations_of_community,
    )
    from consultations.models import ConsultationPage
    from consultations.permissions import visible_pages

    request = context["request"]
    # Built when the template first asks: while the listing's shared fragment is fresh
    # (`{% cache %}` in listing.html), none of its queries run.
    return SimpleLazyObject(
        lambda: ConsultationListing(
            request,
            consultations_of_community(
                visible_pages(ConsultationPage.objects.all(), request), community
            ),
        )
    )


@register.simple_tag
def consultation_feeds(community=None):
    """The RSS and Atom addresses of a community's consultations, or of all of them."""
    from consultations.consultation_pages.models import consultation_feed_links

    return consultation_feed_links(community)


@register.simple_tag(takes_context=True)
def area_consultations(context, area):
    """Live consultations that sit directly under a county, township or street page."""
    from consultations.models import ConsultationPage
    from consultations.permissions import visible_pages

    return list(
        visible_pages(ConsultationPage.objects.child_of(area), context["request"])
        .select_related("category", "format")
        .order_by("-notice_date", "-first_published_at")
    )
