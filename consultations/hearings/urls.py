"""Resident URLs of hearings; the page and its registration form are served by Wagtail
(HearingPage routes), so page view restrictions apply to them."""

from django.urls import path

from . import views

app_name = "hearings"

urlpatterns = [
    path(
        "hearings/registrations/<code:code>/",
        views.registration_detail,
        name="registration",
    ),
    path(
        "hearings/registrations/<code:code>/calendar.ics",
        views.registration_calendar,
        name="registration_calendar",
    ),
    path("hearings/registrations/<code:code>/cancel/", views.cancel, name="cancel"),
    path("my/registrations/", views.my_registrations, name="my_registrations"),
]
