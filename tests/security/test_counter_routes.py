"""The counter's new routes over HTTP: routing a dossier to its competent unit, ending it
refused, withdrawn or stopped, and recording a component checked against a national
database. Each test replays an attack and names the boundary that stops it; every refused
request leaves the dossier as it was."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from api.accounts import Principal
from api.dossier_views import dossier_view
from config.settings import Settings
from storage.db import open_database
from storage.dossiers import get_dossier
from storage.enums import EventKind
from storage.models import Event
from tests.api.counter_support import Clerk
from tests.api.inbox_support import open_dossier_of

Headers = Callable[[str], dict[str, str]]


def _state(settings: Settings, code: str) -> dict[str, Any]:
    """What an attack must not change: status, competent unit, end, national checks, events."""
    with open_database(settings).session(readonly=True) as session:
        dossier = get_dossier(session, code)
        events = session.query(Event).filter(Event.dossier_id == dossier.id).count()
        return {
            "status": dossier.status.value,
            "competent": dossier.competent_unit_code,
            "end": dossier.end_reason,
            "national": [(c.id, c.national_source) for c in dossier.components],
            "national_data": list(dossier.national_data),
            "events": events,
        }


def _card(settings: Settings, code: str) -> int:
    return int(
        next(
            c["id"]
            for c in dossier_view(settings, code)["components"]
            if c["expected_type"] == "cccd"
        )
    )


def test_a_forged_cross_site_form_routes_ends_or_checks_nothing(
    app_client: TestClient, accounts: dict[str, Principal], api_settings: Settings
) -> None:
    """Attack: a page on another site makes the clerk's browser POST the dossier page's forms
    (the session cookie goes along, the CSRF token does not). Boundary: the page routes
    check the form's CSRF token (403 csrf_rejected) before anything is read or written."""
    clerk = Clerk(app_client, api_settings, accounts["clerk_a"])
    code = open_dossier_of(api_settings, "xa-a")
    before = _state(api_settings, code)
    forged = [
        (f"/clerk/dossiers/{code}/route", {"to": "xa-tan-phu"}),
        (f"/clerk/dossiers/{code}/end", {"state": "refused", "reason": "giả mạo từ trang lạ"}),
        (f"/clerk/dossiers/{code}/components/{_card(api_settings, code)}/national-check",
         {"source": "vneid", "reference": "GIA-MAO"}),
    ]  # fmt: skip
    for url, form in forged:
        assert clerk.post_without_csrf(url, **form) == 403, url
        assert clerk.post(url, **form | {"csrf": "0" * 43}) == 403, url
    assert _state(api_settings, code) == before


def test_another_units_dossier_cannot_be_routed_ended_or_checked(
    app_client: TestClient, accounts: dict[str, Principal], api_settings: Settings, bearer: Headers
) -> None:
    """Attack: a clerk of xa-b guesses a dossier code of xa-a and routes it away, ends it,
    or marks its card checked, by API or page. Boundary: the policy's unit rule (404, as
    for a dossier that does not exist)."""
    code = open_dossier_of(api_settings, "xa-a")
    card = _card(api_settings, code)
    before = _state(api_settings, code)
    asks = [
        (f"/api/dossiers/{code}/route", {"to": "xa-tan-phu"}),
        (f"/api/dossiers/{code}/end", {"state": "stopped", "reason": "không phải của tôi"}),
        (f"/api/dossiers/{code}/components/{card}/national-check",
         {"source": "population", "reference": "X-1"}),
    ]  # fmt: skip
    for url, body in asks:
        reply = app_client.post(url, json=body, headers=bearer("clerk_b"))
        assert reply.status_code == 404 and reply.json()["error"]["code"] == "not_found", url
    other = Clerk(app_client, api_settings, accounts["clerk_b"])
    for url, body in asks:
        assert other.post(url.replace("/api/", "/clerk/"), **body) == 404, url
    assert _state(api_settings, code) == before


def test_a_leader_or_archivist_cannot_end_or_route_a_dossier(
    app_client: TestClient, api_settings: Settings, bearer: Headers
) -> None:
    """Attack: a leader of the unit ends a dossier to clear their backlog (a refused dossier
    counts as finished on time for the portal). Boundary: the policy table's role rows
    (dossier.end, dossier.route, dossier.national_check: clerks only): 403."""
    code = open_dossier_of(api_settings, "xa-a")
    before = _state(api_settings, code)
    for url, body in [
        (f"/api/dossiers/{code}/end", {"state": "refused", "reason": "giảm tồn đọng"}),
        (f"/api/dossiers/{code}/route", {"to": "xa-tan-phu"}),
    ]:
        reply = app_client.post(url, json=body, headers=bearer("leader_a"))
        assert reply.status_code == 403 and reply.json()["error"]["code"] == "forbidden"
    assert _state(api_settings, code) == before


def test_a_component_of_another_units_dossier_is_not_checked_through_ones_own(
    app_client: TestClient, api_settings: Settings, bearer: Headers
) -> None:
    """Attack: a clerk of xa-a names their own dossier in the URL and another unit's
    component id, hoping the unit check reads only the code. Boundary: the component must
    belong to the dossier named (400), so the other unit's record is untouched."""
    own = open_dossier_of(api_settings, "xa-a")
    theirs = open_dossier_of(api_settings, "xa-b", name="Trần Văn Bình")
    card = _card(api_settings, theirs)
    before = _state(api_settings, theirs)
    reply = app_client.post(
        f"/api/dossiers/{own}/components/{card}/national-check",
        json={"source": "vneid", "reference": "X-1"},
        headers=bearer("clerk_a"),
    )
    assert reply.status_code == 400 and reply.json()["error"]["code"] == "invalid_request"
    assert _state(api_settings, theirs) == before


def test_routing_out_of_the_procedures_level_is_refused_in_vietnamese(
    app_client: TestClient, api_settings: Settings, bearer: Headers
) -> None:
    """Attack (or slip): a birth registration, a commune-level procedure, sent to the
    provincial justice department by API. Boundary: the level check of config.units (400
    not_competent, the hint in Vietnamese naming the unit and the level); the same route
    to a commune of the province succeeds and is logged."""
    code = open_dossier_of(api_settings, "xa-a")
    before = _state(api_settings, code)
    reply = app_client.post(f"/api/dossiers/{code}/route", json={"to": "so-tu-phap"},
                            headers=bearer("clerk_a"))  # fmt: skip
    assert reply.status_code == 400
    error = reply.json()["error"]
    assert error["code"] == "not_competent"
    assert "Sở Tư pháp tỉnh Mẫu" in error["hint"] and "thủ tục cấp xã" in error["hint"]
    assert _state(api_settings, code) == before
    moved = app_client.post(f"/api/dossiers/{code}/route", json={"to": "xa-tan-phu"},
                            headers=bearer("clerk_a"))  # fmt: skip
    assert moved.status_code == 200
    assert moved.json() == {"code": code, "from": "xa-a", "to": "xa-tan-phu"}
    assert _state(api_settings, code)["competent"] == "xa-tan-phu"


def test_end_takes_only_end_states_with_a_reason_and_only_once(
    app_client: TestClient, api_settings: Settings, bearer: Headers
) -> None:
    """Attack: 'ending' a dossier as returned (a result never given counted as returned), or
    without a reason, or ending it twice to rewrite its reason. Boundary: the end route's
    schema (refused, withdrawn, stopped; a reason of 3-500 characters: 400) and
    storage.outcomes (an ended dossier stays as it ended: 400)."""
    code = open_dossier_of(api_settings, "xa-a")
    before = _state(api_settings, code)
    for body in (
        {"state": "returned", "reason": "đã trả"},
        {"state": "refused", "reason": ""},
        {"state": "refused"},
    ):
        reply = app_client.post(f"/api/dossiers/{code}/end", json=body, headers=bearer("clerk_a"))
        assert reply.status_code == 400, body
        assert reply.json()["error"]["code"] == "invalid_request"
    assert _state(api_settings, code) == before
    ended = app_client.post(f"/api/dossiers/{code}/end", headers=bearer("clerk_a"),
                            json={"state": "withdrawn", "reason": "Công dân xin rút"})  # fmt: skip
    assert ended.status_code == 200 and ended.json()["state"] == "withdrawn"
    again = app_client.post(f"/api/dossiers/{code}/end", headers=bearer("clerk_a"),
                            json={"state": "refused", "reason": "viết lại lý do"})  # fmt: skip
    assert again.status_code == 400
    after = _state(api_settings, code)
    assert (after["status"], after["end"]) == ("withdrawn", "Công dân xin rút")


def test_the_clerks_page_routes_ends_and_checks_through_its_forms(
    app_client: TestClient, accounts: dict[str, Principal], api_settings: Settings
) -> None:
    """GIVEN a birth registration on the clerk's page THEN it offers the national check on
    the card (population database or VNeID), routing to communes only (no department), and
    the end states; each form does what it says, logged with the clerk's name."""
    clerk = Clerk(app_client, api_settings, accounts["clerk_a"])
    code = open_dossier_of(api_settings, "xa-a")
    card = _card(api_settings, code)
    page = clerk.get(f"/clerk/dossiers/{code}")
    assert f"/components/{card}/national-check" in page
    assert "Cơ sở dữ liệu quốc gia về dân cư" in page and "Ứng dụng VNeID" in page
    assert 'value="xa-tan-phu"' in page and 'value="so-tu-phap"' not in page
    assert "Công dân rút hồ sơ" in page
    url = f"/clerk/dossiers/{code}/components/{card}/national-check"
    assert clerk.post(url, source="population", reference="TRA-0001") == 303
    page = clerk.get(f"/clerk/dossiers/{code}?done=national_check")
    assert "đã đối chiếu CSDL" in page and "TRA-0001" in page
    assert "Đã ghi nhận thành phần được đối chiếu" in page
    assert clerk.post(f"/clerk/dossiers/{code}/route", to="xa-tan-phu", reason="") == 303
    assert (
        clerk.post(f"/clerk/dossiers/{code}/end", state="stopped", reason="Dừng theo đề nghị")
        == 303
    )
    state = _state(api_settings, code)
    assert (state["competent"], state["status"], state["national_data"]) == (
        "xa-tan-phu", "stopped", ["population"],
    )  # fmt: skip
    with open_database(api_settings).session(readonly=True) as session:
        dossier = get_dossier(session, code)
        later = session.query(Event).filter(
            Event.dossier_id == dossier.id, Event.kind != EventKind.DOSSIER_RECEIVED.value
        )
        kinds = [(e.kind, e.actor) for e in later.order_by(Event.id)]
    assert kinds == [
        (EventKind.COMPONENT_NATIONAL_CHECKED.value, "clerk_a"),
        (EventKind.DOSSIER_ROUTED.value, "clerk_a"),
        (EventKind.DOSSIER_ENDED.value, "clerk_a"),
    ]
