from django.urls import path

from . import views

app_name = "service"
urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("queue/", views.queue, name="queue"),
    path("waiting-list/", views.waiting_list, name="waiting_list"),
    path("referrals/new/", views.referral_new, name="referral_new"),
    path("referrals/<int:pk>/", views.referral, name="referral"),
    path("referrals/<int:pk>/propose/", views.propose, name="propose"),
    path("referrals/<int:pk>/close/", views.referral_close, name="referral_close"),
    path("referrals/<int:pk>/conflict/", views.declare_conflict, name="declare_conflict"),
    path("proposals/<int:pk>/choice/", views.record_choice, name="record_choice"),
    path("engagements/<int:pk>/", views.engagement, name="engagement"),
    path("engagements/<int:pk>/contacts/new/", views.contact_new, name="contact_new"),
    path("engagements/<int:pk>/goals/new/", views.goal_new, name="goal_new"),
    path("engagements/<int:pk>/review/", views.review, name="review"),
    path("engagements/<int:pk>/close/", views.engagement_close, name="engagement_close"),
    path("engagements/<int:pk>/handover/", views.handover, name="handover"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("goals/<int:pk>/rate/", views.goal_rate, name="goal_rate"),
    path("goals/<int:pk>/finish/", views.goal_finish, name="goal_finish"),
    path("contact/", views.quick_add, name="quick_add"),
    path("caseload/", views.caseload, name="caseload"),
    path("workload/", views.my_workload, name="my_workload"),
    path("profile/", views.my_profile, name="my_profile"),
    path("availability/", views.my_availability, name="my_availability"),
    path("guidance/", views.guidance_due, name="guidance_due"),
    path("my-guidance/", views.my_guidance, name="my_guidance"),
    path("peer-workers/<int:user_id>/caseload/", views.caseload_of, name="caseload_of"),
    path("peer-workers/<int:user_id>/workload/", views.workload_of, name="workload"),
    path("peer-workers/<int:user_id>/guidance/", views.guidance, name="guidance"),
    path("peer-workers/<int:user_id>/profile/", views.profile, name="profile"),
    path("peer-workers/<int:user_id>/availability/", views.availability, name="availability"),
    path("settings/", views.settings_page, name="settings"),
]
