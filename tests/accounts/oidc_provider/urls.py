from django.contrib.auth import get_user_model, login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import include, path
from django.utils.html import escape


def sign_in(request: HttpRequest) -> HttpResponse:
    """The provider's own sign-in, reduced to its outcome: the person named in ``username`` has signed in. A
    browser that arrives without a name gets a one-field form asking for it."""
    if "username" not in request.GET:
        return HttpResponse(
            '<!doctype html><html lang="en"><head><title>Provider sign-in</title><link rel="icon" href="data:,">'
            "</head><body><main>"
            "<h1>Sign in at your organisation</h1>"
            f'<form method="get"><input type="hidden" name="next" value="{escape(request.GET.get("next", "/"))}">'
            '<label for="u">User name at the provider</label> <input id="u" name="username">'
            ' <button type="submit">Sign in</button></form></main></body></html>'
        )
    user, _created = get_user_model().objects.get_or_create(username=request.GET["username"])
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return HttpResponseRedirect(request.GET.get("next", "/"))


def subject_of(request: HttpRequest) -> HttpResponse:
    """The subject (``sub``) the provider gives a person: what its administrators would look up."""
    user, _created = get_user_model().objects.get_or_create(username=request.GET["username"])
    return HttpResponse(str(user.pk))


urlpatterns = [
    path("login/", sign_in),
    path("subject/", subject_of),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
