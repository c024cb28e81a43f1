"""A clerk cuts a waiting scanner stack into several files and turns a page, on the inbox
pages, in the API and with `sohoa inbox split|rotate`: one function behind all three, under
policy rows inbox.split / inbox.rotate (other roles 403, other units 404, forms need the
session's CSRF token), on real PDFs and images in a real blob store and database; and files
one into a dossier's component chosen by its Vietnamese label."""

from __future__ import annotations

import io
from collections.abc import Callable

import pikepdf
from click.testing import CliRunner
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select

from api.accounts import Principal
from api.cli import main
from config.settings import Settings
from digitize.sniff import MediaType
from storage.blobs import blob_store
from storage.db import open_database
from storage.dossiers import get_dossier
from storage.enums import EventKind, InboxStatus
from storage.inbox import get_item, items_of, record_item
from storage.models import Document, Event, InboxItem
from tests.api.inbox_support import open_dossier_of, session_of, waiting_file

Headers = Callable[[str], dict[str, str]]


def _item(settings: Settings, item_id: int) -> InboxItem:
    with open_database(settings).session(readonly=True) as session:
        item = get_item(session, item_id)
        session.expunge(item)
        return item


def _waiting(settings: Settings, unit: str) -> dict[str, int]:
    with open_database(settings).session(readonly=True) as session:
        return {i.filename: i.id for i in items_of(session, unit, InboxStatus.WAITING)}


def _pdf_pages(settings: Settings, sha: str) -> list[tuple[float, int]]:
    """Each page's width and /Rotate, as stored."""
    with pikepdf.open(blob_store(settings).path(sha)) as pdf:
        return [(float(p.mediabox[2]), int(p.obj.get("/Rotate", 0))) for p in pdf.pages]


def _numbered_pdf(settings: Settings, unit: str, name: str, pages: int) -> int:
    """A waiting PDF whose page n is 500 + n points wide, so a part's pages can be told."""
    out = io.BytesIO()
    with pikepdf.new() as pdf:
        for n in range(1, pages + 1):
            pdf.add_blank_page(page_size=(500 + n, 842))
        pdf.save(out)
    return _stored(settings, unit, name, out.getvalue(), MediaType.PDF)


def _stored(settings: Settings, unit: str, name: str, data: bytes, media: MediaType) -> int:
    blob = blob_store(settings).put_bytes(data)
    with open_database(settings).session() as session:
        return record_item(
            session, unit_code=unit, filename=name, sha256=blob.sha256, size=blob.size,
            media_type=media.value,
        ).id  # fmt: skip


def _events(settings: Settings, kind: EventKind) -> list[dict[str, object]]:
    with open_database(settings).session(readonly=True) as session:
        return [e.data for e in session.scalars(select(Event).where(Event.kind == kind.value))]


def test_a_clerk_cuts_a_stack_on_its_page_and_each_part_waits_on_its_own(
    app_client: TestClient, accounts: dict[str, Principal], api_settings: Settings
) -> None:
    """GIVEN a five-page PDF waiting in xa-a's inbox WHEN its clerk opens it, sees every
    page drawn, ticks pages 3 and 5 and cuts THEN three waiting files hold pages 1-2, 3-4
    and 5 (each stored under its own SHA-256); the original leaves the inbox, its bytes
    still stored and named by the `inbox.split` event."""
    item = _numbered_pdf(api_settings, "xa-a", "ho-so-tron.pdf", 5)
    original = _item(api_settings, item).sha256
    assert original is not None
    headers, csrf = session_of(api_settings, accounts["clerk_a"])
    app_client.cookies.clear()
    shown = app_client.get(f"/clerk/inbox/{item}", headers=headers)
    assert shown.status_code == 200
    for n in range(1, 6):
        assert f"/inbox/{item}/pages/{n}.png?w=640&amp;v={original[:16]}" in shown.text
    assert (
        'name="starts" value="1"' not in shown.text and 'value="5" form="split-form"' in shown.text
    )
    form = {"csrf": csrf, "starts": ["3", "5"]}
    cut = app_client.post(
        f"/clerk/inbox/{item}/split", data=form, headers=headers, follow_redirects=False
    )
    assert cut.status_code == 303, cut.text[:300]
    after = app_client.get(cut.headers["location"], headers=headers).text
    assert "Đã tách tệp thành 3 tệp" in after
    parts = _waiting(api_settings, "xa-a")
    assert set(parts) == {"ho-so-tron-p1-2.pdf", "ho-so-tron-p3-4.pdf", "ho-so-tron-p5.pdf"}
    widths = {
        name: [w for w, _r in _pdf_pages(api_settings, _item(api_settings, i).sha256 or "")]
        for name, i in parts.items()
    }
    assert widths == {
        "ho-so-tron-p1-2.pdf": [501, 502], "ho-so-tron-p3-4.pdf": [503, 504],
        "ho-so-tron-p5.pdf": [505],
    }  # fmt: skip
    assert _item(api_settings, item).status is InboxStatus.SPLIT
    assert blob_store(api_settings).verify(original)
    (event,) = _events(api_settings, EventKind.INBOX_SPLIT)
    assert event["sha256"] == original and event["inbox_item"] == item
    assert [p["pages"] for p in event["parts"]] == [[1, 2], [3, 4], [5, 5]]  # type: ignore[attr-defined]
    assert app_client.get(f"/inbox/{item}/pages/1.png", headers=headers).status_code == 404
    assert app_client.get(f"/clerk/inbox/{item}", headers=headers).status_code == 404


def test_turning_a_page_changes_only_that_page_and_keeps_the_earlier_bytes(
    app_client: TestClient,
    accounts: dict[str, Principal],
    api_settings: Settings,
    bearer: Headers,
) -> None:
    """GIVEN a waiting three-page PDF and a waiting JPEG WHEN a clerk turns the PDF's page 2
    by 270° through the API and the JPEG by 90° on its page THEN the PDF's page 2 alone
    carries /Rotate 270 (nothing re-encoded), the JPEG's compressed image is byte for byte
    the scanner's with an EXIF turn, its page image is drawn turned (and under a new URL
    version), the item keeps its id, and each event names the bytes before and after."""
    pdf = _numbered_pdf(api_settings, "xa-a", "quet-3.pdf", 3)
    jpeg = waiting_file(api_settings, "xa-a", "quet.jpg", pages=0, seed=3)
    before = _item(api_settings, jpeg).sha256 or ""
    app_client.cookies.clear()
    turned = app_client.post(
        f"/api/inbox/{pdf}/rotate", json={"page": 2, "degrees": 270}, headers=bearer("clerk_a")
    )
    assert turned.status_code == 200, turned.text
    assert turned.json() == {"item_id": pdf, "file": "quet-3.pdf"}
    assert [r for _w, r in _pdf_pages(api_settings, _item(api_settings, pdf).sha256 or "")] == [
        0, 270, 0,
    ]  # fmt: skip
    headers, csrf = session_of(api_settings, accounts["clerk_a"])
    reply = app_client.post(
        f"/clerk/inbox/{jpeg}/rotate", data={"csrf": csrf, "page": "1", "degrees": "90"},
        headers=headers, follow_redirects=False,
    )  # fmt: skip
    assert reply.status_code == 303 and reply.headers["location"].startswith(f"/clerk/inbox/{jpeg}")
    after = _item(api_settings, jpeg).sha256 or ""
    assert after != before and blob_store(api_settings).verify(before)
    page = app_client.get(reply.headers["location"], headers=headers).text
    assert "Đã xoay trang 1." in page and f"v={after[:16]}" in page
    old, new = (blob_store(api_settings).read_bytes(s) for s in (before, after))
    assert old[old.index(b"\xff\xdb") :] == new[new.index(b"\xff\xdb") :]  # same tables, scan
    with Image.open(io.BytesIO(new)) as image:
        assert image.getexif()[0x0112] == 6 and image.size == (64, 80)
    drawn = app_client.get(f"/inbox/{jpeg}/pages/1.png?w=160&v={after[:16]}", headers=headers)
    assert Image.open(io.BytesIO(drawn.content)).size == (80, 64)
    events = _events(api_settings, EventKind.INBOX_TURNED)
    assert {(e["inbox_item"], e["page"], e["degrees"]) for e in events} == {
        (pdf, 2, 270), (jpeg, 1, 90),
    }  # fmt: skip
    assert any(e["before"] == before and e["after"] == after for e in events)


def test_pages_a_file_lacks_and_signed_files_are_refused_and_nothing_changes(
    app_client: TestClient, api_settings: Settings, bearer: Headers
) -> None:
    """ATTACK: cut points outside the file (0, its own last page + 1, a negative number, out
    of order, page 1 alone), a page it lacks or a turn that is no quarter turn, and a signed
    PDF whose signature a rewrite would break.
    BOUNDARY: digitize.originals checks each against the file; 400 with a Vietnamese hint,
    (`page_out_of_range`, or `invalid_request` for what the API's schema refuses); the
    file stays waiting and unchanged."""
    item = _numbered_pdf(api_settings, "xa-a", "ba-trang.pdf", 3)
    sha = _item(api_settings, item).sha256
    app_client.cookies.clear()
    clerk = bearer("clerk_a")
    for starts in ([4], [0, 2], [-1], [3, 2], [1], [2, 2]):
        reply = app_client.post(f"/api/inbox/{item}/split", json={"starts": starts}, headers=clerk)
        assert reply.status_code == 400, (starts, reply.text)
        assert reply.json()["error"]["code"] == "page_out_of_range"
        assert reply.json()["error"]["hint"].startswith("Tệp có 3 trang")
    for turn, code in (({"page": 4, "degrees": 90}, "page_out_of_range"),
                       ({"page": 0, "degrees": 90}, "invalid_request"),
                       ({"page": 1, "degrees": 45}, "invalid_request")):  # fmt: skip
        reply = app_client.post(f"/api/inbox/{item}/rotate", json=turn, headers=clerk)
        assert reply.status_code == 400 and reply.json()["error"]["code"] == code, turn
    assert _item(api_settings, item).sha256 == sha
    assert _item(api_settings, item).status is InboxStatus.WAITING
    signed = _signed_pdf(api_settings)
    for url, body in ((f"/api/inbox/{signed}/split", {"starts": [2]}),
                      (f"/api/inbox/{signed}/rotate", {"page": 1, "degrees": 180})):  # fmt: skip
        reply = app_client.post(url, json=body, headers=clerk)
        assert reply.status_code == 400 and reply.json()["error"]["code"] == "signed_original"
        assert "chữ ký số" in reply.json()["error"]["hint"]
    assert _item(api_settings, signed).status is InboxStatus.WAITING
    assert _events(api_settings, EventKind.INBOX_SPLIT) == []


def _signed_pdf(settings: Settings) -> int:
    """A waiting two-page PDF with a filled signature field (what digitize.pdfinput calls
    signed: rewriting it would break the signature)."""
    out = io.BytesIO()
    with pikepdf.new() as pdf:
        for _ in range(2):
            pdf.add_blank_page()
        field = pdf.make_indirect(
            pikepdf.Dictionary(
                FT=pikepdf.Name.Sig, T="Sig1", V=pikepdf.Dictionary(Type=pikepdf.Name.Sig)
            )
        )
        pdf.Root.AcroForm = pikepdf.Dictionary(Fields=[field])
        pdf.save(out)
    return _stored(settings, "xa-a", "da-ky.pdf", out.getvalue(), MediaType.PDF)


def test_other_roles_other_units_and_forged_forms_cannot_cut_or_turn(
    app_client: TestClient,
    accounts: dict[str, Principal],
    api_settings: Settings,
    bearer: Headers,
) -> None:
    """ATTACK: a leader, an archivist or an admin cuts or turns a clerk's scan; xa-b's clerk
    cuts, turns or opens xa-a's by guessing its id; a page on another site posts the forms
    with the clerk's cookie but without (or with a forged) CSRF token; a filed file is cut.
    BOUNDARY: policy rows inbox.split / inbox.rotate (clerks only: 403), the unit rule (404
    as if absent), the session's CSRF token (403); nothing is cut or turned."""
    item = waiting_file(api_settings, "xa-a", "quet-xa-a.pdf", pages=2, seed=11)
    sha = _item(api_settings, item).sha256
    app_client.cookies.clear()
    asks = (("split", {"starts": [2]}), ("rotate", {"page": 1, "degrees": 90}))
    for who in ("leader_a", "archivist", "admin"):
        for verb, body in asks:
            reply = app_client.post(f"/api/inbox/{item}/{verb}", json=body, headers=bearer(who))
            assert reply.status_code == 403 and reply.json()["error"]["code"] == "forbidden"
        headers, csrf = session_of(api_settings, accounts[who])
        for verb, form in (("split", {"starts": "2"}), ("rotate", {"page": "1", "degrees": "90"})):
            reply = app_client.post(
                f"/clerk/inbox/{item}/{verb}", data={"csrf": csrf, **form}, headers=headers
            )
            assert reply.status_code == 403
    for verb, body in asks:
        reply = app_client.post(f"/api/inbox/{item}/{verb}", json=body, headers=bearer("clerk_b"))
        assert reply.status_code == 404 and reply.json()["error"]["code"] == "not_found"
    other, other_csrf = session_of(api_settings, accounts["clerk_b"])
    assert app_client.get(f"/clerk/inbox/{item}", headers=other).status_code == 404
    reply = app_client.post(
        f"/clerk/inbox/{item}/split", data={"csrf": other_csrf, "starts": "2"}, headers=other
    )
    assert reply.status_code == 404
    headers, _csrf = session_of(api_settings, accounts["clerk_a"])
    for forged in ({}, {"csrf": "forged"}):
        for verb, form in (("split", {"starts": "2"}), ("rotate", {"page": "1", "degrees": "90"})):
            reply = app_client.post(
                f"/clerk/inbox/{item}/{verb}", data={**forged, **form}, headers=headers
            )
            assert reply.status_code == 403 and "Biểu mẫu đã hết hạn" in reply.text
    assert _item(api_settings, item).sha256 == sha
    assert _item(api_settings, item).status is InboxStatus.WAITING
    code = open_dossier_of(api_settings, "xa-a")
    filed = app_client.post(
        f"/api/inbox/{item}/assign", json={"dossier_code": code}, headers=bearer("clerk_a")
    )
    assert filed.status_code == 200
    again = app_client.post(
        f"/api/inbox/{item}/split", json={"starts": [2]}, headers=bearer("clerk_a")
    )
    assert again.status_code == 404


def test_a_clerk_files_a_scan_into_a_component_chosen_by_its_label(
    app_client: TestClient, accounts: dict[str, Principal], api_settings: Settings
) -> None:
    """GIVEN a waiting file and a dossier of the unit WHEN the clerk types the dossier's code
    on the file's page THEN the dossier's components are offered by their Vietnamese labels
    (no key to type), and the one chosen holds the document; another unit's dossier code is
    answered as an unknown one (404, in Vietnamese) and offers nothing."""
    code = open_dossier_of(api_settings, "xa-a")
    elsewhere = open_dossier_of(api_settings, "xa-b")
    item = waiting_file(api_settings, "xa-a", "to-khai.pdf", pages=1, seed=12)
    headers, csrf = session_of(api_settings, accounts["clerk_a"])
    app_client.cookies.clear()
    listed = app_client.get("/clerk/inbox", headers=headers).text
    assert 'name="component_id"' not in listed and f'href="/clerk/inbox/{item}"' in listed
    with open_database(api_settings).session(readonly=True) as session:
        components = [(c.id, c.label) for c in get_dossier(session, code).components]
    page = app_client.get(f"/clerk/inbox/{item}", params={"dossier": code}, headers=headers)
    assert page.status_code == 200
    for cid, label in components:
        assert f'<option value="{cid}">{label} (' in page.text
    chosen = components[-1][0]
    form = {"csrf": csrf, "dossier_code": code, "component_id": str(chosen)}
    reply = app_client.post(
        f"/clerk/inbox/{item}/assign", data=form, headers=headers, follow_redirects=False
    )
    assert reply.status_code == 303
    with open_database(api_settings).session(readonly=True) as session:
        document = session.get(Document, get_item(session, item).document_id)
        assert document is not None and document.component_id == chosen
    other = waiting_file(api_settings, "xa-a", "khac.pdf", pages=1, seed=13)
    refused = app_client.get(
        f"/clerk/inbox/{other}", params={"dossier": elsewhere}, headers=headers
    )
    assert refused.status_code == 404
    assert f"Không có hồ sơ mã “{elsewhere}”" in refused.text and "<select" not in refused.text


def test_the_cli_cuts_and_turns_through_the_same_function(api_settings: Settings) -> None:
    """GIVEN a waiting TIFF of four frames WHEN `sohoa inbox rotate` turns frame 2 and
    `sohoa inbox split --at 1,3` cuts it THEN two waiting TIFFs of two frames each, the
    second frame of the first turned (lossless TIFF, the scanner's resolution kept)."""
    frames = [Image.new("L", (40 + n, 60), 90 + n) for n in range(4)]
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:], dpi=(300, 300))
    item = _stored(api_settings, "xa-a", "quet.tif", out.getvalue(), MediaType.TIFF)
    runner = CliRunner()
    turned = runner.invoke(main, ["inbox", "rotate", str(item), "2", "90"])
    assert turned.exit_code == 0, turned.output
    cut = runner.invoke(main, ["inbox", "split", str(item), "--at", "1,3"])
    assert cut.exit_code == 0, cut.output
    parts = _waiting(api_settings, "xa-a")
    assert set(parts) == {"quet-p1-2.tif", "quet-p3-4.tif"}
    with Image.open(
        blob_store(api_settings).path(_item(api_settings, parts["quet-p1-2.tif"]).sha256 or "")
    ) as tif:
        assert getattr(tif, "n_frames", 1) == 2 and tif.info["compression"] == "tiff_lzw"
        tif.seek(1)
        assert tif.size == (60, 41) and tuple(round(d) for d in tif.info["dpi"]) == (300, 300)
    refused = runner.invoke(main, ["inbox", "split", str(parts["quet-p3-4.tif"]), "--at", "x"])
    assert refused.exit_code != 0


def test_a_hostile_file_name_or_item_path_reaches_nothing_outside_the_store(
    app_client: TestClient, api_settings: Settings, bearer: Headers
) -> None:
    """ATTACK: a waiting file recorded under a name with path separators and dots (what a
    share's client could try), cut so its parts' names are built from it; item ids that
    are not numbers or are another path in the URL.
    BOUNDARY: parts are named from the name's last component only and stored by SHA-256;
    the scratch files of a cut are gone afterwards; a path item id is refused, never read."""
    item = _numbered_pdf(api_settings, "xa-a", "../../../etc/passwd.pdf", 2)
    app_client.cookies.clear()
    clerk = bearer("clerk_a")
    reply = app_client.post(f"/api/inbox/{item}/split", json={"starts": [2]}, headers=clerk)
    assert reply.status_code == 200, reply.text
    assert [p["file"] for p in reply.json()] == ["passwd-p1.pdf", "passwd-p2.pdf"]
    assert list((api_settings.data_path / "tmp").glob("inbox-*")) == []
    for url in ("/api/inbox/..%2F..%2Fetc/split", "/api/inbox/1.5/split", "/api/inbox/-1/split"):
        refused = app_client.post(url, json={"starts": [2]}, headers=clerk)
        assert refused.status_code in (400, 404), (url, refused.status_code)
