from django.urls import path

from . import views

app_name = "activities"
urlpatterns = [
    path("", views.activities, name="activities"),
    path("<int:pk>/", views.activity, name="activity"),
    path("sessions/<int:pk>/", views.session, name="session"),
    path("offer/<int:pk>/", views.offer, name="offer"),
]
