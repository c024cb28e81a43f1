"""The FastAPI application: health and queue status for now; dossiers follow with accounts."""

from __future__ import annotations

from typing import Any

import redis
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from api.views import queue_view
from config.errors import NotFound, SohoaError
from config.settings import Settings

_STATUS = {NotFound: 404}


def create_app(settings: Settings, conn: redis.Redis) -> FastAPI:
    """The application bound to one deployment's settings and queue connection.

    Dossier data is not served until accounts and roles exist: nothing personal is exposed
    by an unauthenticated endpoint.
    """
    app = FastAPI(title="sohoa", summary="Digitization of one-stop office dossiers")

    @app.exception_handler(SohoaError)
    async def _sohoa_error(_request: Request, exc: SohoaError) -> JSONResponse:
        status = next((s for cls, s in _STATUS.items() if isinstance(exc, cls)), 400)
        if exc.transient:
            status = 503
        return JSONResponse(status_code=status, content={"error": exc.to_dict()})

    @app.get("/api/health")
    def health() -> dict[str, Any]:
        """Whether the service, its database and its queue answer."""
        view = queue_view(settings, conn)
        return {"status": "ok", "queues": view["queues"], "documents": view["documents"]}

    return app
