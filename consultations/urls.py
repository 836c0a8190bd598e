"""Resident-facing views that are not pages. Capabilities add their own url modules here."""

urlpatterns = []
