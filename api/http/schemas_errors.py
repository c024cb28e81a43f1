"""The error envelope every /api answer carries on failure (api.http.errors), as OpenAPI
documents it: `ERRORS`, the 4xx and 5xx responses each API router declares."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ErrorBody(BaseModel):
    """What went wrong: config.errors.SohoaError.to_dict."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(description="Machine-readable, e.g. not_found, forbidden, rate_limited.")
    message: str = Field(description="What happened, in English, for the logs.")
    hint: str = Field(description="What to do about it, in Vietnamese, for the user.")


class ErrorEnvelope(BaseModel):
    """The body of every 4xx and 5xx answer of the API."""

    model_config = ConfigDict(extra="forbid")

    error: ErrorBody


_MEANINGS = {
    400: "The request is invalid (invalid_request and its kinds).",
    401: "No valid bearer token or session (not_authenticated).",
    403: "The policy does not allow this role the action (forbidden), or a one-time "
    "password must be changed first.",
    404: "No such record, or a record of another unit (not_found).",
    409: "The record changed since it was shown (e.g. result_changed).",
    413: "A file past the size limit (file_too_large).",
    422: "A file or form that cannot be used (input_rejected, verify_timeout...).",
    429: "Too many requests or logins; see Retry-After (rate_limited).",
    500: "A failure of the server's configuration or of a program it runs.",
    503: "Busy or a service is down for a moment; try again (transient).",
}

ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorEnvelope, "description": meaning}
    for status, meaning in _MEANINGS.items()
}
"""The error responses of every /api route, for OpenAPI (`APIRouter(responses=ERRORS)`)."""

FILE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The file, as an attachment (or a PDF shown in our pages' frames).",
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
    }
}
"""The answer of a route that sends a stored file rather than JSON."""

CSV: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The figures as CSV, one line per unit and month.",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}
"""The answer of a route that sends CSV rather than JSON."""
