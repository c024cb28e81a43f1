"""Rescan requests: a clerk asks for a paper to be scanned again; a new scan answers it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from tests.support.samples import born_digital

Headers = Callable[[str], dict[str, str]]


def test_a_rescan_request_is_listed_until_a_new_scan_arrives(
    app_client: TestClient, bearer: Headers, tmp_path: Path
) -> None:
    clerk = bearer("clerk_a")
    code = app_client.post(
        "/api/dossiers", json={"procedure": "1.001193", "applicant_name": "Lê Văn Bình"},
        headers=clerk,
    ).json()["code"]  # fmt: skip
    first, _ = born_digital(tmp_path, "giay_chung_sinh")
    added = app_client.post(
        f"/api/dossiers/{code}/files",
        files=[("files", ("chung-sinh.pdf", first.read_bytes(), "application/pdf"))],
        headers=clerk,
    ).json()["files"][0]
    url = f"/api/documents/{added['document_id']}/rescan"
    reason = {"reason": "trang 1 bị mờ"}
    assert app_client.post(url, json=reason, headers=bearer("leader_a")).status_code == 403
    assert app_client.post(url, json=reason, headers=bearer("clerk_b")).status_code == 404
    asked = app_client.post(url, json=reason, headers=clerk)
    assert asked.status_code == 201
    (listed,) = asked.json()["rescan_requests"]
    assert (listed["reason"], listed["by"], listed["file"]) == (
        "trang 1 bị mờ", "clerk_a", "chung-sinh.pdf",
    )  # fmt: skip
    again, _ = born_digital(tmp_path, "giay_chung_sinh", seed=2)
    app_client.post(
        f"/api/dossiers/{code}/files",
        files=[("files", ("chung-sinh-2.pdf", again.read_bytes(), "application/pdf"))],
        headers=clerk,
    )
    answered = app_client.post(url, json={"reason": "thiếu trang 2"}, headers=clerk).json()
    assert [r["reason"] for r in answered["rescan_requests"]] == ["thiếu trang 2"]
