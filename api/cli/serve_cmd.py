"""`sohoa serve`: the web pages and the HTTP API on embedded defaults."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

from config import defaults
from config.settings import get_settings
from workers.connection import redis_connection

if TYPE_CHECKING:
    import redis

    from config.settings import Settings


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=defaults.HTTP_PORT, show_default=True, help="Port to listen on.")
@click.option(
    "--workers",
    default=defaults.HTTP_WORKERS,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes (one per core serves the most requests).",
)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the pages at / (the login page first) and the HTTP API under /api/ (OpenAPI at
    /openapi.json). Create the first account with `sohoa user add NAME --role admin`."""
    from api.http.auth import check_cookie_transport
    from api.inbox_watch import start_watching

    settings = get_settings()
    check_cookie_transport(settings)
    with redis_connection(settings) as conn:
        watching = start_watching(settings, conn)  # scanners' stacks filed as they arrive
        try:
            _run(settings, conn, host, port, workers)
        finally:
            if watching is not None:
                watching.set()


def _run(settings: Settings, conn: redis.Redis, host: str, port: int, workers: int) -> None:
    """uvicorn, in this process (one worker) or as the supervisor of several."""
    import uvicorn

    from api.http.app import create_app
    from api.http.server import NoDelayH11Protocol
    from workers.redis_embedded import EmbeddedRedis

    log_level = settings.log_level.lower()  # INFO logs each request; WARNING does not
    if workers == 1:
        uvicorn.run(
            create_app(settings, conn),
            host=host,
            port=port,
            log_level=log_level,
            http=NoDelayH11Protocol,
            proxy_headers=True,
            forwarded_allow_ips=settings.forwarded_allow_ips,
        )
        return
    # the server processes build their own app; this one holds the embedded Redis
    if not settings.redis_url:
        os.environ["SOHOA_REDIS_URL"] = EmbeddedRedis(settings.data_path).url
    uvicorn.run(
        "api.http.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        http=NoDelayH11Protocol,
        proxy_headers=True,  # X-Forwarded-Proto of the proxies trusted below only
        forwarded_allow_ips=settings.forwarded_allow_ips,
    )


def register(main: click.Group) -> None:
    """Add this module's commands to the CLI."""
    main.add_command(serve)
