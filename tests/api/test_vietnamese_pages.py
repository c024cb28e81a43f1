"""The clerk's pages speak Vietnamese: no stored code (a state, a field name, a page flag,
an error code) reaches the text a clerk reads."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from fastapi.testclient import TestClient

from api.accounts import Principal, issue_token
from api.http.auth import SESSION_COOKIE
from config import labels
from config.settings import Settings
from storage.db import open_database
from storage.documents import get_document
from storage.enums import DocumentStatus, TokenKind
from tests.storage.archive_support import build_dossier


class _Text(HTMLParser):
    """The text a reader sees (no tags, attributes, scripts)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _visible(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


CODES = {
    *labels.DOSSIER_STATES, *labels.DOCUMENT_STATES, *labels.COMPONENT_STATES,
    *labels.FLAGS, *labels.FIELDS, "child_full_name", "mother_id_number", "tool_timeout",
}  # fmt: skip
"""English codes that must not be read on a clerk's page."""


def test_no_english_code_leaks_into_the_clerks_pages(
    app_client: TestClient, accounts: dict[str, Principal], api_settings: Settings
) -> None:
    """GIVEN a dossier whose document has fields of the person and of another (child_...),
    pages flagged low_dpi and blank, and a document that failed with an error code
    WHEN the clerk opens the unit's list, the dossier and each document
    THEN no code is read: states, fields, flags and the error read in Vietnamese."""
    db = open_database(api_settings)
    built = build_dossier(db, api_settings, unit="xa-a", seed=3, signed=False)
    shown, failed = built.documents["giay_chung_sinh"], built.documents["to_khai_khai_sinh"]
    with db.session() as session:
        document = get_document(session, shown)
        document.fields = {
            key: {"value": value, "page": 1, "confidence": 0.9}
            for key, value in (("id_number", "001190012345"), ("child_full_name", "Lê An"))
        }
        document.page_info = [{"flags": ["low_dpi"]}, {"flags": ["blank"]}]
        broken = get_document(session, failed)
        broken.status = DocumentStatus.FAILED
        broken.error_code, broken.error_message = "tool_timeout", "tesseract took too long"
    token = issue_token(api_settings, accounts["clerk_a"], TokenKind.SESSION).token
    app_client.cookies.clear()
    cookie = {"Cookie": f"{SESSION_COOKIE}={token}"}
    pages = ["/clerk", f"/clerk/dossiers/{built.code}"]
    pages += [f"/clerk/documents/{d}" for d in built.documents.values()]
    for url in pages:
        reply = app_client.get(url, headers=cookie)
        assert reply.status_code == 200, url
        text = _visible(reply.text)
        leaked = sorted(c for c in CODES if re.search(rf"(?<![\w/.-]){c}(?![\w/.-])", text))
        assert not leaked, f"{url} shows {leaked}"
    document_page = _visible(app_client.get(f"/clerk/documents/{shown}", headers=cookie).text)
    assert "Họ và tên (người con)" in document_page and "độ phân giải thấp" in document_page
    failed_page = _visible(app_client.get(f"/clerk/documents/{failed}", headers=cookie).text)
    assert labels.error_hints()["tool_timeout"] in failed_page
