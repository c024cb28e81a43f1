"""Fees paid and the citizen's rating over HTTP (`sohoa dossier pay|rate` on the web): a
clerk of the dossier's unit only, with the page's CSRF token; the figures of the portal
count what is recorded here, so nobody else may write it."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from api.accounts import Principal
from api.dossier_views import dossier_view
from api.services import open_dossier, return_result
from config.settings import Settings
from tests.api.counter_support import Clerk
from tests.api.inbox_support import open_dossier_of


def test_a_clerk_records_the_fee_paid_and_the_citizens_rating_from_the_page(
    app_client: TestClient, accounts: dict[str, Principal], api_settings: Settings
) -> None:
    """GIVEN a household business registration owing 100.000 đ and a returned dossier
    WHEN the clerk records the payment and the rating on their pages THEN both are kept;
    a cross-site form, a leader and another unit's clerk change neither."""
    owing = open_dossier(api_settings, procedure_code="1.001612", applicant_name="Lê Văn Nam",
                         applicant_id_number=None, unit_code="xa-a", actor="test")  # fmt: skip
    returned = open_dossier_of(api_settings, "xa-a")
    return_result(api_settings, returned, actor="test")
    clerk = Clerk(app_client, api_settings, accounts["clerk_a"])
    assert 'id="payment"' in clerk.get(f"/clerk/dossiers/{owing}")
    assert 'id="rating"' in clerk.get(f"/clerk/dossiers/{returned}")
    pay, rate = f"/clerk/dossiers/{owing}/payment", f"/clerk/dossiers/{returned}/rating"
    leader = Clerk(app_client, api_settings, accounts["leader_a"])
    stranger = Clerk(app_client, api_settings, accounts["clerk_b"])
    assert clerk.post_without_csrf(pay, status="paid_direct") == 403
    assert clerk.post_without_csrf(rate, rating="dissatisfied") == 403
    assert leader.post(pay, status="paid_direct") == leader.post(rate, rating="satisfied") == 403
    assert stranger.post(pay, status="paid_direct") == stranger.post(rate, rating="neutral") == 404
    assert clerk.post(pay, status="unpaid") == 400  # only "paid" may be recorded here
    assert dossier_view(api_settings, owing)["payment"] == "unpaid"
    assert dossier_view(api_settings, returned)["rating"] is None

    assert clerk.post(pay, status="paid_direct") == 303
    assert clerk.post(rate, rating="satisfied") == 303
    assert dossier_view(api_settings, owing)["payment"] == "paid_direct"
    assert dossier_view(api_settings, returned)["rating"] == "satisfied"
    assert "đã nộp trực tiếp" in clerk.get(f"/clerk/dossiers/{owing}?done=payment")


def test_the_api_refuses_a_fee_nobody_owes_and_a_rating_before_the_return(
    app_client: TestClient, api_settings: Settings, bearer: Callable[[str], dict[str, str]]
) -> None:
    """A birth registration owes nothing and an open dossier was not returned: the
    service's refusals reach the API as 400, and nothing is recorded."""
    code = open_dossier_of(api_settings, "xa-a")
    paid = app_client.post(f"/api/dossiers/{code}/payment", json={"status": "paid_online"},
                           headers=bearer("clerk_a"))  # fmt: skip
    assert paid.status_code == 400 and "no fee" in paid.json()["error"]["message"]
    rated = app_client.post(f"/api/dossiers/{code}/rating", json={"rating": "satisfied"},
                            headers=bearer("clerk_a"))  # fmt: skip
    assert rated.status_code == 400 and "not been returned" in rated.json()["error"]["message"]
    view = dossier_view(api_settings, code)
    assert (view["payment"], view["rating"]) == ("none", None)
