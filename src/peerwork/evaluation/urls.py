from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "evaluation"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="evaluation:dashboard"), name="index"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("export.csv", views.export, name="export"),
    path("pulse/", views.pulse, name="pulse"),
]
