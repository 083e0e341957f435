from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("", views.units, name="units"),
    path("positions/<int:pk>/", views.position, name="position"),
]
