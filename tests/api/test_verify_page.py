"""The login page's link to the public signature check leads to a page that works."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.storage.archive_support import pdf_bytes


def test_the_login_pages_verify_link_is_a_page_posting_to_the_public_check(
    app_client: TestClient,
) -> None:
    """GIVEN nobody signed in WHEN the login page's "Kiểm tra văn bản đã ký" link is followed
    THEN a page offers a PDF to check, its script (from /static) posting to /api/verify,
    whose answer carries the verdict in Vietnamese for the page to show."""
    login = app_client.get("/").text
    assert 'href="/verify"' in login
    page = app_client.get("/verify")
    assert page.status_code == 200 and "Không tìm thấy" not in page.text
    assert 'id="verify-file"' in page.text and "/static/verify.js" in page.text
    assert "/api/verify" in app_client.get("/static/verify.js").text
    reply = app_client.post(
        "/api/verify", files=[("file", ("x.pdf", pdf_bytes(1, 5), "application/pdf"))]
    ).json()
    assert (reply["verdict"], reply["verdict_vi"]) == ("indeterminate", "chưa xác định được")
