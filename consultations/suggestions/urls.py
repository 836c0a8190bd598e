"""Resident-facing addresses of the suggestions capability (language-prefixed)."""

from django.urls import path

from . import views

urlpatterns = [
    path("my/suggestions/", views.my_suggestions, name="my_suggestions"),
    path(
        "suggestions/<int:pk>/attachment/",
        views.suggestion_attachment,
        name="suggestion_attachment",
    ),
]
