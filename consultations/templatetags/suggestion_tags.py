"""`{% load suggestion_tags %}`: the published suggestions of a suggestion form, with counts.

Used by the suggestion form page and by its card on the consultation page, so residents
see the answers where they read about the consultation (三(五): feedback).
"""

from django import template

from consultations.suggestions.operations import suggestion_board as build_board

register = template.Library()


@register.inclusion_tag("consultations/suggestions/includes/board.html", takes_context=True)
def suggestion_board(context, page, per_page=5, heading_level=3, overview=False):
    """The board of `page`, with query parameters namespaced by the page id.

    `overview`: the newest suggestions with their support and answers, the same for every
    visitor (no filters, no support buttons: those are on the suggestion form's own page),
    so that the consultation page can keep its card as a shared fragment.
    """
    request = context.get("request")
    board = build_board(
        page, None if overview else request, prefix=f"s{page.pk}-", per_page=per_page
    )
    return {
        "board": board,
        "request": request,
        "heading_level": heading_level,
        "overview": overview,
    }
