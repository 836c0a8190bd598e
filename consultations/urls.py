"""Resident-facing views that are not pages. Capabilities add their own url modules here."""

from django.urls import include, path

urlpatterns = [
    path("", include("consultations.consultation_pages.urls")),
    path("", include("consultations.hearings.urls")),
    path("", include("consultations.suggestions.urls")),
    path("", include("consultations.outcomes.urls")),
    path("", include("consultations.roster.urls")),
    path("", include("consultations.notifications.urls")),
]
