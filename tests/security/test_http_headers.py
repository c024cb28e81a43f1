"""What a browser may run on our origin: security headers on every response, uploaded files
never rendered inline (security review, issue 16)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import redis
import uvicorn
from click.testing import CliRunner
from fastapi.testclient import TestClient

from api.accounts import Principal
from api.cli import main
from api.http.app import create_app
from api.http.auth import LOGIN_CSRF_COOKIE, SESSION_COOKIE
from api.http.context import TEMPLATES
from config.settings import get_settings
from tests.api.conftest import PASSWORD
from tests.support.samples import born_digital

Headers = Callable[[str], dict[str, str]]


def test_every_response_carries_the_security_headers(
    app_client: TestClient, accounts: dict[str, Principal], bearer: Headers
) -> None:
    """Attack: a page framed by another site (clickjacking the leader's sign button), a
    response sniffed into HTML, an injected inline script run with the clerk's session.
    Boundary: api.http.headers.SecurityHeaders adds a Content-Security-Policy without inline
    script and framing by no one, nosniff and a same-origin referrer policy to each
    response: pages, API answers, errors and static files alike."""
    for path, headers in (("/", {}), ("/api/health", {}), ("/api/me", bearer("clerk_a")),
                          ("/nothing-here", {}), ("/static/app.css", {})):  # fmt: skip
        reply = app_client.get(path, headers=headers)
        policy = reply.headers.get("content-security-policy", "")
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy, path
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, path
        assert reply.headers.get("x-content-type-options") == "nosniff", path
        assert reply.headers.get("referrer-policy") == "same-origin", path
        assert reply.headers.get("x-frame-options") == "DENY", path


def test_the_templates_need_no_inline_script_or_style() -> None:
    """The policy forbids inline script and style; a template that used them would break
    under it, so none does (scripts live in /static)."""
    inline = re.compile(r"<script(?![^>]*\bsrc=)|\son[a-z]+=|\sstyle=|<style", re.IGNORECASE)
    found = {
        page.name: hit.group(0)
        for page in TEMPLATES.glob("*.html")
        if (hit := inline.search(page.read_text("utf-8")))
    }
    assert found == {}


def test_an_uploaded_html_original_is_served_as_a_sandboxed_attachment(
    app_client: TestClient, bearer: Headers, tmp_path: Path
) -> None:
    """Attack: a citizen's file that is a PDF and an HTML page at once, uploaded as
    `bien-nhan.html`; its original was served inline from our origin, so a browser that
    renders it runs its script with the clerk's session.
    Boundary: an original is sent as an attachment with `Content-Security-Policy: sandbox`
    (an opaque origin, no script) and nosniff; only the PDF sohoa made is shown inline,
    framed by our own pages alone."""
    clerk = bearer("clerk_a")
    dossier = {"procedure": "1.001193", "applicant_name": "Lê Thị Hoa"}
    made = app_client.post("/api/dossiers", headers=clerk, json=dossier)
    code = made.json()["code"]
    pdf, _ = born_digital(tmp_path, "giay_chung_sinh")
    polyglot = pdf.read_bytes() + b"\n<html><script>fetch('/api/me')</script></html>\n"
    files = [("files", ("bien-nhan.html", polyglot, "text/html"))]
    stored = app_client.post(f"/api/dossiers/{code}/files", files=files, headers=clerk)
    assert stored.status_code == 201, stored.text
    document_id = stored.json()["files"][0]["document_id"]

    original = app_client.get(f"/api/documents/{document_id}/original", headers=clerk)
    assert original.status_code == 200 and original.content == polyglot
    assert original.headers["content-disposition"].startswith("attachment")
    policy = original.headers["content-security-policy"]
    assert policy.startswith("sandbox") and "default-src 'none'" in policy
    assert original.headers["x-content-type-options"] == "nosniff"
    assert "html" not in original.headers["content-type"]


def _login(client: TestClient) -> str:
    """Sign clerk_a in through the login form, as a browser on HTTPS would (it sends back a
    Secure cookie even when the server sees plain HTTP from its proxy); the session
    cookie's Set-Cookie line."""
    page = client.get("/")
    form_token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert form_token is not None
    client.cookies.clear()
    form = {"username": "clerk_a", "password": PASSWORD, "csrf": form_token.group(1)}
    cookie = {"Cookie": f"{LOGIN_CSRF_COOKIE}={form_token.group(1)}"}
    signed_in = client.post("/login", data=form, headers=cookie, follow_redirects=False)
    assert signed_in.status_code == 303, signed_in.text
    cookies = signed_in.headers.get_list("set-cookie")
    return str(next(c for c in cookies if c.startswith(f"{SESSION_COOKIE}=")))


def test_the_session_cookie_is_secure_when_configured_or_over_https(
    accounts: dict[str, Principal], redis_conn: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Attack: behind a proxy terminating HTTPS on another machine, the server saw plain
    HTTP (the proxy's X-Forwarded-Proto was not trusted) and set the session cookie without
    Secure: any plain-HTTP request to the site's name then carried it in clear.
    Boundary: SOHOA_COOKIE_SECURE=true makes it Secure whatever the scheme seen; unset, it is
    Secure when the request (or a trusted proxy) says HTTPS."""
    monkeypatch.setenv("SOHOA_COOKIE_SECURE", "true")
    get_settings.cache_clear()
    with TestClient(create_app(get_settings(), redis_conn)) as client:
        assert "secure" in _login(client).lower().split("; ")
    monkeypatch.delenv("SOHOA_COOKIE_SECURE")
    get_settings.cache_clear()
    app = create_app(get_settings(), redis_conn)
    with TestClient(app, base_url="https://testserver") as client:
        assert "secure" in _login(client).lower().split("; ")
    with TestClient(app) as client:
        assert "secure" not in _login(client).lower().split("; ")  # plain HTTP on loopback


def test_serve_refuses_a_remote_proxy_without_https(monkeypatch: pytest.MonkeyPatch) -> None:
    """Boundary: `sohoa serve` trusting a proxy on another machine starts only with
    SOHOA_COOKIE_SECURE=true or an explicit SOHOA_ALLOW_INSECURE_COOKIE=true."""
    started: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: started.append(kw))
    monkeypatch.setenv("SOHOA_FORWARDED_ALLOW_IPS", "10.0.0.5")
    get_settings.cache_clear()
    refused = CliRunner().invoke(main, ["serve", "--workers", "1"])
    assert refused.exit_code != 0 and started == []
    assert "SOHOA_COOKIE_SECURE" in refused.output
    for variable in ("SOHOA_COOKIE_SECURE", "SOHOA_ALLOW_INSECURE_COOKIE"):
        runner = CliRunner(env={variable: "true"})
        get_settings.cache_clear()
        assert runner.invoke(main, ["serve", "--workers", "1"]).exit_code == 0
    assert [kw["forwarded_allow_ips"] for kw in started] == ["10.0.0.5", "10.0.0.5"]
