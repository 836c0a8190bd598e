from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("follow/<id:page_id>/", views.follow, name="follow"),
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/settings/", views.preferences, name="preferences"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
