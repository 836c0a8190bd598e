"""Template helpers of the advisory polls capability."""

from django import template
from django.utils import timezone

register = template.Library()


@register.simple_tag(takes_context=True)
def poll_summary(context, poll):
    """What the consultation page's card shows of a poll; counts only when visible."""
    from consultations.polls.results import poll_results, results_visible_to, when_results_shown

    request = context.get("request")
    user = getattr(request, "user", None)
    now = timezone.now()
    visible = results_visible_to(poll, user, request, now)
    return {
        "is_open": poll.is_open(now),
        "has_closed": poll.has_closed(now),
        "results": poll_results(poll) if visible else None,
        "hidden_reason": None if visible else when_results_shown(poll),
    }
