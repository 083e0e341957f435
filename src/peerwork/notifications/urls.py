from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.index, name="index"),
    path("choices/", views.preferences, name="preferences"),
    path("jobs/", views.jobs_page, name="jobs"),
]
