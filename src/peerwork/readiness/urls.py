from django.urls import path

from . import views

app_name = "readiness"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("rounds/new/", views.start_round, name="start_round"),
    path("rounds/<int:pk>/", views.round_results, name="round"),
    path("rounds/<int:pk>/links/", views.add_links, name="add_links"),
    path("rounds/<int:pk>/status/", views.round_status, name="round_status"),
    path("questions/", views.questions, name="questions"),
    path("questions/<int:pk>/active/", views.question_toggle, name="question_toggle"),
    path("answer/", views.my_rounds, name="my_rounds"),
    path("answer/<int:pk>/review/", views.review, name="review"),
    path("answer/<int:pk>/<str:domain>/", views.answer, name="answer"),
    path("a/<str:token>/", views.link_start, name="link_start"),
    path("a/<str:token>/review/", views.link_review, name="link_review"),
    path("a/<str:token>/<str:domain>/", views.link_answer, name="link_answer"),
    path("checks/", views.checks_page, name="checks"),
    path("risks/", views.risks, name="risks"),
    path("risks/<int:unit_id>/", views.risk_register, name="risk_register"),
    path("risks/<int:unit_id>/<str:code>/", views.risk_edit, name="risk_edit"),
    path("actions/", views.action_plan, name="actions"),
    path("actions/new/", views.action_new, name="action_new"),
    path("actions/<int:pk>/", views.action_edit, name="action"),
    path("roles/", views.roles, name="roles"),
    path("roles/new/", views.role_new, name="role_new"),
    path("roles/<int:pk>/", views.role, name="role"),
    path("roles/<int:pk>/edit/", views.role_edit, name="role_edit"),
    path("roles/versions/<int:pk>/print/", views.role_print, name="role_print"),
    path("orientation/", views.orientation_list, name="orientation"),
    path("orientation/<int:position_id>/", views.orientation_edit, name="orientation_edit"),
    path("briefings/", views.briefings, name="briefings"),
    path("my-placement/", views.my_placement, name="my_placement"),
    path("my-placement/<int:pk>/remove/", views.withdraw_declaration, name="withdraw_declaration"),
    path("report/", views.board_report, name="report"),
    path("report.pdf", views.board_report_pdf, name="report_pdf"),
]
