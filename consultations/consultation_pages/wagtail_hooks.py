"""Admin hooks: groups and workflows for new community pages, and the dashboard panel."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks

from consultations.consultation_pages.panels import consultations_panel_for


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
    return redirect(request.GET.get("next") or "wagtailadmin_explore_root")


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
