"""The web pages: login, clerk, leader, archivist, dashboard, accounts and one's own account,
server-rendered."""

from __future__ import annotations

from fastapi import FastAPI

from api.http.pages import (
    account,
    admin,
    archive,
    clerk,
    dashboard,
    leader,
    login,
    previews,
    verify,
)


def register_pages(app: FastAPI) -> None:
    """Add every page router to the app."""
    for module in (login, verify, clerk, previews, leader, archive, admin, dashboard, account):
        app.include_router(module.router)
