"""What every request handler reaches through the app: settings, queue connection, templates."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import redis
from fastapi import Request
from fastapi.templating import Jinja2Templates

from config.settings import Settings

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"


@dataclass(frozen=True)
class Service:
    """One deployment's service: its settings, its queue, its page templates."""

    settings: Settings
    conn: redis.Redis
    templates: Jinja2Templates


def service(request: Request) -> Service:
    """The service the request arrived at."""
    found = request.app.state.service
    assert isinstance(found, Service)
    return found
