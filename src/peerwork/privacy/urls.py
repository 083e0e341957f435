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
    path("people/", views.people, name="people"),
    path("people/<int:service_user_id>/", views.person, name="person"),
    path("people/<int:service_user_id>/export/", views.export_html, name="export_html"),
    path("people/<int:service_user_id>/export.json", views.export_json, name="export_json"),
    path("people/<int:service_user_id>/export.pdf", views.export_pdf, name="export_pdf"),
    path("people/<int:service_user_id>/rectify/", views.rectify, name="rectify"),
    path("people/<int:service_user_id>/anonymise/", views.anonymise, name="anonymise"),
    path("people/<int:service_user_id>/access/", views.access_report, name="access_report"),
    path("people/<int:service_user_id>/access.csv", views.access_report_csv, name="access_report_csv"),
    path("retention/", views.retention_page, name="retention"),
    path("retention/run/", views.retention_run, name="retention_run"),
    path("evaluation/", views.evaluation, name="evaluation"),
    path("evaluation/<int:export_id>/extract.json", views.evaluation_download, name="evaluation_download"),
    path("evaluation/<int:export_id>/key/", views.evaluation_key, name="evaluation_key"),
    path("evaluation/<int:export_id>/key/delete/", views.evaluation_key_delete, name="evaluation_key_delete"),
    path("who-looked-at-my-work/", views.who_looked, name="who_looked"),
    path("my-evaluation-consent/", views.my_evaluation_consent, name="my_evaluation_consent"),
]
