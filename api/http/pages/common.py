"""What every page shares: rendering with the signed-in user, the home page of each role,
and the Vietnamese labels (config.labels) every template reads."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from api.accounts import Principal
from api.http.context import service
from config import labels
from storage.enums import UserRole

HOME = {
    UserRole.CLERK: "/clerk",
    UserRole.LEADER: "/leader",
    UserRole.ARCHIVIST: "/archive",
    UserRole.ADMIN: "/admin",
    UserRole.EXCHANGE: "/docs",
}
"""Where each role lands after signing in (a provincial system's account has no pages and
no password: the API's documentation)."""


def render(
    request: Request,
    template: str,
    principal: Principal | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """A page, with the user, their menu and the state labels available to the template."""
    templates = service(request).templates
    return templates.TemplateResponse(
        request,
        template,
        {
            "principal": principal,
            "role_vi": labels.ROLES,
            "state_vi": labels.STATES,
            "notice_vi": labels.NOTICES,
            "home": HOME,
            **context,
        },
        status_code=status_code,
    )
