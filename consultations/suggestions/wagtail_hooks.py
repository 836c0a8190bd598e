"""Admin wiring: the moderation queue in the menu, its URLs and the audit-log actions."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets.button import Button

from consultations.permissions import (
    can_moderate_suggestions,
    can_see_suggestion_queue,
    may_assist_residents,
    suggestions_user_can_moderate,
)
from consultations.suggestions.models import Suggestion, SuggestionFormPage

from . import admin, operations

admin_urlpatterns = [
    path("", admin.queue, name="queue"),
    path("<id:pk>/", admin.detail, name="detail"),
    path("assisted/<id:page_id>/", admin.assisted_submit, name="assisted_submit"),
    path(
        "export/<id:page_id>/<str:file_format>/",
        admin.export,
        name="export",
    ),
]


@hooks.register("register_admin_urls")
def register_suggestion_admin_urls():
    return [
        path(
            "suggestions/",
            include((admin_urlpatterns, "suggestions_admin"), namespace="suggestions_admin"),
        )
    ]


class SuggestionsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_suggestion_queue(request.user)


@hooks.register("register_admin_menu_item")
def register_suggestions_menu_item():
    return SuggestionsMenuItem(
        _("Suggestions"),
        reverse("suggestions_admin:queue"),
        name="suggestions",
        icon_name="comment",
        order=250,
    )


@hooks.register("register_page_listing_more_buttons")
def suggestion_page_buttons(page, user, next_url=None):
    if page.specific_class is SuggestionFormPage and can_moderate_suggestions(user, page):
        yield Button(
            _("Suggestions"),
            reverse("suggestions_admin:queue") + f"?status=&page_id={page.pk}",
            icon_name="comment",
            priority=35,
        )
        if may_assist_residents(user):
            yield Button(
                _("Submit for a resident at the office"),
                reverse("suggestions_admin:assisted_submit", args=[page.pk]),
                icon_name="user",
                priority=36,
            )


@hooks.register("register_log_actions")
def register_suggestion_log_actions(actions):
    """Every moderation decision is kept in Wagtail's audit log."""
    actions.register_action(
        "consultations.suggestions.submit", _("Submit suggestion"), _("Suggestion submitted")
    )
    actions.register_action(
        "consultations.suggestions.assisted_submit",
        _("Submit suggestion for a resident at the office"),
        _("Suggestion submitted at the office for a resident"),
    )
    actions.register_action(
        "consultations.suggestions.publish", _("Publish suggestion"), _("Suggestion published")
    )
    actions.register_action(
        "consultations.suggestions.reject", _("Reject suggestion"), _("Suggestion rejected")
    )
    actions.register_action(
        "consultations.suggestions.merge", _("Merge suggestion"), _("Suggestion merged")
    )
    actions.register_action(
        "consultations.suggestions.answer", _("Answer suggestion"), _("Suggestion answered")
    )
    actions.register_action(
        "consultations.suggestions.delete", _("Delete suggestion"), _("Suggestion deleted")
    )


class SuggestionsHomePanel(Component):
    """On the admin dashboard: how many suggestions wait for moderation or an answer."""

    name = "suggestions_to_handle"
    order = 120
    template_name = "consultations/suggestions/admin/home_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        suggestions = suggestions_user_can_moderate(self.request.user)
        return {
            "pending": suggestions.filter(status=Suggestion.Status.PENDING).count(),
            "awaiting": suggestions.filter(
                status=Suggestion.Status.PUBLISHED, answer_status=""
            ).count(),
            "queue_url": reverse("suggestions_admin:queue"),
            "awaiting_value": operations.AWAITING,
        }


@hooks.register("construct_homepage_panels")
def add_suggestions_home_panel(request, panels):
    if can_see_suggestion_queue(request.user):
        panels.append(SuggestionsHomePanel(request))
