"""Bearer tokens and browser sessions stop working when their lifetime is over: the
lifetimes are the deployment's settings, and the clock the token check reads is moved
forward in the test (no real waiting)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
import redis
from fastapi.testclient import TestClient

import storage.accounts
from api.accounts import Principal
from api.http.app import create_app
from config.settings import Settings, get_settings
from storage.types import utcnow
from tests.api.conftest import PASSWORD

Clock = Callable[[datetime], None]


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Set the time the token check compares expiry dates with (storage.accounts)."""

    def set_to(moment: datetime) -> None:
        monkeypatch.setattr(storage.accounts, "utcnow", lambda: moment)

    return set_to


@pytest.fixture
def short_lived(
    api_settings: Settings, monkeypatch: pytest.MonkeyPatch, redis_conn: redis.Redis
) -> TestClient:
    """The app with sessions of 2 hours and bearer tokens of 3 days."""
    monkeypatch.setenv("SOHOA_SESSION_HOURS", "2")
    monkeypatch.setenv("SOHOA_API_TOKEN_DAYS", "3")
    get_settings.cache_clear()
    settings = get_settings()
    assert (settings.session_hours, settings.api_token_days) == (2, 3)
    return TestClient(create_app(settings, redis_conn))


def test_a_bearer_token_is_refused_once_its_lifetime_is_over(
    short_lived: TestClient, accounts: dict[str, Principal], clock: Clock
) -> None:
    before = utcnow()
    reply = short_lived.post("/api/auth/token", json={"username": "clerk_a", "password": PASSWORD})
    assert reply.status_code == 200
    expires = datetime.fromisoformat(reply.json()["expires_at"])
    assert (
        timedelta(days=3) - timedelta(seconds=5) < expires - before < timedelta(days=3, seconds=5)
    )
    headers = {"Authorization": f"Bearer {reply.json()['token']}"}
    clock(expires - timedelta(seconds=1))
    assert short_lived.get("/api/me", headers=headers).status_code == 200
    clock(expires + timedelta(seconds=1))
    late = short_lived.get("/api/dossiers", headers=headers)
    assert late.status_code == 401 and late.json()["error"]["code"] == "not_authenticated"
    assert short_lived.get("/api/me", headers=headers).status_code == 401


def test_a_session_is_refused_once_its_lifetime_is_over(
    short_lived: TestClient, accounts: dict[str, Principal], clock: Clock
) -> None:
    login = short_lived.get("/")
    csrf = re.search(r'name="csrf" value="([^"]+)"', login.text)
    assert csrf is not None
    started = utcnow()
    form = {"username": "clerk_a", "password": PASSWORD, "csrf": csrf.group(1)}
    signed_in = short_lived.post("/login", data=form, follow_redirects=False)
    assert signed_in.status_code == 303
    assert "Max-Age=7200" in signed_in.headers["set-cookie"]  # the browser drops it too
    clock(started + timedelta(hours=2) - timedelta(seconds=5))
    assert short_lived.get("/clerk", follow_redirects=False).status_code == 200
    assert short_lived.get("/api/me").json()["username"] == "clerk_a"
    clock(started + timedelta(hours=2, seconds=5))
    page = short_lived.get("/clerk", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/?next=/clerk"
    assert short_lived.get("/api/me").status_code == 401
    again = short_lived.get("/", follow_redirects=False)
    assert again.status_code == 200 and 'name="password"' in again.text  # the login form
