"""An HTTP client on the real app: SQLite (and PostgreSQL when set), the session's redis."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
import yaml
from fastapi.testclient import TestClient

from api.accounts import Principal, hash_password, issue_token
from api.http.app import create_app
from config.settings import Settings, get_settings
from storage.accounts import add_user
from storage.db import open_database
from storage.enums import TokenKind, UserRole

PASSWORD = "mat-khau-rat-dai-1"
USERS = {
    "clerk_a": (UserRole.CLERK, "xa-a", None),
    "clerk_b": (UserRole.CLERK, "xa-b", None),
    "leader_a": (UserRole.LEADER, "xa-a", "chu-tich"),
    "archivist": (UserRole.ARCHIVIST, "kho", None),
    "admin": (UserRole.ADMIN, "tinh", None),
}
"""One account per role; two clerks of different units."""


SHIPPED_SIGNERS = Path(__file__).resolve().parents[2] / "config" / "data" / "signers.yaml"
XA_B_LEADER = """
  - name: truong-phong
    role: leader
    full_name: Phạm Văn Dũng
    title: Chủ tịch
    unit: Ủy ban nhân dân xã B
    unit_code: xa-b
    key: {kind: pkcs12, path: leader.p12}
"""
"""A leader profile of unit xa-b, for tests with a leader in each unit."""


def test_signers(extra: str = "") -> str:
    """The shipped signers.yaml with leader_a's profile (chu-tich) signing for leader_a's unit,
    xa-a (a server key signs only for a leader of its profile's unit), plus `extra` profiles."""
    signers = yaml.safe_load(SHIPPED_SIGNERS.read_text("utf-8"))
    for profile in signers["profiles"]:
        if profile["name"] == "chu-tich":
            profile["unit_code"] = "xa-a"
    if extra:
        signers["profiles"] += yaml.safe_load(extra)
    return yaml.safe_dump(signers, allow_unicode=True, sort_keys=False)


test_signers.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


@pytest.fixture
def api_settings(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The test's settings on the parametrized database (SQLite, and PostgreSQL if set), with
    the signer profiles of `test_signers`."""
    catalogue = tmp_path / "catalogue"
    catalogue.mkdir(exist_ok=True)
    (catalogue / "signers.yaml").write_text(test_signers(), "utf-8")
    monkeypatch.setenv("SOHOA_CATALOGUE_DIR", str(catalogue))
    monkeypatch.setenv("SOHOA_DATABASE_URL", database_url)
    get_settings.cache_clear()
    return get_settings()


@pytest.fixture
def app_client(api_settings: Settings, redis_conn: redis.Redis) -> Iterator[TestClient]:
    """A client of the whole app (API and pages), not signed in."""
    with TestClient(create_app(api_settings, redis_conn)) as client:
        yield client


@pytest.fixture(scope="session")
def password_hash() -> str:
    """PASSWORD's Argon2 hash, made once: hashing takes half a second on a busy machine."""
    return hash_password(PASSWORD)


@pytest.fixture
def accounts(api_settings: Settings, password_hash: str) -> dict[str, Principal]:
    """USERS, made (with PASSWORD)."""
    made = {}
    with open_database(api_settings).session() as session:
        for name, (role, unit, profile) in USERS.items():
            user = add_user(
                session,
                username=name,
                full_name=name.replace("_", " ").title(),
                role=role,
                unit_code=unit,
                password_hash=password_hash,
                signer_profile=profile,
                actor="test",
            )
            made[name] = Principal.of(user)
    return made


@pytest.fixture
def bearer(
    api_settings: Settings, accounts: dict[str, Principal]
) -> Callable[[str], dict[str, str]]:
    """Authorization headers with a fresh API token of a user (issued as /api/auth/token
    does, without checking the password again)."""
    cache: dict[str, dict[str, str]] = {}

    def headers(username: str) -> dict[str, str]:
        if username not in cache:
            issued = issue_token(api_settings, accounts[username], TokenKind.API)
            cache[username] = {"Authorization": f"Bearer {issued.token}"}
        return cache[username]

    return headers
