"""Accounts under attack: a login flood racing the throttle, and an admin who resets a leader's
password to sign as the leader (security review, issue 16)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from api import accounts as api_accounts
from api import throttle
from api.accounts import Principal, issue_token
from api.http.auth import SESSION_COOKIE
from config import defaults
from config.settings import Settings, get_settings
from storage.enums import TokenKind
from storage.types import utcnow
from tests.api.conftest import PASSWORD, XA_B_LEADER, test_signers

Headers = Callable[[str], dict[str, str]]
ATTACKER = ("203.0.113.66", 40000)
LEADERS_DESK = ("198.51.100.7", 40000)
NEW = "mat-khau-moi-do-quan-tri-dat"


class CountingHasher(PasswordHasher):
    """argon2-cffi's hasher, counting the password checks it makes (and making each one slow
    enough that concurrent requests overlap, as they do on a loaded server)."""

    def __init__(self) -> None:
        super().__init__()
        self.checks = 0
        self._lock = threading.Lock()

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        with self._lock:
            self.checks += 1
        threading.Event().wait(0.2)
        return super().verify(hash, password)


@pytest.fixture
def api_settings(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The shared accounts' settings, with a leader profile of unit xa-b added to the
    shipped signers.yaml."""
    catalogue = tmp_path / "catalogue"
    catalogue.mkdir()
    (catalogue / "signers.yaml").write_text(test_signers(XA_B_LEADER), "utf-8")
    monkeypatch.setenv("SOHOA_CATALOGUE_DIR", str(catalogue))
    monkeypatch.setenv("SOHOA_DATABASE_URL", database_url)
    get_settings.cache_clear()
    return get_settings()


def _client(app_client: TestClient, address: tuple[str, int]) -> TestClient:
    return TestClient(app_client.app, client=address)


def _token(client: TestClient, username: str, password: str) -> Any:
    return client.post("/api/auth/token", json={"username": username, "password": password})


def test_concurrent_wrong_logins_check_at_most_the_limit_and_lock_out_no_one_elsewhere(
    app_client: TestClient, accounts: dict[str, Principal], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Attack: 12 wrong passwords for leader_a sent at once from one address. The old throttle
    read the failure count, then hashed: every request saw 0 failures, all 12 were checked
    (64 MiB of Argon2 each) and the 5 failures per user name locked the leader out
    everywhere for 15 minutes.
    Boundary: api.throttle.login_attempt reserves each attempt (counted as failed) in the
    transaction that counts, under a per-address lock, before any hashing; lockouts are per
    (user name, address). So at most LOGIN_MAX_FAILURES_PER_USER passwords are checked, and
    the leader still signs in from their own desk."""
    hasher = CountingHasher()
    monkeypatch.setattr(api_accounts, "_hasher", hasher)
    attacker = _client(app_client, ATTACKER)
    statuses: list[int] = []
    start = threading.Barrier(12)

    def guess(n: int) -> None:
        start.wait()
        statuses.append(_token(attacker, "leader_a", f"doan-sai-lan-{n:02d}").status_code)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(set(statuses)) <= [401, 429] and len(statuses) == 12
    assert hasher.checks <= defaults.LOGIN_MAX_FAILURES_PER_USER
    assert statuses.count(401) == hasher.checks
    for n in range(defaults.LOGIN_MAX_FAILURES_PER_USER - hasher.checks):  # some were busy
        assert _token(attacker, "leader_a", f"doan-tiep-{n}").status_code == 401
    locked = _token(attacker, "leader_a", PASSWORD)
    assert locked.status_code == 429 and locked.json()["error"]["code"] == "login_throttled"
    assert hasher.checks == defaults.LOGIN_MAX_FAILURES_PER_USER
    assert _token(_client(app_client, LEADERS_DESK), "leader_a", PASSWORD).status_code == 200


def test_a_flood_beyond_the_concurrent_checks_is_turned_away_quickly(
    app_client: TestClient, accounts: dict[str, Principal], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Attack: many logins at once, each costing 64 MiB of Argon2, to exhaust memory.
    Boundary: at most LOGIN_CONCURRENT_CHECKS checks run per process; a login that finds
    none free within LOGIN_CHECK_WAIT_SECONDS gets 429 `login_busy` without hashing."""
    monkeypatch.setattr(defaults, "LOGIN_CHECK_WAIT_SECONDS", 0.05)
    hasher = CountingHasher()
    monkeypatch.setattr(api_accounts, "_hasher", hasher)
    held = [throttle._hashing.acquire(timeout=1) for _ in range(defaults.LOGIN_CONCURRENT_CHECKS)]
    try:
        busy = _token(app_client, "clerk_a", PASSWORD)
    finally:
        for _ in held:
            throttle._hashing.release()
    assert busy.status_code == 429 and busy.json()["error"]["code"] == "login_busy"
    assert busy.headers["Retry-After"] == "1" and hasher.checks == 0
    assert _token(app_client, "clerk_a", PASSWORD).status_code == 200


def test_each_failure_past_the_limit_doubles_the_lockout() -> None:
    """Backoff: a lockout starts at the window and doubles with each further failure in a row,
    up to LOGIN_LOCKOUT_MAX_SECONDS; a success ends the streak."""
    now = utcnow()
    limit, window = defaults.LOGIN_MAX_FAILURES_PER_USER, defaults.LOGIN_WINDOW_SECONDS
    old = tuple(now - timedelta(hours=3, minutes=limit - i) for i in range(limit))
    assert throttle.lockout_until(old[:-1], None) is None
    assert throttle.lockout_until(old, None) == old[-1] + timedelta(seconds=window)
    more = (*old, now - timedelta(minutes=1))
    assert throttle.lockout_until(more, None) == more[-1] + timedelta(seconds=2 * window)
    many = (*old, *(now - timedelta(seconds=30 - i) for i in range(20)))
    capped = throttle.lockout_until(many, None)
    assert capped == many[-1] + timedelta(seconds=defaults.LOGIN_LOCKOUT_MAX_SECONDS)
    assert throttle.lockout_until(old, old[-1] + timedelta(seconds=1)) is None


def test_a_password_an_admin_set_cannot_sign_until_its_holder_changes_it(
    app_client: TestClient, accounts: dict[str, Principal], bearer: Headers
) -> None:
    """Attack: an admin resets leader_a's password, signs in with it and has the server-held
    key sign results as the leader; nobody is told.
    Boundary: a password set by anyone but its holder is one-time (storage.accounts,
    api.http.policy.Allow): signed in with it, the account may only read its profile and
    change the password: the signing inbox, signing itself and every other route answer
    403 `password_change_required`, pages lead to /account. The reset is an event, logged,
    and shown to the leader (/api/me, /account) and to every admin (/admin)."""
    reset = app_client.post(
        "/api/users/leader_a/password", json={"password": NEW}, headers=bearer("admin")
    )
    assert reset.status_code == 204
    signed_in = _client(app_client, LEADERS_DESK)
    token = _token(signed_in, "leader_a", NEW).json()["token"]
    as_leader = {"Authorization": f"Bearer {token}"}
    for method, path in (("GET", "/api/signing/inbox"), ("POST", "/api/signing"),
                         ("GET", "/api/dossiers")):  # fmt: skip
        body = {"codes": ["000.00.12.H42-261201-0001"]} if method == "POST" else None
        refused = signed_in.request(method, path, headers=as_leader, json=body)
        assert refused.status_code == 403, (path, refused.text)
        assert refused.json()["error"]["code"] == "password_change_required"
    me = signed_in.get("/api/me", headers=as_leader).json()
    assert me["must_change_password"] is True
    assert me["notices"][0] | {"at": ""} == {
        "at": "", "actor": "admin", "username": "leader_a", "change": "password_reset"
    }  # fmt: skip
    admin_page = _admin_page(app_client, accounts)
    assert "admin đặt lại mật khẩu <strong>leader_a</strong>" in admin_page

    change = {"current_password": NEW, "new_password": NEW + "-cua-toi"}
    changed = signed_in.post("/api/me/password", json=change, headers=as_leader)
    assert changed.status_code == 204
    assert signed_in.get("/api/signing/inbox", headers=as_leader).status_code == 200
    assert signed_in.get("/api/me", headers=as_leader).json()["must_change_password"] is False


def _admin_page(app_client: TestClient, accounts: dict[str, Principal]) -> str:
    settings = get_settings()
    issued = issue_token(settings, accounts["admin"], TokenKind.SESSION)
    page = app_client.get("/admin", headers={"Cookie": f"{SESSION_COOKIE}={issued.token}"})
    assert page.status_code == 200
    return str(page.text)


def test_a_one_time_password_leads_the_browser_to_the_account_page(
    app_client: TestClient, accounts: dict[str, Principal], bearer: Headers
) -> None:
    """The page side of the same boundary: the login goes to /account, which says why, and
    the leader's pages redirect there."""
    app_client.post("/api/users/leader_a/password", json={"password": NEW}, headers=bearer("admin"))
    page = app_client.get("/")
    form_token = page.cookies.get("sohoa_login_csrf") or ""
    form = {"username": "leader_a", "password": NEW, "csrf": form_token}
    signed_in = app_client.post("/login", data=form, follow_redirects=False)
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/account"
    account = app_client.get("/account")
    assert "chỉ dùng một lần" in account.text and "đặt lại mật khẩu" in account.text
    leader = app_client.get("/leader", follow_redirects=False)
    assert leader.status_code == 303 and leader.headers["location"] == "/account"


def test_a_leader_account_takes_only_a_profile_of_its_unit(
    app_client: TestClient, accounts: dict[str, Principal], bearer: Headers
) -> None:
    """Attack: an admin makes a leader account in their own unit bound to another unit's
    signer profile, to sign with that unit's key.
    Boundary: api.accounts.create_user refuses a profile whose unit_code is not the
    account's unit (signers.yaml)."""
    new = {"username": "pho_b", "password": NEW, "full_name": "Phó B", "role": "leader",
           "unit": "xa-a", "signer_profile": "truong-phong"}  # fmt: skip
    refused = app_client.post("/api/users", json=new, headers=bearer("admin"))
    assert refused.status_code == 400 and "signs for unit xa-b" in refused.text
    users = app_client.get("/api/users", headers=bearer("admin")).json()
    assert "pho_b" not in {u["username"] for u in users}
    same_unit = app_client.post("/api/users", json=new | {"unit": "xa-b"}, headers=bearer("admin"))
    assert same_unit.status_code == 201, same_unit.text
