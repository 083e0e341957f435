from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.index, name="index"),
    path("count/", views.count, name="count"),
    path("choices/", views.preferences, name="preferences"),
    path("jobs/", views.jobs_page, name="jobs"),
]
