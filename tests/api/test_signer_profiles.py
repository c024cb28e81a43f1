"""A leader's signer profile is theirs alone: no other leader of the unit or of another unit,
no clerk and no admin signs with it, through the API's batch route or the leader's page,
and no admin can give it to a second account."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.accounts import Principal, issue_token
from api.http.auth import SESSION_COOKIE
from api.sign_service import seen_form
from config.settings import Settings, get_settings
from signing.flow.results import current_result
from storage.accounts import add_user
from storage.db import open_database
from storage.enums import TokenKind, UserRole
from storage.models import Dossier, SignatureRequest
from tests.api.conftest import PASSWORD, XA_B_LEADER, test_signers
from tests.storage.archive_support import build_dossier
from workers.queues import get_queue

Headers = Callable[[str], dict[str, str]]


@pytest.fixture
def api_settings(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The shared accounts' settings, with a third leader profile (of unit xa-b) added to
    the shipped signers.yaml."""
    catalogue = tmp_path / "catalogue"
    catalogue.mkdir()
    (catalogue / "signers.yaml").write_text(test_signers(XA_B_LEADER), "utf-8")
    monkeypatch.setenv("SOHOA_CATALOGUE_DIR", str(catalogue))
    monkeypatch.setenv("SOHOA_DATABASE_URL", database_url)
    get_settings.cache_clear()
    return get_settings()


@pytest.fixture
def leaders(
    api_settings: Settings, accounts: dict[str, Principal], password_hash: str
) -> dict[str, Principal]:
    """leader_a (xa-a, chu-tich) of the shared accounts, another leader of xa-a
    (pho-chu-tich) and one of xa-b (truong-phong)."""
    made = accounts  # the same dict `bearer` reads
    with open_database(api_settings).session() as session:
        for name, unit, profile in (("leader_a2", "xa-a", "pho-chu-tich"),
                                    ("leader_b", "xa-b", "truong-phong")):  # fmt: skip
            user = add_user(
                session, username=name, full_name=name, role=UserRole.LEADER, unit_code=unit,
                password_hash=password_hash, signer_profile=profile, actor="test",
            )  # fmt: skip
            made[name] = Principal.of(user)
    return made


def _requests(settings: Settings, code: str) -> list[tuple[str, str, str]]:
    """The signatures asked of a dossier's result: role, profile, state."""
    with open_database(settings).session(readonly=True) as session:
        rows = session.execute(
            select(SignatureRequest.role, SignatureRequest.profile, SignatureRequest.status)
            .join(Dossier, SignatureRequest.dossier_id == Dossier.id)
            .where(Dossier.code == code)
            .order_by(SignatureRequest.id)
        ).all()
        return [(r[0], r[1], r[2].value) for r in rows]


def _results(settings: Settings, *codes: str) -> list[dict[str, object]]:
    """The results of these dossiers as their previews show them, as /api/signing takes them."""
    shown = [current_result(settings, code) for code in codes]
    return [{"code": r.code, "document_id": r.document_id, "sha256": r.sha256} for r in shown]


def _page_sign(client: TestClient, settings: Settings, who: Principal, codes: list[str]) -> int:
    issued = issue_token(settings, who, TokenKind.SESSION)
    client.cookies.clear()
    results = [seen_form(current_result(settings, code)) for code in codes]
    reply = client.post(
        "/leader/sign",
        data={"results": results, "csrf": issued.principal.csrf_token, "profile": "chu-tich"},
        headers={"Cookie": f"{SESSION_COOKIE}={issued.token}"},
        follow_redirects=False,
    )
    return int(reply.status_code)


def test_only_leader_a_signs_with_leader_as_profile(
    app_client: TestClient,
    api_settings: Settings,
    leaders: dict[str, Principal],
    bearer: Headers,
    redis_conn: redis.Redis,
) -> None:
    """GIVEN two complete dossiers of unit xa-a, one already sent to leader_a (chu-tich)
    WHEN the other leader of xa-a, the leader of xa-b, a clerk and an admin try to sign it,
    alone or in a batch with the other dossier, by the API or the page, naming chu-tich
    THEN each is refused (403, or 404 for another unit, 400 for naming a profile) and
    nothing changes: no new signature request, no new job; leader_a still signs it."""
    db = open_database(api_settings)
    theirs = build_dossier(db, api_settings, unit="xa-a", seed=1, signed=False).code
    other = build_dossier(db, api_settings, unit="xa-a", seed=2, signed=False).code
    first = app_client.post(
        "/api/signing", json={"results": _results(api_settings, theirs)}, headers=bearer("leader_a")
    )
    assert first.status_code == 200, first.text
    before = _requests(api_settings, theirs)
    assert ("leader", "chu-tich", "queued") in before
    jobs = get_queue(redis_conn, "sign").count

    outcomes = {}
    for who in ("leader_a2", "leader_b", "clerk_a", "admin"):
        alone, batch = _results(api_settings, theirs), _results(api_settings, other, theirs)
        for body in ({"results": alone}, {"results": batch},
                     {"results": alone, "profile": "chu-tich"}):  # fmt: skip
            reply = app_client.post("/api/signing", json=body, headers=bearer(who))
            outcomes[(who, "api", len(body["results"]), "profile" in body)] = reply.status_code
            assert reply.status_code in (400, 403, 404), reply.text
        outcomes[(who, "page", 2, True)] = _page_sign(
            app_client, api_settings, leaders[who], [other, theirs]
        )
    assert outcomes[("leader_a2", "api", 1, False)] == 403  # the unit's other leader
    assert outcomes[("leader_a2", "api", 2, False)] == 403  # the batch, refused whole
    assert outcomes[("leader_a2", "api", 1, True)] == 400  # no profile may be named
    assert outcomes[("leader_a2", "page", 2, True)] == 403
    assert outcomes[("leader_b", "api", 1, False)] == 404  # another unit's leader
    assert outcomes[("leader_b", "page", 2, True)] == 404
    for who in ("clerk_a", "admin"):
        assert {v for k, v in outcomes.items() if k[0] == who and not k[3]} == {403}
        assert outcomes[(who, "page", 2, True)] == 403
    assert _requests(api_settings, theirs) == before
    assert _requests(api_settings, other) == []  # the refused batch asked nothing of it
    assert get_queue(redis_conn, "sign").count == jobs

    again = app_client.post(
        "/api/signing",
        json={"results": _results(api_settings, other, theirs)},
        headers=bearer("leader_a"),
    )
    assert again.status_code == 200, again.text
    assert ("leader", "chu-tich", "queued") in _requests(api_settings, other)


def test_no_admin_gives_a_leaders_profile_to_another_account(
    app_client: TestClient, api_settings: Settings, leaders: dict[str, Principal], bearer: Headers
) -> None:
    new = {"password": PASSWORD, "full_name": "Giả Mạo", "role": "leader", "unit": "xa-b"}
    taken = app_client.post(
        "/api/users", json={**new, "username": "gia_mao", "signer_profile": "chu-tich"},
        headers=bearer("admin"),
    )  # fmt: skip
    assert taken.status_code == 400, taken.text
    assert "chu-tich" in taken.json()["error"]["message"]
    assert "leader_a" in taken.json()["error"]["message"]
    unknown = app_client.post(
        "/api/users", json={**new, "username": "gia_mao", "signer_profile": "khong-co"},
        headers=bearer("admin"),
    )  # fmt: skip
    assert unknown.status_code == 400
    assert unknown.json()["error"]["code"] == "unknown_signer_profile"
    seal = app_client.post(
        "/api/users", json={**new, "username": "gia_mao", "signer_profile": "van-thu"},
        headers=bearer("admin"),
    )  # fmt: skip
    assert seal.status_code == 400  # the organisation's seal is no leader's profile
    issued = issue_token(api_settings, leaders["admin"], TokenKind.SESSION)
    app_client.cookies.clear()
    page = app_client.post(
        "/admin/users",
        data={**new, "username": "gia_mao", "signer_profile": "chu-tich",
              "csrf": issued.principal.csrf_token},
        headers={"Cookie": f"{SESSION_COOKIE}={issued.token}"},
        follow_redirects=False,
    )  # fmt: skip
    assert page.status_code == 400, page.text
    users = {u["username"] for u in app_client.get("/api/users", headers=bearer("admin")).json()}
    assert "gia_mao" not in users
    free = app_client.post(
        "/api/users", json={**new, "username": "moi", "signer_profile": None, "role": "clerk"},
        headers=bearer("admin"),
    )  # fmt: skip
    assert free.status_code == 201, free.text
