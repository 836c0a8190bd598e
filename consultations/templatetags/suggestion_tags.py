"""`{% load suggestion_tags %}`: the published suggestions of a suggestion form, with counts.

Used by the suggestion form page and by its card on the consultation page, so residents
see the answers where they read about the consultation (三(五): feedback).
"""

from django import template

from consultations.suggestions.operations import suggestion_board as build_board

register = template.Library()


@register.inclusion_tag("consultations/suggestions/includes/board.html", takes_context=True)
def suggestion_board(context, page, per_page=5, heading_level=3):
    """The board of `page`, with query parameters namespaced by the page id."""
    board = build_board(page, context.get("request"), prefix=f"s{page.pk}-", per_page=per_page)
    return {"board": board, "request": context.get("request"), "heading_level": heading_level}
