"""Accounts change: an admin disables one (its sessions and tokens stop at once) or sets its
password; a user changes their own (their other sessions end)."""

from __future__ import annotations

import re
from collections.abc import Callable

from click.testing import CliRunner
from fastapi.testclient import TestClient

from api.accounts import Principal, issue_token
from api.cli import main
from api.http.auth import SESSION_COOKIE
from config import defaults
from config.settings import Settings
from storage.enums import TokenKind
from tests.api.conftest import PASSWORD

Headers = Callable[[str], dict[str, str]]
NEW = "mat-khau-moi-2-dai-hon"


def _login(client: TestClient, username: str, password: str) -> int:
    reply = client.post("/api/auth/token", json={"username": username, "password": password})
    return int(reply.status_code)


def _session(settings: Settings, principal: Principal) -> tuple[dict[str, str], str]:
    """A browser session's cookie header and its CSRF token, as /login issues them."""
    issued = issue_token(settings, principal, TokenKind.SESSION)
    return {"Cookie": f"{SESSION_COOKIE}={issued.token}"}, issued.principal.csrf_token or ""


def test_a_deactivated_users_sessions_and_tokens_stop_at_once(
    app_client: TestClient,
    bearer: Headers,
    accounts: dict[str, Principal],
    api_settings: Settings,
) -> None:
    """GIVEN clerk_a with a bearer token and a browser session
    WHEN an admin deactivates the account
    THEN both are refused on the next request, the password no longer signs in, and
    reactivating opens none of the old ones again (a new login works)."""
    token = bearer("clerk_a")
    cookie, _ = _session(api_settings, accounts["clerk_a"])
    assert app_client.get("/api/me", headers=token).status_code == 200
    assert app_client.get("/clerk", headers=cookie).status_code == 200

    off = app_client.post("/api/users/clerk_a/deactivate", headers=bearer("admin"))
    assert off.status_code == 200 and off.json()["active"] is False
    assert app_client.get("/api/me", headers=token).status_code == 401
    assert app_client.get("/api/dossiers", headers=token).json()["error"]["code"] == (
        "not_authenticated"
    )
    page = app_client.get("/clerk", headers=cookie, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/?next=")
    assert _login(app_client, "clerk_a", PASSWORD) == 401  # as a wrong password is

    assert app_client.post("/api/users/clerk_a/activate", headers=bearer("admin")).json()["active"]
    assert app_client.get("/api/me", headers=token).status_code == 401
    assert _login(app_client, "clerk_a", PASSWORD) == 200


def test_only_admins_disable_accounts_and_never_their_own(
    app_client: TestClient, bearer: Headers, accounts: dict[str, Principal]
) -> None:
    for who in ("clerk_a", "leader_a", "archivist"):
        reply = app_client.post("/api/users/clerk_b/deactivate", headers=bearer(who))
        assert reply.status_code == 403
    own = app_client.post("/api/users/admin/deactivate", headers=bearer("admin"))
    assert own.status_code == 400 and own.json()["error"]["code"] == "invalid_request"
    ghost = app_client.post("/api/users/ghost/deactivate", headers=bearer("admin"))
    assert ghost.status_code == 404
    assert app_client.get("/api/me", headers=bearer("clerk_b")).status_code == 200


def test_the_admins_page_disables_an_account(
    app_client: TestClient,
    bearer: Headers,
    accounts: dict[str, Principal],
    api_settings: Settings,
) -> None:
    token = bearer("clerk_b")
    cookie, csrf = _session(api_settings, accounts["admin"])
    listed = app_client.get("/admin", headers=cookie).text
    assert 'action="/admin/users/clerk_b/deactivate"' in listed
    assert 'action="/admin/users/admin/deactivate"' not in listed  # not their own
    done = app_client.post(
        "/admin/users/clerk_b/deactivate",
        data={"csrf": csrf},
        headers=cookie,
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    assert app_client.get("/api/me", headers=token).status_code == 401
    page = app_client.get("/admin?changed=clerk_b", headers=cookie).text
    assert "đã vô hiệu hóa" in page and 'action="/admin/users/clerk_b/activate"' in page


def test_a_user_changes_their_password_and_their_other_sessions_end(
    app_client: TestClient, accounts: dict[str, Principal], api_settings: Settings
) -> None:
    """GIVEN leader_a signed in twice (a token, and a browser session elsewhere)
    WHEN they change their password with the token
    THEN the token goes on working, the other session ends, only the new password signs in;
    a wrong current password is refused, and counted as a failed login."""
    reply = app_client.post("/api/auth/token", json={"username": "leader_a", "password": PASSWORD})
    mine = {"Authorization": f"Bearer {reply.json()['token']}"}
    elsewhere, _ = _session(api_settings, accounts["leader_a"])

    def change(current: str, new: str) -> dict[str, object]:
        body = {"current_password": current, "new_password": new}
        got = app_client.post("/api/me/password", json=body, headers=mine)
        code = got.json()["error"]["code"] if got.content else None
        return {"status": got.status_code, "code": code}

    assert change("doan-sai-mat-khau", NEW) == {"status": 400, "code": "wrong_password"}
    assert change(PASSWORD, "ngan") == {"status": 400, "code": "weak_password"}
    assert change(PASSWORD, NEW) == {"status": 204, "code": None}
    assert app_client.get("/api/me", headers=mine).status_code == 200
    assert app_client.get("/api/me", headers=elsewhere).status_code == 401
    assert _login(app_client, "leader_a", PASSWORD) == 401
    assert _login(app_client, "leader_a", NEW) == 200

    failed = 2  # the wrong current password, the login with the old one
    for _ in range(defaults.LOGIN_MAX_FAILURES_PER_USER - failed):
        assert change("doan-sai-mat-khau", PASSWORD)["code"] == "wrong_password"
    assert change(NEW, PASSWORD) == {"status": 429, "code": "login_throttled"}


def test_an_admin_sets_a_forgotten_password_and_the_users_sessions_end(
    app_client: TestClient, bearer: Headers, accounts: dict[str, Principal]
) -> None:
    token = bearer("archivist")
    refused = app_client.post(
        "/api/users/archivist/password", json={"password": NEW}, headers=bearer("clerk_a")
    )
    assert refused.status_code == 403
    reply = app_client.post(
        "/api/users/archivist/password", json={"password": NEW}, headers=bearer("admin")
    )
    assert reply.status_code == 204
    assert app_client.get("/api/me", headers=token).status_code == 401
    assert _login(app_client, "archivist", NEW) == 200


def test_the_account_page_changes_the_password_and_keeps_this_browser_signed_in(
    app_client: TestClient, accounts: dict[str, Principal], api_settings: Settings
) -> None:
    cookie, csrf = _session(api_settings, accounts["clerk_a"])
    page = app_client.get("/account", headers=cookie)
    assert page.status_code == 200 and "Đổi mật khẩu" in page.text
    assert re.search(r'name="current_password"', page.text)
    form = {"csrf": csrf, "current_password": PASSWORD, "new_password": NEW}
    mismatch = app_client.post(
        "/account/password", data=form | {"new_password_again": NEW + "x"}, headers=cookie
    )
    assert mismatch.status_code == 400 and "không khớp" in mismatch.text
    wrong = app_client.post(
        "/account/password",
        data=form | {"current_password": "doan-sai-mat-khau", "new_password_again": NEW},
        headers=cookie,
    )
    assert wrong.status_code == 400 and "Mật khẩu hiện tại không đúng" in wrong.text
    done = app_client.post(
        "/account/password",
        data=form | {"new_password_again": NEW},
        headers=cookie,
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/account?changed=1"
    assert "Đã đổi mật khẩu" in app_client.get("/account?changed=1", headers=cookie).text
    assert _login(app_client, "clerk_a", NEW) == 200


def test_sohoa_user_commands_disable_enable_and_reset_an_account(
    app_client: TestClient, bearer: Headers, accounts: dict[str, Principal]
) -> None:
    """The way back in when the only admin is locked out, and the same switches as /admin."""
    token = bearer("admin")
    runner = CliRunner()
    off = runner.invoke(main, ["user", "deactivate", "admin"])
    assert off.exit_code == 0, off.output
    assert app_client.get("/api/me", headers=token).status_code == 401
    on = runner.invoke(main, ["user", "activate", "admin"])
    assert on.exit_code == 0, on.output
    reset = runner.invoke(main, ["user", "password", "admin"], env={"SOHOA_NEW_PASSWORD": NEW})
    assert reset.exit_code == 0, reset.output
    assert _login(app_client, "admin", NEW) == 200
    short = runner.invoke(main, ["user", "password", "admin"], env={"SOHOA_NEW_PASSWORD": "x"})
    assert short.exit_code != 0
    assert runner.invoke(main, ["user", "deactivate", "ghost"]).exit_code != 0
