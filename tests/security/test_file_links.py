"""The exchange's messages link stored files at /api/files/{sha256}: the route serves a file
only to a user who may read a dossier holding it, and never runs it in our origin."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from config.settings import Settings
from storage.exchange import file_link
from tests.support.samples import born_digital

Headers = Callable[[str], dict[str, str]]


def test_a_linked_file_is_served_only_to_the_units_that_hold_it(
    app_client: TestClient, bearer: Headers, api_settings: Settings, tmp_path: Path
) -> None:
    """Attack: a clerk of another unit (or an admin, who reads no dossier) follows a file
    link of the exchange feed, or guesses a SHA-256, to download a citizen's papers.
    Boundary: GET /api/files/{sha256} looks up the dossiers holding the blob and answers
    only a user the policy lets read one of them (document.read, unit-scoped): another unit
    gets the 404 of a file that does not exist, an admin 403; the file goes out as a
    sandboxed attachment (an uploaded HTML or PDF with script cannot act as the user)."""
    clerk = bearer("clerk_a")
    code = app_client.post(
        "/api/dossiers", json={"procedure": "1.001193", "applicant_name": "Lê Văn Bình"},
        headers=clerk,
    ).json()["code"]  # fmt: skip
    pdf, _ = born_digital(tmp_path, "giay_chung_sinh")
    sha = app_client.post(
        f"/api/dossiers/{code}/files",
        files=[("files", ("chung-sinh.pdf", pdf.read_bytes(), "application/pdf"))],
        headers=clerk,
    ).json()["files"][0]["sha256"]
    url = (file_link("http://testserver", sha) or "").removeprefix("http://testserver")
    for who in ("clerk_a", "leader_a"):
        got = app_client.get(url, headers=bearer(who))
        assert got.status_code == 200, got.text
        assert got.content == pdf.read_bytes()
        assert got.headers["content-disposition"].startswith("attachment")
        assert "sandbox" in got.headers["content-security-policy"]
    assert app_client.get(url, headers=bearer("clerk_b")).status_code == 404
    assert app_client.get(url, headers=bearer("admin")).status_code == 403
    assert app_client.get(url).status_code == 401
    nobody = "/api/files/" + "0" * 64
    assert app_client.get(nobody, headers=clerk).status_code == 404
    assert app_client.get("/api/files/..%2F..%2Fetc", headers=clerk).status_code in (404, 422)
