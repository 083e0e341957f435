from django.urls import path

from .views import boards, contributions, initiatives, signals

app_name = "cocreation"
urlpatterns = [
    path("", initiatives.index, name="index"),
    path("initiatives/", initiatives.initiatives, name="initiatives"),
    path("initiatives/new/", initiatives.initiative_new, name="initiative_new"),
    path("initiatives/<int:pk>/", initiatives.initiative, name="initiative"),
    path("initiatives/<int:pk>/contributions/new/", contributions.contribution_add, name="contribution_add"),
    path("phases/<int:pk>/", initiatives.phase_edit, name="phase_edit"),
    path("phases/<int:pk>/participants/new/", initiatives.participant_add, name="participant_add"),
    path("participants/<int:pk>/remove/", initiatives.participant_remove, name="participant_remove"),
    path("initiatives/<int:pk>/co-owners/new/", initiatives.co_owner_add, name="co_owner_add"),
    path("co-owners/<int:pk>/remove/", initiatives.co_owner_remove, name="co_owner_remove"),
    path("contributions/<int:pk>/decide/", contributions.contribution_decide, name="contribution_decide"),
    path("you-said-we-did/", contributions.you_said_we_did, name="you_said_we_did"),
    path("settings/", initiatives.policy, name="settings"),
    path("boards/", boards.boards, name="boards"),
    path("boards/new/", boards.board_new, name="board_new"),
    path("boards/<int:pk>/", boards.board, name="board"),
    path("boards/<int:pk>/confirm/", boards.board_confirm, name="board_confirm"),
    path("boards/<int:pk>/seats/new/", boards.seat_add, name="seat_add"),
    path("boards/<int:pk>/meetings/new/", boards.meeting_add, name="meeting_add"),
    path("seats/<int:pk>/", boards.seat_edit, name="seat_edit"),
    path("seats/<int:pk>/remove/", boards.seat_remove, name="seat_remove"),
    path("meetings/<int:pk>/decisions/new/", boards.decision_add, name="decision_add"),
    path("signals/", signals.signals, name="signals"),
    path("signals/new/", signals.signal_new, name="signal_new"),
    path("signals/<int:pk>/", signals.signal, name="signal"),
    path("signals/<int:pk>/acknowledge/", signals.signal_acknowledge, name="signal_acknowledge"),
    path("signals/<int:pk>/decision/", signals.signal_decide, name="signal_decide"),
    path("signals/<int:pk>/outcome/", signals.signal_close, name="signal_close"),
]
