"""The apology letter and the dossier's printable forms over HTTP (`sohoa dossier apologize`
and `sohoa dossier form` on the web): a clerk of the dossier's unit records the letter with
the page's CSRF token, only when the dossier is due; its forms print for its unit only."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.accounts import Principal
from api.services import open_dossier
from config.settings import Settings
from storage.db import open_database
from storage.enums import EventKind
from storage.models import Dossier, Event
from tests.api.counter_support import Clerk
from tests.storage.archive_support import build_dossier

LETTER = {"reason": "chờ xác minh thông tin tại cơ quan khác", "new_date": "2027-01-15"}


def _apologies(settings: Settings, code: str) -> list[tuple[str, str]]:
    """Who recorded each apology letter of the dossier, and the new date it promised."""
    with open_database(settings).session(readonly=True) as session:
        events = session.scalars(select(Event).join(Dossier, Event.dossier_id == Dossier.id)
                                 .where(Dossier.code == code,
                                        Event.kind == EventKind.APOLOGY_SENT))  # fmt: skip
        return [(e.actor, e.data["new_date"]) for e in events]


def test_a_clerk_writes_the_overdue_dossiers_apology_and_prints_it(
    app_client: TestClient, accounts: dict[str, Principal], api_settings: Settings
) -> None:
    """GIVEN a dossier of xa-a past its appointment WHEN its clerk fills the apology form
    THEN the letter is recorded and form 04 prints; a cross-site form (no CSRF token), a
    leader and another unit's clerk record nothing, and another unit's clerk cannot print
    the dossier's forms (404)."""
    code = build_dossier(open_database(api_settings), api_settings, unit="xa-a", seed=51,
                         signed=False).code  # fmt: skip
    clerk = Clerk(app_client, api_settings, accounts["clerk_a"])
    assert f'action="/clerk/dossiers/{code}/apology"' in clerk.get(f"/clerk/dossiers/{code}")
    url = f"/clerk/dossiers/{code}/apology"
    assert clerk.post_without_csrf(url, **LETTER) == 403
    assert Clerk(app_client, api_settings, accounts["leader_a"]).post(url, **LETTER) == 403
    stranger = Clerk(app_client, api_settings, accounts["clerk_b"])
    assert stranger.post(url, **LETTER) == 404
    assert _apologies(api_settings, code) == []

    assert clerk.post(url, **LETTER) == 303
    assert _apologies(api_settings, code) == [("clerk_a", "2027-01-15")]
    page = clerk.get(f"/clerk/dossiers/{code}?done=apology")
    assert f"/clerk/dossiers/{code}/forms/04.pdf" in page and "Đã ghi thư xin lỗi" in page
    app_client.cookies.clear()
    pdf = app_client.get(f"/clerk/dossiers/{code}/forms/04.pdf", headers=clerk.headers)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    app_client.cookies.clear()
    theirs = app_client.get(f"/clerk/dossiers/{code}/forms/04.pdf", headers=stranger.headers)
    assert theirs.status_code == 404


def test_the_api_refuses_an_apology_before_the_window_and_forms_of_other_units(
    app_client: TestClient, api_settings: Settings, bearer: Callable[[str], dict[str, str]]
) -> None:
    """GIVEN a household business registration received today (due in 3 working days,
    the letter allowed from 1 before) WHEN its clerk asks the
    API for an apology THEN it is refused as too early and nothing is recorded; a form
    number outside 01-06 is refused; another unit's clerk cannot read its control slip."""
    code = open_dossier(api_settings, procedure_code="1.001612", applicant_name="Lê Thị Hoa",
                        applicant_id_number=None, unit_code="xa-a", actor="test")  # fmt: skip
    early = app_client.post(f"/api/dossiers/{code}/apology", json=LETTER,
                            headers=bearer("clerk_a"))  # fmt: skip
    assert early.status_code == 400 and "early" in early.json()["error"]["message"]
    assert _apologies(api_settings, code) == []
    slip = app_client.get(f"/api/dossiers/{code}/forms/06", headers=bearer("leader_a"))
    assert slip.status_code == 200 and slip.content.startswith(b"%PDF")
    assert app_client.get(f"/api/dossiers/{code}/forms/07",
                          headers=bearer("clerk_a")).status_code in (400, 422)  # fmt: skip
    assert app_client.get(f"/api/dossiers/{code}/forms/../../x",
                          headers=bearer("clerk_a")).status_code == 404  # fmt: skip
    assert app_client.get(f"/api/dossiers/{code}/forms/06",
                          headers=bearer("clerk_b")).status_code == 404  # fmt: skip
