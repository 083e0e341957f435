"""Peerwork's API: thin routers over the same selectors and services the pages use."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger

from peerwork.core import hooks
from peerwork.core.apitypes import ERROR_STATUSES, ErrorOut

from .auth import TokenAuth, TokenRateThrottle

api = NinjaAPI(
    title="Peerwork API",
    version="1",
    description=(
        "Every call needs a personal API token (create one under Account → API tokens) sent as "
        "`Authorization: Bearer <token>`. A token acts for one person in one organisation, with that "
        "person's roles; every read of personal data is audited as it is on the pages."
    ),
    auth=TokenAuth(),
    # Each token may make 600 calls a minute; wrong tokens are limited per address in TokenAuth.
    throttle=[TokenRateThrottle("600/m")],
    urls_namespace="api",
    docs_url="/docs",
    # Swagger UI from the package's own static files (ninja is in INSTALLED_APPS), so the page works under
    # Peerwork's content security policy; no validator badge, which would load an image from elsewhere.
    docs=Swagger(settings={"validatorUrl": None}),
)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": "Your role does not allow this."}, status=403)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(
        request, {"detail": "The request has errors; nothing was saved.", "errors": errors}, status=422
    )


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(
        request, {"detail": "The request body is larger than the limit of 1 MB; send less at a time."}, status=413
    )


def _document_errors() -> None:
    """Declare the error answers on every operation, so the OpenAPI lists each status the API can give."""
    for bound in api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                for status in ERROR_STATUSES:
                    operation.response_models.setdefault(status, ErrorOut)


def _mount_routers() -> None:
    """Mount Peerwork's own routes, then every app's router from the ``api_routers`` hook, in order."""
    from . import routes  # noqa: F401  (the accounts and organisations routes, on ``api`` itself)

    for provide in hooks.get(hooks.API_ROUTERS):
        prefix, router = provide()
        api.add_router(prefix, router)
    _document_errors()


_mount_routers()
