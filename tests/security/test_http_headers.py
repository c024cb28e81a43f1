"""What a browser may run on our origin: security headers on every response, uploaded files
never rendered inline (security review, issue 16)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from api.accounts import Principal
from api.http.context import TEMPLATES
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
