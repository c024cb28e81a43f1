"""The web pages: login, clerk, leader, archivist, dashboard, accounts and one's own account,
server-rendered."""

from __future__ import annotations

from fastapi import FastAPI

from api.http.pages import (
    account,
    admin,
    archive,
    backlog,
    clerk,
    counter,
    dashboard,
    inbox,
    leader,
    login,
    previews,
    verify,
)


def register_pages(app: FastAPI) -> None:
    """Add every page router to the app."""
    pages = (
        login,
        verify,
        clerk,
        inbox,
        counter,
        backlog,
        previews,
        leader,
        archive,
        admin,
        dashboard,
        account,
    )
    for module in pages:
        app.include_router(module.router)
