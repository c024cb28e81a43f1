"""What every page shares: rendering with the signed-in user, the home page of each role,
and Vietnamese labels for states."""

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
}
"""Where each role lands after signing in."""

ROLE_VI = {
    UserRole.CLERK: "Cán bộ một cửa",
    UserRole.LEADER: "Lãnh đạo",
    UserRole.ARCHIVIST: "Cán bộ lưu trữ",
    UserRole.ADMIN: "Quản trị",
}

NOTICE_VI = {
    "added": "tạo tài khoản",
    "password_reset": "đặt lại mật khẩu",
    "password_changed": "đổi mật khẩu",
    "deactivated": "vô hiệu hóa tài khoản",
    "activated": "kích hoạt lại tài khoản",
}
"""What changed on an account, as its holder and admins read it."""

STATE_VI = labels.STATES
"""Kept for the templates' `state_vi` (config.labels is the home of every label)."""


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
            "role_vi": ROLE_VI,
            "state_vi": STATE_VI,
            "notice_vi": NOTICE_VI,
            "labels": labels,
            "home": HOME,
            **context,
        },
        status_code=status_code,
    )
