"""Types for the API's input schemas that carry Peerwork's limits into the OpenAPI.

``Id`` bounds every identifier to what the database can hold; ``Text(n)`` is text of at most ``n``
characters without NUL characters (the model's ``max_length`` or the form's limit); ``LocalTime`` is a time
of day without a time zone. The services check the same limits again (``peerwork.core.validation``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import time
from typing import Annotated, Any

from annotated_types import GroupedMetadata
from ninja import Schema
from ninja.pagination import LimitOffsetPagination
from ninja.params import functions as _params
from pydantic import AfterValidator, Field

from peerwork.core.validation import LONG_TEXT

# A database id: 64-bit signed integers on PostgreSQL and SQLite.
ID_MAX = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=ID_MAX)]


# Parameter defaults with limits, for routes whose annotations ninja cannot resolve (paginated ones).
def path_id() -> Any:
    """A path id bounded like ``Id``."""
    return _params.Path(..., ge=1, le=ID_MAX)


def query_id() -> Any:
    """An optional query id bounded like ``Id``."""
    return _params.Query(None, ge=1, le=ID_MAX)


def query(default: Any, **limits: Any) -> Any:
    """A query parameter with limits (``max_length``, ``ge``, ``le``) shown in the OpenAPI."""
    return _params.Query(default, **limits)


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Remove the null character from the text; it cannot be stored.")
    return value


@dataclass(frozen=True)
class Text(GroupedMetadata):
    """Text of ``min_length``…``max_length`` characters, refused if it holds a NUL character.

    Used as ``Annotated[str, Text(120)]``, so that type checkers see a ``str`` and pydantic the limits."""

    max_length: int
    min_length: int = 0

    def __iter__(self) -> Iterator[object]:
        yield Field(min_length=self.min_length, max_length=self.max_length, pattern=r"^[^\x00]*$")
        yield AfterValidator(_no_nul)


# An e-mail address or nothing; the services check it again as the forms do (Django's EmailValidator).
Email = Annotated[str, Field(max_length=254, pattern=r"^$|^[^@\s\x00]+@[^@\s\x00]+\.[^@\s\x00]+$")]


def _local(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("Give the time of day in local time, without a time zone or offset (e.g. 14:30).")
    return value


LocalTime = Annotated[time, AfterValidator(_local)]


class ErrorOut(Schema):
    """Every error answer: ``detail`` says what went wrong; ``errors`` names each field and how to fix it.

    For input that does not match the schema, ``detail`` is the list of problems, each with its location."""

    detail: str | list[dict[str, Any]]
    errors: dict[str, list[str]] | None = None


ERROR_STATUSES = {
    400: "The body is not valid JSON",
    401: "No valid token",
    403: "The token's role may not do this",
    404: "Not found, or not visible to the token's person",
    413: "The request body is larger than the limit",
    422: "The input has errors; nothing was saved",
    429: "Too many requests; try again later",
}


# Lists: at most 100 items a page, and an offset within what any list could hold.
PAGE_MAX = 100
OFFSET_MAX = 1_000_000


class BoundedPagination(LimitOffsetPagination):
    """ninja's limit/offset pagination with both bounds in the OpenAPI; out of range answers 422."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=PAGE_MAX, description=f"Items per page, at most {PAGE_MAX}")
        offset: int = Field(0, ge=0, le=OFFSET_MAX, description="How many items to skip")


__all__ = [
    "LONG_TEXT",
    "ID_MAX",
    "Id",
    "LocalTime",
    "Email",
    "ErrorOut",
    "ERROR_STATUSES",
    "BoundedPagination",
    "Text",
    "path_id",
    "query_id",
    "query",
]
