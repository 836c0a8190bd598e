"""Residents' own pages: my participation, profile, privacy notice, download, delete."""

from django.urls import path

from . import views

app_name = "residents"

urlpatterns = [
    path("my/", views.participation, name="participation"),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/profile/data.json", views.download_data, name="download"),
    path("accounts/profile/delete/", views.delete_account, name="delete"),
    path("privacy/", views.privacy_notice, name="privacy"),
]
