from django.urls import path

from . import views

app_name = "cocreation"
urlpatterns = [
    path("", views.index, name="index"),
    path("initiatives/", views.initiatives, name="initiatives"),
    path("initiatives/new/", views.initiative_new, name="initiative_new"),
    path("initiatives/<int:pk>/", views.initiative, name="initiative"),
    path("initiatives/<int:pk>/contributions/new/", views.contribution_add, name="contribution_add"),
    path("phases/<int:pk>/", views.phase_edit, name="phase_edit"),
    path("phases/<int:pk>/participants/new/", views.participant_add, name="participant_add"),
    path("participants/<int:pk>/remove/", views.participant_remove, name="participant_remove"),
    path("contributions/<int:pk>/decide/", views.contribution_decide, name="contribution_decide"),
    path("you-said-we-did/", views.you_said_we_did, name="you_said_we_did"),
    path("settings/", views.policy, name="settings"),
    path("boards/", views.boards, name="boards"),
    path("boards/new/", views.board_new, name="board_new"),
    path("boards/<int:pk>/", views.board, name="board"),
    path("boards/<int:pk>/seats/new/", views.seat_add, name="seat_add"),
    path("boards/<int:pk>/meetings/new/", views.meeting_add, name="meeting_add"),
    path("seats/<int:pk>/", views.seat_edit, name="seat_edit"),
    path("seats/<int:pk>/remove/", views.seat_remove, name="seat_remove"),
    path("meetings/<int:pk>/decisions/new/", views.decision_add, name="decision_add"),
    path("signals/", views.signals, name="signals"),
    path("signals/new/", views.signal_new, name="signal_new"),
    path("signals/<int:pk>/", views.signal, name="signal"),
    path("signals/<int:pk>/acknowledge/", views.signal_acknowledge, name="signal_acknowledge"),
    path("signals/<int:pk>/decision/", views.signal_decide, name="signal_decide"),
    path("signals/<int:pk>/outcome/", views.signal_close, name="signal_close"),
]
