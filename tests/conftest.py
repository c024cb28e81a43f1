"""Fixtures shared by every test: isolated settings, real databases, a real redis-server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from sqlalchemy import create_engine, text

from config.calendar import get_calendar
from config.catalogue import get_catalogue
from config.settings import Settings, get_settings
from storage.db import Database, close_databases
from workers.redis_embedded import EmbeddedRedis

REPO = Path(__file__).resolve().parent.parent


def _corpora() -> Path:
    """The peer corpora: ../shared/corpora beside the checkout, as the brief places them.

    A clone elsewhere (a clean-checkout check in /tmp) finds them through SOHOA_CORPORA or
    the workplace's /work/shared; a test that needs them fails loudly if none exists.
    """
    candidates = [REPO.parent / "shared" / "corpora", Path("/work/shared/corpora")]
    if "SOHOA_CORPORA" in os.environ:
        candidates.insert(0, Path(os.environ["SOHOA_CORPORA"]))
    return next((c for c in candidates if c.is_dir()), candidates[0])


CORPORA = _corpora()
PG_URL = os.environ.get("SOHOA_TEST_DATABASE_URL")


KEPT_VARIABLES = ("SOHOA_TEST_DATABASE_URL", "SOHOA_CORPORA", "SOHOA_SCREENSHOTS")
"""What the test run itself is told: where PostgreSQL and the corpora are, where the
browser tests keep their screenshots. Every other SOHOA_ variable is the tests' to set."""


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test gets its own data directory and freshly built settings and catalogue."""
    for key in list(os.environ):
        if key.startswith("SOHOA_") and key not in KEPT_VARIABLES:
            monkeypatch.delenv(key)
    monkeypatch.setenv("SOHOA_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    get_catalogue.cache_clear()
    get_calendar.cache_clear()
    yield
    close_databases()
    get_settings.cache_clear()
    get_catalogue.cache_clear()
    get_calendar.cache_clear()


@pytest.fixture
def settings() -> Settings:
    """The test's settings (SQLite and blobs under its tmp_path)."""
    return get_settings()


def _pg_schema_url(base: str, schema: str) -> str:
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options=-csearch_path%3D{schema}"


@contextmanager
def empty_database(kind: str, directory: Path, name: str = "test.db") -> Iterator[str]:
    """The URL of a new empty database: a SQLite file in `directory`, or a PostgreSQL schema
    of its own on SOHOA_TEST_DATABASE_URL, dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{directory / name}"
        return
    if not PG_URL:
        pytest.skip("SOHOA_TEST_DATABASE_URL is not set (.ci/run sets it when PostgreSQL answers)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield _pg_schema_url(PG_URL, schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh empty database: SQLite in tmp_path, and PostgreSQL (a schema of its own) when
    SOHOA_TEST_DATABASE_URL is set."""
    with empty_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """The fresh database, migrated to the latest schema."""
    db = Database(database_url)
    db.upgrade()
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real private redis-server for the whole session (sohoa's own embedded one)."""
    with EmbeddedRedis(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture
def redis_conn(redis_server: str) -> Iterator[redis.Redis]:
    """A connection to the session's server, emptied before each test."""
    conn = redis.Redis.from_url(redis_server)
    conn.flushall()
    yield conn
    conn.close()
