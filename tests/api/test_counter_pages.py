"""The clerk's counter work from the dossier's page: the receipt printed at reception,
supplement asked and received, the result returned, extracted fields corrected (each an
event with who and the value before and after)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.accounts import Principal
from api.services import open_dossier
from config.settings import Settings
from storage.db import open_database
from storage.documents import get_document
from storage.dossiers import get_dossier
from storage.enums import EventKind
from storage.models import Event
from tests.api.counter_support import Clerk
from tests.storage.archive_support import build_dossier


def _status(settings: Settings, code: str) -> str:
    with open_database(settings).session(readonly=True) as session:
        return get_dossier(session, code).status.value


def test_a_dossier_is_received_with_a_receipt_supplemented_and_returned(
    app_client: TestClient, accounts: dict[str, Principal], api_settings: Settings
) -> None:
    clerk = Clerk(app_client, api_settings, accounts["clerk_a"])
    app_client.cookies.clear()
    received = app_client.post(
        "/clerk/dossiers",
        data={"procedure": "1.001193", "applicant_name": "Lê Thị Hoa", "csrf": clerk.csrf},
        headers=clerk.headers, follow_redirects=False,
    )  # fmt: skip
    assert received.headers["location"].endswith("?done=received")
    code = received.headers["location"].split("/")[-1].split("?")[0]
    page = clerk.get(received.headers["location"])
    assert "In giấy tiếp nhận" in page and f"/clerk/dossiers/{code}/receipt.pdf" in page
    app_client.cookies.clear()
    pdf = app_client.get(f"/clerk/dossiers/{code}/receipt.pdf", headers=clerk.headers)
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")

    assert clerk.post(f"/clerk/dossiers/{code}/supplement", reason="thiếu giấy chứng sinh") == 303
    assert _status(api_settings, code) == "supplement_requested"
    assert "Đã nhận hồ sơ bổ sung" in clerk.get(f"/clerk/dossiers/{code}")
    assert clerk.post(f"/clerk/dossiers/{code}/resume") == 303
    assert _status(api_settings, code) != "supplement_requested"

    signed = build_dossier(open_database(api_settings), api_settings, unit="xa-a", seed=7)
    assert "Trả kết quả cho công dân" in clerk.get(f"/clerk/dossiers/{signed.code}")
    assert clerk.post(f"/clerk/dossiers/{signed.code}/return") == 303
    assert _status(api_settings, signed.code) == "returned"
    assert 'id="actions"' not in clerk.get(f"/clerk/dossiers/{signed.code}")
    other = Clerk(app_client, api_settings, accounts["clerk_b"])
    assert other.post(f"/clerk/dossiers/{code}/supplement", reason="không phải của tôi") == 404


def test_a_clerk_corrects_an_extracted_field_and_the_change_is_an_event(
    app_client: TestClient, accounts: dict[str, Principal], api_settings: Settings
) -> None:
    built = build_dossier(open_database(api_settings), api_settings, unit="xa-a", seed=8)
    document = built.documents["to_khai_khai_sinh"]
    clerk = Clerk(app_client, api_settings, accounts["clerk_a"])
    url = f"/clerk/documents/{document}/fields"
    assert 'action="/clerk/documents/' in clerk.get(f"/clerk/documents/{document}")
    assert clerk.post(url, name="id_number", value="001190012345") == 303
    assert clerk.post(url, name="id_number", value=" 001190054321 ") == 303
    assert clerk.post(url, name="not_a_field", value="x") == 400
    leader = Clerk(app_client, api_settings, accounts["leader_a"])
    assert leader.post(url, name="id_number", value="1") == 403
    assert Clerk(app_client, api_settings, accounts["clerk_b"]).post(url, name="sex") == 404
    with open_database(api_settings).session(readonly=True) as session:
        field = get_document(session, document).fields["id_number"]
        changes = [
            (e.actor, e.data["field"], e.data["from"], e.data["to"])
            for e in session.scalars(
                select(Event).where(
                    Event.document_id == document, Event.kind == EventKind.FIELD_CORRECTED
                )
            )
        ]
    assert (field["value"], field["source"], field["confidence"]) == ("001190054321", "clerk", 1.0)
    assert changes == [
        ("clerk_a", "id_number", None, "001190012345"),
        ("clerk_a", "id_number", "001190012345", "001190054321"),
    ]
    page = clerk.get(f"/clerk/documents/{document}")
    assert 'value="001190054321"' in page and "Số định danh cá nhân" in page
    history = clerk.get(f"/clerk/dossiers/{built.code}").split('id="history"')[1]
    (row,) = [r for r in history.split("<li")[1:] if "001190012345 → 001190054321" in r]
    assert "clerk_a" in row and "Sửa dữ liệu trích xuất" in row and "Số định danh cá nhân" in row
    assert "Số định danh cá nhân: — → 001190012345" in history
    api = app_client.get(f"/api/dossiers/{built.code}/history", headers=clerk.headers).json()
    fixes = [(h["actor"], h["detail"]) for h in api if h["kind"] == "document.field_corrected"]
    assert fixes[-1] == ("clerk_a", "Số định danh cá nhân: 001190012345 → 001190054321")
    other = Clerk(app_client, api_settings, accounts["clerk_b"])
    assert (
        app_client.get(f"/api/dossiers/{built.code}/history", headers=other.headers).status_code
        == 404
    )


def test_a_handwritten_number_and_day_not_read_are_asked_of_the_clerk(
    app_client: TestClient, accounts: dict[str, Principal], api_settings: Settings
) -> None:
    """GIVEN a document whose number and day were written by hand and not read (only the
    symbol and the month were given) WHEN the clerk opens it THEN the number and the issue
    date are asked for, beside what was printed; once typed, they are no longer asked."""
    db = open_database(api_settings)
    built = build_dossier(db, api_settings, unit="xa-a", seed=9)
    document = built.documents["to_khai_khai_sinh"]
    with db.session() as session:
        get_document(session, document).fields = {
            "document_symbol": {"value": "QĐ-UBND", "page": 1, "confidence": 0.85},
            "issue_month": {"value": "2025-02", "page": 1, "confidence": 0.8},
        }
    clerk = Clerk(app_client, api_settings, accounts["clerk_a"])
    page = clerk.get(f"/clerk/documents/{document}")
    assert 'placeholder="…/QĐ-UBND"' in page and 'placeholder="2025-02-…"' in page
    assert page.count("chưa đọc được") == 2
    url = f"/clerk/documents/{document}/fields"
    assert clerk.post(url, name="number_symbol", value="88/QĐ-UBND") == 303
    page = clerk.get(f"/clerk/documents/{document}")
    assert 'value="88/QĐ-UBND"' in page and "…/QĐ-UBND" not in page
    assert page.count("chưa đọc được") == 1


def test_a_dossier_held_by_a_unit_of_the_wrong_level_asks_to_be_routed(
    app_client: TestClient, accounts: dict[str, Principal], api_settings: Settings
) -> None:
    """GIVEN a land registration (a provincial procedure) received at commune xa-a WHEN its
    page is shown THEN it says the commune cannot resolve it and offers provincial units
    only; once routed to the land registration office the warning is gone."""
    clerk = Clerk(app_client, api_settings, accounts["clerk_a"])
    code = open_dossier(api_settings, procedure_code="1.004227", applicant_name="Lê Văn Hùng",
                        applicant_id_number=None, unit_code="xa-a", actor="test")  # fmt: skip
    page = clerk.get(f"/clerk/dossiers/{code}")
    assert 'id="needs-routing"' in page and "không có thẩm quyền giải quyết" in page
    assert 'value="vpdk-dat-dai"' in page and 'value="xa-tan-phu"' not in page
    assert clerk.post(f"/clerk/dossiers/{code}/route", to="vpdk-dat-dai") == 303
    assert 'id="needs-routing"' not in clerk.get(f"/clerk/dossiers/{code}?done=route")


def test_a_returned_dossier_is_still_offered_to_the_archivist(
    app_client: TestClient, accounts: dict[str, Principal], api_settings: Settings
) -> None:
    """GIVEN a signed dossier whose result the clerk returned WHEN the archivist opens the
    archive page THEN it is offered to seal, as it was before the return."""
    signed = build_dossier(open_database(api_settings), api_settings, unit="xa-a", seed=5)
    archivist = Clerk(app_client, api_settings, accounts["archivist"])
    assert signed.code in archivist.get("/archive").split('id="alerts"')[0]
    clerk = Clerk(app_client, api_settings, accounts["clerk_a"])
    assert clerk.post(f"/clerk/dossiers/{signed.code}/return") == 303
    history = clerk.get(f"/clerk/dossiers/{signed.code}").split('id="history"')[1]
    assert "Trả kết quả cho công dân" in history and "clerk_a" in history
    assert signed.code in archivist.get("/archive").split('id="alerts"')[0]
