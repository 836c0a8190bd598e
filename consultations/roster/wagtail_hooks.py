"""Admin wiring of the roster: staff URLs, the "Roster" menu item, audit log actions."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from consultations.permissions import roster_communities

from . import admin

app_name = "roster_admin"
admin_patterns = [
    path("", admin.index, name="index"),
    path("<id:community_id>/", admin.community_roster, name="roster"),
    path("<id:community_id>/new/", admin.edit_person, name="add"),
    path("<id:community_id>/<id:person_id>/", admin.edit_person, name="edit"),
    path("<id:community_id>/<id:person_id>/link/", admin.office_link, name="link"),
    path("<id:community_id>/<id:person_id>/unlink/", admin.unlink, name="unlink"),
    path("<id:community_id>/import/", admin.upload, name="upload"),
    path("<id:community_id>/import/<id:import_id>/", admin.import_preview, name="import_preview"),
    path("<id:community_id>/export.<str:file_format>", admin.export, name="export"),
]


@hooks.register("register_admin_urls")
def register_roster_admin_urls():
    return [path("roster/", include((admin_patterns, app_name), namespace=app_name))]


class RosterMenuItem(MenuItem):
    def is_shown(self, request):
        return roster_communities(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_roster_menu_item():
    return RosterMenuItem(
        _("Resident roster"), reverse("roster_admin:index"), icon_name="group", order=260
    )


@hooks.register("register_log_actions")
def register_roster_log_actions(actions):
    actions.register_action("consultations.roster.view", _("View the roster"), _("Roster viewed"))
    actions.register_action(
        "consultations.roster.export", _("Export the roster"), _("Roster exported")
    )
    actions.register_action(
        "consultations.roster.import", _("Import a roster file"), _("Roster file imported")
    )
    actions.register_action(
        "consultations.roster.add", _("Add a roster entry"), _("Roster entry added")
    )
    actions.register_action(
        "consultations.roster.change", _("Change a roster entry"), _("Roster entry changed")
    )
    actions.register_action(
        "consultations.roster.link", _("Link an account to the roster"), _("Account linked")
    )
    actions.register_action(
        "consultations.roster.unlink", _("Unlink an account"), _("Account unlinked")
    )
