"""Admin wiring of polls: staff URLs, a "Poll" button on poll pages, audit log actions."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from consultations.permissions import can_manage_poll
from consultations.polls.models import PollPage

from . import admin

app_name = "polls_admin"
admin_patterns = [
    path("<id:poll_id>/", admin.dashboard, name="dashboard"),
    path("<id:poll_id>/codes/new/", admin.new_code_batch, name="new_code_batch"),
    path("<id:poll_id>/codes/<id:batch_id>/", admin.code_sheet, name="code_sheet"),
    path(
        "<id:poll_id>/codes/<id:batch_id>/reprint/",
        admin.approve_code_reprint,
        name="approve_code_reprint",
    ),
    path("<id:poll_id>/codes/void/", admin.void_code_list, name="void_codes"),
    path("<id:poll_id>/paper/new/", admin.new_paper_tally, name="new_paper_tally"),
    path(
        "<id:poll_id>/paper/<id:tally_id>/confirm/",
        admin.confirm_tally,
        name="confirm_paper_tally",
    ),
    path("<id:poll_id>/assisted/", admin.assisted_vote, name="assisted_vote"),
    path("<id:poll_id>/assisted/roster/", admin.roster_assisted_vote, name="roster_assisted_vote"),
    path("<id:poll_id>/codes/per-person/", admin.issue_person_codes, name="issue_person_codes"),
    path("<id:poll_id>/export.<str:file_format>", admin.export_results, name="export"),
    path("<id:poll_id>/publish/", admin.publish, name="publish"),
]


@hooks.register("register_admin_urls")
def register_poll_admin_urls():
    return [path("polls/", include((admin_patterns, app_name), namespace=app_name))]


def _poll_button(page, user, priority):
    specific_class = page.specific_class
    if specific_class is PollPage and can_manage_poll(user, page):
        yield Button(
            _("Poll: votes, codes, paper tallies"),
            reverse("polls_admin:dashboard", args=[page.pk]),
            icon_name="list-ul",
            priority=priority,
        )


@hooks.register("register_page_header_buttons")
def poll_header_button(page, user, view_name=None, next_url=None):
    yield from _poll_button(page, user, 12)


@hooks.register("register_page_listing_more_buttons")
def poll_listing_button(page, user, next_url=None):
    yield from _poll_button(page, user, 5)


@hooks.register("register_log_actions")
def register_poll_log_actions(actions):
    actions.register_action(
        "consultations.polls.publish_results",
        _("Publish poll results"),
        _("Poll results published"),
    )
    actions.register_action(
        "consultations.polls.generate_codes",
        _("Generate voting codes"),
        _("Voting codes generated"),
    )
    actions.register_action(
        "consultations.polls.paper_tally", _("Enter paper tally"), _("Paper tally entered")
    )
    actions.register_action(
        "consultations.polls.assisted_vote",
        _("Record an assisted vote"),
        _("Assisted vote recorded"),
    )
    actions.register_action(
        "consultations.polls.print_codes", _("Print voting codes"), _("Voting codes printed")
    )
    actions.register_action(
        "consultations.polls.approve_reprint",
        _("Approve a reprint of voting codes"),
        _("Reprint of voting codes approved"),
    )
    actions.register_action(
        "consultations.polls.void_codes", _("Void voting codes"), _("Voting codes voided")
    )
    actions.register_action(
        "consultations.polls.confirm_paper_tally",
        _("Confirm paper tally"),
        _("Paper tally confirmed"),
    )
    actions.register_action(
        "consultations.polls.repair_option_ids",
        _("Repair option ids"),
        _("Option ids repaired"),
    )
