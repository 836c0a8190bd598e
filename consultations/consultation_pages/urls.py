from django.urls import path

from . import views
from .feeds import ConsultationAtomFeed, ConsultationFeed

app_name = "consultation_pages"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("feeds/consultations/rss/", ConsultationFeed(), name="feed_rss"),
    path("feeds/consultations/atom/", ConsultationAtomFeed(), name="feed_atom"),
    path(
        "feeds/consultations/<id:community_id>/rss/",
        ConsultationFeed(),
        name="feed_rss_community",
    ),
    path(
        "feeds/consultations/<id:community_id>/atom/",
        ConsultationAtomFeed(),
        name="feed_atom_community",
    ),
]
