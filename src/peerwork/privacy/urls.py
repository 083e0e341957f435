from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("audit/", views.audit_trail, name="audit"),
    path("audit/verify/", views.audit_verify, name="audit_verify"),
]
