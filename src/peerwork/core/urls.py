from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("health/ready/", views.ready, name="ready"),
    path("sources/", views.sources_page, name="sources"),
]
