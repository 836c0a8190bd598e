from django.urls import path

from . import views

app_name = "roster"
urlpatterns = [
    path("roster/verify/", views.verify, name="verify"),
    path("roster/verify/code/", views.verify_code, name="verify_code"),
]
