from django.urls import path

from . import views, views_analysis, views_exchange, views_report, views_survey

app_name = "coassessment"
urlpatterns = [
    path("", views.coassessment_list, name="list"),
    path("new/", views.coassessment_new, name="new"),
    path("<int:pk>/", views.coassessment_detail, name="detail"),
    path("<int:pk>/next-step/", views.coassessment_advance, name="advance"),
    path("<int:pk>/plan/", views.coassessment_plan, name="plan"),
    path("<int:pk>/team/", views.coassessment_team, name="team"),
    path("<int:pk>/reflexivity/", views.coassessment_reflexivity, name="reflexivity"),
    path("<int:pk>/guides/", views.coassessment_guides, name="guides"),
    path("guides/<int:pk>/", views.guide_edit, name="guide"),
    path("<int:pk>/participants/", views.coassessment_participants, name="participants"),
    path("<int:pk>/ethics/", views.coassessment_ethics, name="ethics"),
    path("<int:pk>/name-key/", views.coassessment_name_key, name="name_key"),
    path("<int:pk>/material/new/", views.material_new, name="material_new"),
    path("material/<int:pk>/", views.material_coding, name="coding"),
    path("codings/<int:pk>/undo/", views.coding_undo, name="uncode"),
    path("segments/<int:pk>/remove/", views.segment_remove, name="segment_remove"),
    path("<int:pk>/codebook/", views.codebook, name="codebook"),
    path("codes/<int:pk>/rename/", views.code_rename, name="code_rename"),
    path("codes/<int:pk>/remove/", views.code_remove, name="code_remove"),
    path("participants/<int:pk>/withdraw/", views.participant_withdraw, name="withdraw"),
    path("export-reminders/<int:pk>/done/", views.export_reminder_done, name="export_reminder_done"),
    path("<int:pk>/exchange/", views_exchange.exchange_page, name="exchange"),
    path("<int:pk>/exchange/project.qdpx", views_exchange.export_project, name="export_project"),
    path("<int:pk>/exchange/codebook.qdc", views_exchange.export_codebook, name="export_codebook"),
    path("<int:pk>/compare/", views_exchange.compare, name="compare"),
    path("<int:pk>/compare/now/", views_exchange.compare_now, name="compare_now"),
    path("<int:pk>/compare/differences/", views_exchange.disagreements, name="disagreements"),
    # The guided analysis (views_analysis.py)
    path("<int:pk>/analysis/<int:step>/", views_analysis.analysis_step, name="analysis_step"),
    path("<int:pk>/analysis/undo/", views_analysis.analysis_undo, name="analysis_undo"),
    path("<int:pk>/analysis/trail/", views_analysis.analysis_trail, name="analysis_trail"),
    path("<int:pk>/findings/", views_analysis.analysis_findings, name="analysis_findings"),
    path("you-said-we-did/", views_analysis.you_said_we_did, name="you_said"),
    # The report (views_report.py)
    path("<int:pk>/report/", views_report.report_page, name="report"),
    path("<int:pk>/report.pdf", views_report.report_pdf, name="report_pdf"),
    # Peer-led surveys (views_survey.py)
    path("surveys/", views_survey.survey_list, name="surveys"),
    path("surveys/new/", views_survey.survey_new, name="survey_new"),
    path("surveys/<int:pk>/", views_survey.survey_detail, name="survey"),
    path("surveys/<int:pk>/answer/", views_survey.survey_answer, name="survey_answer"),
    path("surveys/<int:pk>/results/", views_survey.survey_results, name="survey_results"),
    path("surveys/<int:pk>/results.csv", views_survey.survey_export, name="survey_export"),
    path("surveys/link/<str:token>/", views_survey.survey_link, name="survey_link"),
]
