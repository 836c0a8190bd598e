"""Template helpers of the advisory polls capability."""

from django import template
from django.utils import timezone

register = template.Library()


@register.simple_tag(takes_context=True)
def poll_results_visible(context, poll):
    """Whether the visitor may see the counts of `poll` now (`results_visible_to`).

    The one personal bit of a poll's card: the card with the results, or without them,
    is the same for everyone, so it is kept as a shared fragment keyed on this answer.
    """
    from consultations.polls.results import results_visible_to

    request = context.get("request")
    return results_visible_to(poll, getattr(request, "user", None), request)


@register.simple_tag(takes_context=True)
def poll_summary(context, poll, visible=None):
    """What the consultation page's card shows of a poll; counts only when `visible`
    (asked of `results_visible_to` when not given)."""
    from consultations.polls.results import poll_results, when_results_shown

    now = timezone.now()
    if visible is None:
        visible = poll_results_visible(context, poll)
    return {
        "is_open": poll.is_open(now),
        "has_closed": poll.has_closed(now),
        "results": poll_results(poll) if visible else None,
        "hidden_reason": None if visible else when_results_shown(poll),
    }
