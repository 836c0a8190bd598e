"""Admin hooks: groups and workflows for new community pages, and the dashboard panel."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from consultations.consultation_pages import admin
from consultations.consultation_pages.panels import consultations_panel_for
from home.links import local_next


@hooks.register("after_create_page")
def set_up_community_pages(request, page):
    """A new community or area page gets its staff groups and workflow at once."""
    from consultations.communities.operations import ensure_area_setup, ensure_community_setup
    from consultations.models import CommunityIndexPage, CommunityPage

    specific = page.specific
    if isinstance(specific, CommunityPage):
        ensure_community_setup(specific)
    elif isinstance(specific, CommunityIndexPage):
        ensure_area_setup(specific)


@hooks.register("construct_homepage_panels")
def add_consultations_panel(request, panels):
    panel = consultations_panel_for(request.user)
    if panel is not None:
        panels.append(panel)


@hooks.register("before_bulk_action")
def refuse_bulk_publish_breaking_notice_rules(request, action_type, objects, action):
    """Bulk "publish" skips the edit form, so apply the advance-notice rules here too."""
    if action_type != "publish":
        return None
    from consultations.consultation_pages.forms import dates_differ_from_live, rules_for_page
    from consultations.models import ConsultationPage

    refused = []
    for page in objects:
        specific = page.specific
        if not isinstance(specific, ConsultationPage):
            continue
        draft = specific.get_latest_revision_as_object()
        if dates_differ_from_live(specific, draft) and draft.notice_rule_errors(
            rules_for_page(specific)
        ):
            refused.append(specific.get_admin_display_title())
    if not refused:
        return None
    messages.error(
        request,
        _("Not published: %(titles)s break the advance-notice rules. Open each to fix its dates.")
        % {"titles": "、".join(refused)},
    )
    return redirect(
        local_next(request, request.GET.get("next"), reverse("wagtailadmin_explore_root"))
    )


@hooks.register("register_log_actions")
def register_review_bundle_log_actions(actions):
    """An attached page's history names the consultation review it went through."""
    actions.register_action(
        "consultations.consultation_pages.bundle_submit",
        gettext_lazy("Submitted with its consultation"),
        gettext_lazy("Submitted for review together with its consultation"),
    )
    actions.register_action(
        "consultations.consultation_pages.bundle_publish",
        gettext_lazy("Published with its consultation"),
        gettext_lazy("Published when its consultation's review was approved"),
    )


# --- new consultation from a template ------------------------------------------------------


@hooks.register("register_admin_urls")
def register_new_consultation_url():
    return [path("consultations/new/", admin.new_consultation, name="consultations_new")]


class NewConsultationMenuItem(MenuItem):
    def is_shown(self, request):
        from consultations.permissions import may_start_consultations

        return may_start_consultations(request.user)


@hooks.register("register_admin_menu_item")
def register_new_consultation_menu_item():
    return NewConsultationMenuItem(
        gettext_lazy("New consultation"),
        reverse("consultations_new"),
        icon_name="doc-full-inverse",
        order=150,
    )


@hooks.register("register_page_listing_buttons")
def new_consultation_button(page, user, next_url=None):
    """On a community or township in the page explorer: start a consultation below it."""
    from consultations.models import CommunityIndexPage, CommunityPage
    from consultations.permissions import can_start_consultation

    if page.specific_class in (CommunityPage, CommunityIndexPage) and can_start_consultation(
        user, page
    ):
        yield Button(
            gettext_lazy("New consultation"),
            reverse("consultations_new") + f"?parent={page.pk}",
            icon_name="doc-full-inverse",
            priority=15,
        )
