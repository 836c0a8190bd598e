"""Resident-facing addresses of the suggestions capability (language-prefixed)."""

from django.urls import path

from . import views

app_name = "suggestions"

urlpatterns = [
    path("my/suggestions/", views.my_suggestions, name="mine"),
    path("suggestions/<id:pk>/support/", views.support, name="support"),
    path(
        "suggestions/<id:pk>/attachment/",
        views.suggestion_attachment,
        name="attachment",
    ),
]
