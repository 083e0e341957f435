from django.urls import include, path

from peerwork.accounts.views import set_language
from peerwork.api.main import api

urlpatterns = [
    path("", include("peerwork.core.urls")),
    path("account/", include("peerwork.accounts.urls")),
    path("organisation/", include("peerwork.organisations.urls")),
    path("privacy/", include("peerwork.privacy.urls")),
    path("service/", include("peerwork.service.urls")),
    path("readiness/", include("peerwork.readiness.urls")),
    path("cocreation/", include("peerwork.cocreation.urls")),
    path("groups/", include("peerwork.activities.urls")),
    path("evaluation/", include("peerwork.evaluation.urls")),
    path("coassessment/", include("peerwork.coassessment.urls")),
    path("notifications/", include("peerwork.notifications.urls")),
    path("language/", set_language, name="set_language"),
    path("api/", api.urls),
]

handler403 = "peerwork.core.errors.forbidden"
handler404 = "peerwork.core.errors.not_found"
handler500 = "peerwork.core.errors.server_error"
