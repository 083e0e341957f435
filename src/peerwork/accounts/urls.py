from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("two-step/", views.otp_verify, name="otp_verify"),
    path("two-step/set-up/", views.otp_setup, name="otp_setup"),
    path("organisation/", views.switch_organisation, name="switch_organisation"),
    path("tokens/", views.tokens, name="tokens"),
    path("two-step/recovery/", views.otp_recovery, name="otp_recovery"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person, name="person"),
    path("organisation-sign-in/callback/", views.oidc_callback, name="oidc_callback"),
    path("organisation-sign-in/invitation/<str:token>/", views.oidc_invitation, name="oidc_invitation"),
    path("organisation-sign-in/<slug:provider_id>/", views.oidc_start, name="oidc_start"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password/reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
