"""Admin wiring for hearings: staff URLs, a menu item, a page-listing button, and
promotion from the waitlist when an editor adds seats and publishes."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from . import admin

admin_urlpatterns = [
    path("", admin.index, name="index"),
    path("sessions/<int:session_id>/", admin.registrants, name="registrants"),
    path("sessions/<int:session_id>/check-in/", admin.check_in, name="check_in"),
    path("sessions/<int:session_id>/speakers/", admin.speakers, name="speakers"),
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

    if page.specific_class is HearingPage and page.permissions_for_user(user).can_edit():
        yield Button(
            _("Registrants and check-in"),
            reverse("hearings_admin:index") + f"?hearing={page.pk}",
            icon_name="group",
            priority=60,
        )


@hooks.register("after_publish_page")
def promote_after_publish(request, page):
    """More seats (or a raised quota) take people off the waitlist at once."""
    from consultations.hearings.models import HearingPage
    from consultations.hearings.operations import promote_from_waitlist

    if page.specific_class is not HearingPage:
        return
    for session in page.specific.sessions.all():
        promote_from_waitlist(session, url=request.build_absolute_uri(page.url or "/"))


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
