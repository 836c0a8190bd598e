"""Template helpers of the notifications capability: the bell and the follow button."""

from django import template

from consultations.notifications import operations

register = template.Library()


@register.inclusion_tag("consultations/notifications/bell.html", takes_context=True)
def notification_bell(context):
    """The header's bell with the unread count: one query signed in, none anonymous."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    return {"show": True, "unread": operations.unread_count(user)}


@register.inclusion_tag("consultations/notifications/follow_button.html", takes_context=True)
def follow_button(context, page, label=""):
    """Follow/unfollow for signed-in people; for the others a link to sign in and confirm."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "followed": page,
        "label": label,
        "request": request,
        "signed_in": bool(user and user.is_authenticated),
        "following": operations.is_following(user, page) if user else False,
        "csrf_token": context.get("csrf_token"),
    }
