"""Pages that workers change are followed by polling a JSON status, never by reloading the
page: an upload in flight, a reason being typed or ticked boxes survive a state change."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from api.accounts import Principal, issue_token
from api.http.auth import SESSION_COOKIE
from config.settings import Settings
from storage.enums import TokenKind
from tests.support.samples import born_digital

Headers = Callable[[str], dict[str, str]]


def _dossier_with_a_queued_file(
    client: TestClient, clerk: dict[str, str], tmp: Path
) -> tuple[str, int]:
    code = client.post(
        "/api/dossiers", json={"procedure": "1.001193", "applicant_name": "Lê Văn Bình"},
        headers=clerk,
    ).json()["code"]  # fmt: skip
    pdf, _ = born_digital(tmp, "giay_chung_sinh")
    added = client.post(
        f"/api/dossiers/{code}/files",
        files=[("files", ("chung-sinh.pdf", pdf.read_bytes(), "application/pdf"))],
        headers=clerk,
    ).json()["files"][0]
    return code, int(added["document_id"])


def _page(client: TestClient, settings: Settings, who: Principal, url: str) -> str:
    issued = issue_token(settings, who, TokenKind.SESSION)
    client.cookies.clear()
    reply = client.get(url, headers={"Cookie": f"{SESSION_COOKIE}={issued.token}"})
    assert reply.status_code == 200, reply.text[:300]
    return str(reply.text)


def test_the_status_of_a_dossier_says_what_is_pending_in_vietnamese(
    app_client: TestClient, bearer: Headers, tmp_path: Path
) -> None:
    """GIVEN a dossier with a file not digitized yet
    WHEN its status is asked by its unit's clerk and leader, another unit's clerk, an admin
    THEN its own unit reads the queued file (labelled in Vietnamese) and `pending`; the other
    unit gets the 404 of a dossier that does not exist, the admin 403."""
    code, document = _dossier_with_a_queued_file(app_client, bearer("clerk_a"), tmp_path)
    url = f"/api/dossiers/{code}/status"
    for who in ("clerk_a", "leader_a"):
        status = app_client.get(url, headers=bearer(who)).json()
        assert status["pending"] is True
        (row,) = status["documents"]
        assert (row["id"], row["status"], row["status_vi"]) == (document, "queued", "chờ xử lý")
        assert status["completeness_vi"].startswith("Còn thiếu")
        assert all(c["state_vi"] for c in status["components"])
    assert app_client.get(url, headers=bearer("clerk_b")).status_code == 404
    assert app_client.get(url, headers=bearer("admin")).status_code == 403


def test_pending_pages_poll_their_status_instead_of_reloading(
    app_client: TestClient,
    bearer: Headers,
    accounts: dict[str, Principal],
    api_settings: Settings,
    tmp_path: Path,
) -> None:
    """GIVEN a dossier with a queued file WHEN its page and the file's page are shown
    THEN neither asks the browser to reload (no meta refresh, which aborted uploads and wiped
    a rescan reason being typed); both name the status URL their script polls."""
    code, document = _dossier_with_a_queued_file(app_client, bearer("clerk_a"), tmp_path)
    clerk = accounts["clerk_a"]
    for url in (f"/clerk/dossiers/{code}", f"/clerk/documents/{document}"):
        html = _page(app_client, api_settings, clerk, url)
        assert "http-equiv" not in html
        assert f'data-status-url="/api/dossiers/{code}/status"' in html
        assert 'data-pending="1"' in html and "/static/live.js" in html
    inbox = _page(app_client, api_settings, accounts["leader_a"], "/leader")
    assert "http-equiv" not in inbox and 'data-status-url="/api/signing/inbox"' in inbox
