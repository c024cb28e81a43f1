"""Reuse of a citizen's still-valid digitization result from the dossier's page and the API
(`sohoa dossier documents|reuse` on the web): only the clerk's unit's dossiers and results,
only with the page's CSRF token, every refusal the service's."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.accounts import Principal
from config.settings import Settings
from storage.db import open_database
from storage.dossiers import get_dossier
from storage.enums import EventKind
from storage.models import Event
from tests.api.counter_support import Clerk
from tests.api.reuse_support import reusable_card

CITIZEN = "036098001234"


def _served(settings: Settings, code: str, component: int) -> tuple[str, list[str]]:
    """The component's state, and who recorded each reuse in the dossier."""
    with open_database(settings).session(readonly=True) as session:
        dossier = get_dossier(session, code)
        state = next(c.state.value for c in dossier.components if c.id == component)
        actors = list(session.scalars(select(Event.actor).where(
            Event.dossier_id == dossier.id, Event.kind == EventKind.COMPONENT_REUSED,
        )))  # fmt: skip
    return state, actors


def test_a_clerk_reuses_the_applicants_card_from_the_checklist(
    app_client: TestClient, accounts: dict[str, Principal], api_settings: Settings
) -> None:
    """GIVEN the applicant's ID card digitized and signed in an earlier dossier of the unit
    WHEN the clerk opens the new dossier and chooses it on the checklist
    THEN the component is served by it, recorded as the clerk's reuse; a cross-site form
    (no CSRF token), a leader and a clerk of another unit change nothing."""
    card = reusable_card(api_settings, "xa-a", CITIZEN, seed=1)
    clerk = Clerk(app_client, api_settings, accounts["clerk_a"])
    page = clerk.get(f"/clerk/dossiers/{card.code}")
    assert f'action="/clerk/dossiers/{card.path}/reuse"' in page
    assert f'value="{card.result}"' in page and "Dùng lại, không quét" in page
    url = f"/clerk/dossiers/{card.path}/reuse"
    assert clerk.post_without_csrf(url, result=card.result) == 403
    leader, stranger = (Clerk(app_client, api_settings, accounts[n])
                        for n in ("leader_a", "clerk_b"))  # fmt: skip
    assert leader.post(url, result=card.result) == 403
    assert stranger.post(url, result=card.result) == 404
    assert _served(api_settings, card.code, card.component) == ("missing", [])

    assert clerk.post(url, result=card.result) == 303
    assert _served(api_settings, card.code, card.component) == ("digitized", ["clerk_a"])
    page = clerk.get(f"/clerk/dossiers/{card.code}?done=reuse")
    assert "Đã dùng lại kết quả số hóa" in page and 'class="reuse"' not in page


def test_the_api_offers_and_reuses_only_results_of_the_clerks_unit(
    app_client: TestClient,
    accounts: dict[str, Principal],
    api_settings: Settings,
    bearer: Callable[[str], dict[str, str]],
) -> None:
    """GIVEN the applicant's card signed in unit xa-b, and another signed in xa-a
    WHEN xa-a's clerk lists and reuses through the API
    THEN only xa-a's result is offered; naming xa-b's result (a code learnt elsewhere) is
    refused with the service's reason, nothing served; another unit's clerk gets the 404
    of an absent dossier, a leader 403."""
    elsewhere = reusable_card(api_settings, "xa-b", CITIZEN, seed=2)
    card = reusable_card(api_settings, "xa-a", CITIZEN, seed=3)
    url = f"/api/dossiers/{card.code}/reusable"
    listed = app_client.get(url, headers=bearer("clerk_a"))
    assert listed.status_code == 200
    offered = {(d["code"], tuple(d["components"])) for d in listed.json()["documents"]}
    assert offered == {(card.result, (card.component,))}
    assert app_client.get(url, headers=bearer("clerk_b")).status_code == 404
    assert app_client.get(url, headers=bearer("leader_a")).status_code == 403

    reuse = f"/api/dossiers/{card.path}/reuse"
    refused = app_client.post(reuse, json={"result": elsewhere.result}, headers=bearer("clerk_a"))
    assert refused.status_code == 400, refused.text
    assert refused.json()["error"]["code"] == "invalid_request"
    assert "unit" in refused.json()["error"]["message"]
    assert _served(api_settings, card.code, card.component) == ("missing", [])
    other = app_client.post(reuse, json={"result": card.result}, headers=bearer("clerk_b"))
    assert other.status_code == 404
    assert app_client.post(reuse, json={"result": card.result},
                           headers=bearer("leader_a")).status_code == 403  # fmt: skip

    done = app_client.post(reuse, json={"result": card.result}, headers=bearer("clerk_a"))
    assert done.json() == {"code": card.code, "component_id": card.component,
                           "result": card.result}  # fmt: skip
    assert _served(api_settings, card.code, card.component) == ("digitized", ["clerk_a"])
