"""The unit's tracking book (form 07) over HTTP (`sohoa book` on the web): the asker's own
unit's dossiers only, whichever unit the request names."""

from __future__ import annotations

import subprocess
from collections.abc import Callable

from fastapi.testclient import TestClient

from api.accounts import Principal
from config.settings import Settings
from storage.db import open_database
from tests.api.counter_support import Clerk
from tests.storage.archive_support import build_dossier

MARCH = "from=2026-03-01&to=2026-03-31"


def _text(pdf: bytes) -> str:
    """The PDF's words, as pdftotext reads them."""
    read = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True,
                          check=True)  # fmt: skip
    return " ".join(read.stdout.decode("utf-8").split())


def test_the_book_lists_the_askers_unit_only(
    app_client: TestClient,
    accounts: dict[str, Principal],
    api_settings: Settings,
    bearer: Callable[[str], dict[str, str]],
) -> None:
    """GIVEN dossiers received in March in xa-a and in xa-b WHEN xa-a's clerk prints the
    book from the page and the API, naming xa-b THEN it lists xa-a's dossier and never
    xa-b's; xa-b's clerk gets the opposite; an archivist and an admin get 403."""
    db = open_database(api_settings)
    own = build_dossier(db, api_settings, unit="xa-a", seed=61).code
    other = build_dossier(db, api_settings, unit="xa-b", seed=62).code
    answer = app_client.get(f"/api/book?{MARCH}&unit=xa-b", headers=bearer("clerk_a"))
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    text = _text(answer.content)
    assert own in text and other not in text
    clerk = Clerk(app_client, api_settings, accounts["leader_a"])
    app_client.cookies.clear()
    page = app_client.get(f"/book.pdf?{MARCH}&unit=xa-b", headers=clerk.headers)
    assert page.status_code == 200
    assert own in _text(page.content) and other not in _text(page.content)
    theirs = _text(app_client.get(f"/api/book?{MARCH}", headers=bearer("clerk_b")).content)
    assert other in theirs and own not in theirs
    for who in ("archivist", "admin"):
        assert app_client.get(f"/api/book?{MARCH}", headers=bearer(who)).status_code == 403
    backwards = app_client.get("/api/book?from=2026-03-31&to=2026-03-01", headers=bearer("clerk_a"))
    assert backwards.status_code == 400
