"""`sohoa serve`: the HTTP service on embedded defaults."""

from __future__ import annotations

import click

from config.settings import get_settings
from workers.connection import redis_connection


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, help="Port to listen on.")
def serve(host: str, port: int) -> None:
    """Serve the HTTP API under /api/ (OpenAPI at /openapi.json)."""
    import uvicorn

    from api.http.app import create_app

    settings = get_settings()
    with redis_connection(settings) as conn:
        uvicorn.run(create_app(settings, conn), host=host, port=port, log_level="info")


def register(main: click.Group) -> None:
    """Add this module's commands to the CLI."""
    main.add_command(serve)
