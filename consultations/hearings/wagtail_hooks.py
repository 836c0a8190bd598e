"""Admin wiring for hearings: staff URLs, a menu item, a page-listing button and the
audit-log actions. (Promotion from the waitlist when seats are added follows every
publication, however it happens: see signals.py.)"""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from . import admin

admin_urlpatterns = [
    path("", admin.index, name="index"),
    path("sessions/<id:session_id>/", admin.registrants, name="registrants"),
    path("sessions/<id:session_id>/check-in/", admin.check_in, name="check_in"),
    path("sessions/<id:session_id>/speakers/", admin.speakers, name="speakers"),
    path("sessions/<id:session_id>/assisted/", admin.assisted_register, name="assisted_register"),
]


@hooks.register("register_admin_urls")
def register_hearing_admin_urls():
    return [path("hearings/", include((admin_urlpatterns, "hearings_admin")))]


@hooks.register("register_admin_menu_item")
def register_hearings_menu_item():
    return MenuItem(
        _("Public hearings"), reverse("hearings_admin:index"), icon_name="group", order=250
    )


@hooks.register("register_page_listing_more_buttons")
def hearing_registrants_button(page, user, next_url=None):
    from consultations.hearings.models import HearingPage
    from consultations.permissions import can_manage_registrations

    if page.specific_class is HearingPage and can_manage_registrations(user, page):
        yield Button(
            _("Registrants and check-in"),
            reverse("hearings_admin:index") + f"?hearing={page.pk}",
            icon_name="group",
            priority=60,
        )


@hooks.register("register_log_actions")
def register_hearing_log_actions(actions):
    """Staff actions on registrations are kept in Wagtail's audit log."""
    actions.register_action(
        "consultations.hearings.check_in", _("Check in"), _("Registration checked in")
    )
    actions.register_action(
        "consultations.hearings.assisted_register",
        _("Register a resident at the office"),
        _("Resident registered at the office"),
    )
    actions.register_action(
        "consultations.hearings.cancel", _("Cancel registration"), _("Registration cancelled")
    )
    actions.register_action(
        "consultations.hearings.arrange_speakers",
        _("Arrange speakers"),
        _("Speakers' list arranged"),
    )


@hooks.register("before_delete_page")
def keep_hearings_with_registrations(request, page):
    """Registrations are the record of who took part (and feed the ledger): a hearing
    (or a consultation holding one) with registrations is unpublished, not deleted."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from consultations.hearings.models import Registration

    if Registration.objects.filter(session__page__path__startswith=page.path).exists():
        messages.error(
            request,
            _(
                "This page holds hearing registrations and cannot be deleted. "
                "Unpublish it instead; the registrations stay on record."
            ),
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None
