"""The FastAPI application: the HTTP API under /api/ and the pages for clerks, leaders,
archivists and admins, on one deployment's settings and queue connection."""

from __future__ import annotations

from typing import Any

import redis
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from api.http import (
    errors,
    routes_accounts,
    routes_archive,
    routes_counter,
    routes_dossiers,
    routes_exchange,
    routes_inbox,
    routes_signing,
)
from api.http.context import STATIC, TEMPLATES, Service
from api.http.docs import install_docs
from api.http.headers import SecurityHeaders
from api.http.pages import register_pages
from api.http.schemas_errors import ERRORS
from api.http.schemas_office import Health
from api.office_views import queue_view
from config import labels
from config.errors import ConfigurationError
from config.filemodes import restrict_umask
from config.quiet import quiet_library_warnings
from config.settings import Settings, get_settings


def create_app(settings: Settings, conn: redis.Redis) -> FastAPI:
    """The application bound to one deployment's settings and queue connection.

    Nothing about a dossier is served without an account: every route but health, the
    login page and the public signature check declares a policy action (api.http.policy).
    """
    app = FastAPI(
        title="sohoa",
        summary="Digitization of one-stop office dossiers",
        docs_url=None,  # served from /static by api.http.docs, not from a CDN
        redoc_url=None,
    )
    templates = Jinja2Templates(directory=str(TEMPLATES))
    templates.env.globals["labels"] = labels  # every page, an error's too, reads its words there
    app.state.service = Service(settings, conn, templates)
    errors.install(app)

    @app.get("/api/health", tags=["service"], response_model=Health, responses=ERRORS)
    def health() -> dict[str, Any]:
        """Whether the service, its database and its queue answer."""
        view = queue_view(settings, conn)
        return {"status": "ok", "queues": view["queues"], "documents": view["documents"]}

    routers = (
        routes_accounts,
        routes_dossiers,
        routes_counter,
        routes_inbox,
        routes_signing,
        routes_archive,
        routes_exchange,
    )
    for module in routers:
        app.include_router(module.router)
    register_pages(app)
    install_docs(app)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    app.add_middleware(SecurityHeaders, agent_port=settings.sign_agent_port)
    return app


def app_from_environment() -> FastAPI:
    """The app of a server process started by `sohoa serve --workers N`: settings from the
    environment, the queue at SOHOA_REDIS_URL (the parent process holds the embedded one)."""
    quiet_library_warnings()  # a spawned process: the parent's filters are not inherited
    restrict_umask()
    settings = get_settings()
    if not settings.redis_url:
        raise ConfigurationError("a server process needs SOHOA_REDIS_URL (sohoa serve sets it)")
    return create_app(settings, redis.Redis.from_url(settings.redis_url))
