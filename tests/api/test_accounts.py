"""Accounts: tokens and sessions, throttled logins, CSRF on cookie requests, the first admin."""

from __future__ import annotations

import re

from click.testing import CliRunner
from fastapi.testclient import TestClient

from api.accounts import Principal
from api.cli import main
from config import defaults
from config.settings import Settings
from storage.accounts import find_user
from storage.db import open_database
from storage.enums import UserRole
from tests.api.conftest import PASSWORD


def test_a_token_opens_the_api_until_revoked_and_a_wrong_password_is_401(
    app_client: TestClient, accounts: dict[str, Principal]
) -> None:
    wrong = app_client.post("/api/auth/token", json={"username": "clerk_a", "password": "x" * 12})
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "not_authenticated"
    nobody = app_client.post("/api/auth/token", json={"username": "ghost", "password": "x" * 12})
    assert nobody.json() == wrong.json() | {"error": nobody.json()["error"]}
    assert nobody.status_code == 401
    reply = app_client.post("/api/auth/token", json={"username": "Clerk_A", "password": PASSWORD})
    assert reply.status_code == 200
    headers = {"Authorization": f"Bearer {reply.json()['token']}"}
    me = app_client.get("/api/me", headers=headers).json()
    assert (me["role"], me["unit"]) == ("clerk", "xa-a")
    assert app_client.delete("/api/auth/token", headers=headers).status_code == 204
    assert app_client.get("/api/me", headers=headers).status_code == 401


def test_logins_are_throttled_after_repeated_failures(
    app_client: TestClient, accounts: dict[str, Principal]
) -> None:
    for _ in range(defaults.LOGIN_MAX_FAILURES_PER_USER):
        bad = {"username": "leader_a", "password": "doan-mo-sai-1"}
        assert app_client.post("/api/auth/token", json=bad).status_code == 401
    right = app_client.post("/api/auth/token", json={"username": "leader_a", "password": PASSWORD})
    assert right.status_code == 429
    assert right.json()["error"]["code"] == "login_throttled"
    other = app_client.post("/api/auth/token", json={"username": "clerk_b", "password": PASSWORD})
    assert other.status_code == 200  # another account from the same address still signs in


def _csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


def test_a_session_cookie_is_httponly_and_its_requests_need_the_csrf_token(
    app_client: TestClient, accounts: dict[str, Principal]
) -> None:
    login = app_client.get("/")
    assert login.status_code == 200 and "Đăng nhập" in login.text
    forged = app_client.post(
        "/login", data={"username": "clerk_a", "password": PASSWORD, "csrf": "guess"},
        follow_redirects=False,
    )  # fmt: skip
    assert forged.status_code == 401 and "sohoa_session" not in forged.cookies
    form = {"username": "clerk_a", "password": PASSWORD, "csrf": _csrf_of(forged.text)}
    signed_in = app_client.post("/login", data=form, follow_redirects=False)
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/clerk"
    cookie = signed_in.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert app_client.get("/api/me").json()["username"] == "clerk_a"
    body = {"procedure": "1.001193", "applicant_name": "Lê Văn Bình"}
    refused = app_client.post("/api/dossiers", json=body)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf_rejected"
    page = app_client.get("/clerk")
    token = _csrf_of(page.text)
    made = app_client.post("/api/dossiers", json=body, headers={"X-CSRF-Token": token})
    assert made.status_code == 201
    out = app_client.post("/logout", data={"csrf": token}, follow_redirects=False)
    assert out.status_code == 303
    assert app_client.get("/api/me").status_code == 401


def test_sohoa_user_add_makes_the_first_admin(settings: Settings) -> None:
    result = CliRunner().invoke(
        main,
        ["user", "add", "quantri", "--role", "admin", "--name", "Quản Trị Viên"],
        env={"SOHOA_NEW_PASSWORD": PASSWORD},
    )
    assert result.exit_code == 0, result.output
    with open_database(settings).session(readonly=True) as session:
        user = find_user(session, "quantri")
        assert user is not None and user.role is UserRole.ADMIN
        assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
    short = CliRunner().invoke(
        main, ["user", "add", "x", "--role", "clerk"], env={"SOHOA_NEW_PASSWORD": "short"}
    )
    assert short.exit_code != 0
