"""Files waiting in the scanner inbox, made without a scanner: stored, then recorded as the
scan records one no receipt's QR code filed."""

from __future__ import annotations

from api.accounts import IssuedToken, Principal, issue_token
from api.http.auth import SESSION_COOKIE
from api.services import open_dossier
from config.settings import Settings
from digitize.sniff import MediaType
from storage.blobs import blob_store
from storage.db import open_database
from storage.enums import TokenKind
from storage.inbox import record_item
from tests.storage.archive_support import jpeg_bytes, pdf_bytes


def waiting_file(settings: Settings, unit: str, name: str, *, pages: int = 2, seed: int = 0) -> int:
    """A waiting item of the unit: a PDF of `pages` blank pages (a JPEG when `pages` is 0,
    one page); its id."""
    data, media = (
        (pdf_bytes(pages, seed), MediaType.PDF) if pages else (jpeg_bytes(seed), MediaType.JPEG)
    )
    blob = blob_store(settings).put_bytes(data)
    with open_database(settings).session() as session:
        item = record_item(
            session, unit_code=unit, filename=name, sha256=blob.sha256, size=blob.size,
            media_type=media.value,
        )  # fmt: skip
        item.error_message = "no cover sheet on its first page"
        return item.id


def open_dossier_of(settings: Settings, unit: str, name: str = "Lê Thị Hoa") -> str:
    """A dossier just received in the unit, nothing uploaded yet; its code."""
    return open_dossier(
        settings, procedure_code="1.001193", applicant_name=name, applicant_id_number=None,
        unit_code=unit, actor="test",
    )  # fmt: skip


def session_of(settings: Settings, who: Principal) -> tuple[dict[str, str], str]:
    """A page session of `who`: its cookie header, and the CSRF token its forms echo."""
    issued: IssuedToken = issue_token(settings, who, TokenKind.SESSION)
    assert issued.principal.csrf_token is not None
    return {"Cookie": f"{SESSION_COOKIE}={issued.token}"}, issued.principal.csrf_token
