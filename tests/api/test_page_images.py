"""A document's pages are shown as images the server renders (pdftoppm), not as a PDF in a
frame: bounded widths, cached by digest, page and width, and only for who may read it."""

from __future__ import annotations

import io
from pathlib import Path

from fastapi.testclient import TestClient
from PIL import Image

from api.accounts import Principal, issue_token
from api.http.auth import SESSION_COOKIE
from config.settings import Settings
from storage.db import open_database
from storage.enums import TokenKind
from tests.storage.archive_support import build_dossier


def _session(settings: Settings, who: Principal) -> dict[str, str]:
    return {"Cookie": f"{SESSION_COOKIE}={issue_token(settings, who, TokenKind.SESSION).token}"}


def test_a_page_is_rendered_once_at_a_bounded_width_for_its_own_unit(
    app_client: TestClient, accounts: dict[str, Principal], api_settings: Settings
) -> None:
    """GIVEN a digitized two-page document of unit xa-a
    WHEN its page images are asked at various widths, by its clerk and by another unit's
    THEN its clerk gets PNGs at the next allowed width (never wider than the largest),
    rendered once into the cache; pages that do not exist and other units get 404."""
    built = build_dossier(open_database(api_settings), api_settings, unit="xa-a", seed=1)
    document = built.documents["giay_chung_sinh"]
    clerk = _session(api_settings, accounts["clerk_a"])
    app_client.cookies.clear()
    widths = {}
    for asked, page in ((300, 1), (5000, 2), (None, 1)):
        query = f"?w={asked}" if asked else ""
        reply = app_client.get(f"/documents/{document}/pages/{page}.png{query}", headers=clerk)
        assert reply.status_code == 200, reply.text[:200]
        assert reply.headers["content-type"] == "image/png"
        assert reply.headers["cache-control"].startswith("private")
        widths[asked] = Image.open(io.BytesIO(reply.content)).size[0]
    assert widths == {300: 320, 5000: 1600, None: 640}
    cached = sorted(p.name for p in (api_settings.data_path / "cache" / "pages").rglob("*.png"))
    assert len(cached) == 3
    for missing in (0, 3):
        url = f"/documents/{document}/pages/{missing}.png"
        assert app_client.get(url, headers=clerk).status_code == 404
    other = _session(api_settings, accounts["clerk_b"])
    assert app_client.get(f"/documents/{document}/pages/1.png", headers=other).status_code == 404
    page = app_client.get(f"/clerk/documents/{document}", headers=clerk).text
    assert f"/documents/{document}/pages/2.png" in page and "<iframe" not in page
    dossier = app_client.get(f"/clerk/dossiers/{built.code}", headers=clerk).text
    assert f'class="thumb" src="/documents/{document}/pages/1.png?w=160"' in dossier


def test_a_render_is_reused_from_the_cache(
    app_client: TestClient, accounts: dict[str, Principal], api_settings: Settings
) -> None:
    """GIVEN a page rendered once WHEN its cached image is replaced by a marker and the page
    asked again at the same width THEN the cached file is served (no second render)."""
    built = build_dossier(open_database(api_settings), api_settings, unit="xa-a", seed=2)
    document = built.documents["giay_chung_sinh"]
    clerk = _session(api_settings, accounts["clerk_a"])
    url = f"/documents/{document}/pages/1.png?w=640"
    app_client.cookies.clear()
    first = app_client.get(url, headers=clerk).content
    (cached,) = (api_settings.data_path / "cache" / "pages").rglob("*-p1-w640.png")
    marker = Path(cached)
    marker.write_bytes(first + b"cached")
    assert app_client.get(url, headers=clerk).content.endswith(b"cached")
