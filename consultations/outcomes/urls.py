"""Public outcome views: the implementation tracker, and feeds (following is the notifications capability's)."""

from django.urls import path

from . import feeds, views

app_name = "outcomes"

urlpatterns = [
    path("implementation/", views.tracker, name="tracker"),
    path("implementation/<id:community_id>/", views.tracker, name="community_tracker"),
    path("feeds/outcomes/atom/", feeds.OutcomeAtomFeed(), name="atom"),
    path("feeds/outcomes/rss/", feeds.OutcomeRssFeed(), name="rss"),
]
