from django.urls import path

from .views import actions, answering, board_report, job_descriptions, orientation, results, risks, rounds

app_name = "readiness"
urlpatterns = [
    path("", rounds.overview, name="overview"),
    path("rounds/new/", rounds.start_round, name="start_round"),
    path("rounds/<int:pk>/", results.round_results, name="round"),
    path("rounds/<int:pk>/links/", rounds.add_links, name="add_links"),
    path("rounds/<int:pk>/status/", rounds.round_status, name="round_status"),
    path("questions/", rounds.questions, name="questions"),
    path("questions/<int:pk>/active/", rounds.question_toggle, name="question_toggle"),
    path("answer/", answering.my_rounds, name="my_rounds"),
    path("answer/<int:pk>/review/", answering.review, name="review"),
    path("answer/<int:pk>/<str:domain>/", answering.answer, name="answer"),
    path("a/<str:token>/", answering.link_start, name="link_start"),
    path("a/<str:token>/review/", answering.link_review, name="link_review"),
    path("a/<str:token>/<str:domain>/", answering.link_answer, name="link_answer"),
    path("checks/", results.checks_page, name="checks"),
    path("risks/", risks.risks, name="risks"),
    path("risks/<int:unit_id>/", risks.risk_register, name="risk_register"),
    path("risks/<int:unit_id>/<str:code>/", risks.risk_edit, name="risk_edit"),
    path("actions/", actions.action_plan, name="actions"),
    path("actions/new/", actions.action_new, name="action_new"),
    path("actions/<int:pk>/", actions.action_edit, name="action"),
    path("roles/", job_descriptions.roles, name="roles"),
    path("roles/new/", job_descriptions.role_new, name="role_new"),
    path("roles/<int:pk>/", job_descriptions.role, name="role"),
    path("roles/<int:pk>/edit/", job_descriptions.role_edit, name="role_edit"),
    path("roles/versions/<int:pk>/print/", job_descriptions.role_print, name="role_print"),
    path("orientation/", orientation.orientation_list, name="orientation"),
    path("orientation/<int:position_id>/", orientation.orientation_edit, name="orientation_edit"),
    path("briefings/", orientation.briefings, name="briefings"),
    path("my-placement/", orientation.my_placement, name="my_placement"),
    path("my-placement/<int:pk>/remove/", orientation.withdraw_declaration, name="withdraw_declaration"),
    path("report/", board_report.board_report, name="report"),
    path("report.pdf", board_report.board_report_pdf, name="report_pdf"),
]
