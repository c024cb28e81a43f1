"""The API's documentation pages (Swagger UI and ReDoc) served from our own /static: no
CDN, which closed government networks block, and no inline script, so the pages keep a
Content-Security-Policy (api.http.headers.DOCS_POLICY)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse

from api.http.context import service

SWAGGER_UI = "/static/vendor/swagger-ui"
"""swagger-ui-dist 5.35.0 (api/http/static/vendor/README.md)."""
REDOC = "/static/vendor/redoc"
"""redoc 2.5.4's standalone bundle."""


def install_docs(app: FastAPI) -> None:
    """Add /docs and /redoc (the app is made with FastAPI's own turned off): public, like
    /openapi.json they describe the API, never a record."""

    @app.get("/docs", include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        """Swagger UI on the app's OpenAPI schema."""
        return _page(request, "docs_swagger.html")

    @app.get("/redoc", include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        """ReDoc on the app's OpenAPI schema."""
        return _page(request, "docs_redoc.html")


def _page(request: Request, template: str) -> HTMLResponse:
    return service(request).templates.TemplateResponse(
        request,
        template,
        {
            "title": request.app.title,
            "openapi_url": request.app.openapi_url,
            "swagger_ui": SWAGGER_UI,
            "redoc": REDOC,
        },
    )
