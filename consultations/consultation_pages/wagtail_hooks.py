"""Admin hooks: groups and workflows for new community pages, and the dashboard panel."""

from wagtail import hooks

from consultations.consultation_pages.panels import consultations_panel_for


@hooks.register("after_create_page")
def set_up_community_pages(request, page):
    """A new community or area page gets its staff groups and workflow at once."""
    from consultations.models import CommunityIndexPage, CommunityPage
    from consultations.workflows import ensure_area_setup, ensure_community_setup

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
