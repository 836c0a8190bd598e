"""Template helpers of the consultation pages capability."""

from django import template

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

    return ConsultationListing(
        context["request"],
        consultations_of_community(ConsultationPage.objects.live(), community),
    )


@register.simple_tag
def consultation_feeds(community=None):
    """The RSS and Atom addresses of a community's consultations, or of all of them."""
    from consultations.consultation_pages.models import consultation_feed_links

    return consultation_feed_links(community)


@register.simple_tag
def area_consultations(area):
    """Live consultations that sit directly under a county, township or street page."""
    from consultations.models import ConsultationPage

    return list(
        ConsultationPage.objects.child_of(area)
        .live()
        .select_related("category", "format")
        .order_by("-notice_date", "-first_published_at")
    )
