from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("audit/", views.audit_trail, name="audit"),
    path("audit/verify/", views.audit_verify, name="audit_verify"),
    path("consent/", views.consent_people, name="consents"),
    path("consent/<int:service_user_id>/", views.consent, name="consent"),
    path("consents/<int:consent_id>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("shared/", views.shared, name="shared"),
]
