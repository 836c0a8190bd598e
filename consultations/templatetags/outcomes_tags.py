"""Template helpers of the outcomes capability."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def follows_community(context, community):
    """Whether the current user follows `community` (for the follow/unfollow button)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or community is None:
        return False
    return community.followers.filter(user=user).exists()
