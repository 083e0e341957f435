from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("export.csv", views.export, name="export"),
    path("pulse/", views.pulse, name="pulse"),
]
