"""Who may do what over HTTP: each role refused on the others' actions, and other units'
dossiers unreadable by guessing their codes or document ids."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient

from api.http.policy import POLICY, Action, route_actions
from tests.support.samples import born_digital
from workers.queues import get_queue

Headers = Callable[[str], dict[str, str]]
BIRTH = "1.001193"


def _new_dossier(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    reply = client.post(
        "/api/dossiers",
        json={"procedure": BIRTH, "applicant_name": "Lê Thị Hoa", "applicant_id_number": None},
        headers=headers,
    )
    assert reply.status_code == 201, reply.text
    return dict(reply.json())


SHOWN = {"document_id": 1, "sha256": "0" * 64}
"""A result as a preview would name it: refused by the policy before it is even looked at."""

# (who, method, path, json body): each an action the role's row in the policy lacks
REFUSED = [
    ("leader_a", "POST", "/api/dossiers", {"procedure": BIRTH, "applicant_name": "X"}),
    ("archivist", "POST", "/api/dossiers", {"procedure": BIRTH, "applicant_name": "X"}),
    ("admin", "POST", "/api/dossiers", {"procedure": BIRTH, "applicant_name": "X"}),
    ("admin", "GET", "/api/dossiers", None),
    ("archivist", "GET", "/api/dossiers/{code}", None),
    ("admin", "GET", "/api/dossiers/{code}", None),
    ("leader_a", "POST", "/api/dossiers/{code}/files", None),
    ("archivist", "POST", "/api/dossiers/{code}/files", None),
    ("clerk_a", "POST", "/api/signing", {"results": [{"code": "{code}", **SHOWN}]}),
    ("archivist", "POST", "/api/signing", {"results": [{"code": "{code}", **SHOWN}]}),
    ("admin", "POST", "/api/signing", {"results": [{"code": "{code}", **SHOWN}]}),
    ("clerk_a", "GET", "/api/signing/inbox", None),
    ("clerk_a", "GET", "/api/search?q=hoa", None),
    ("leader_a", "GET", "/api/search?q=hoa", None),
    ("admin", "GET", "/api/search?q=hoa", None),
    ("clerk_a", "POST", "/api/archive/records/{code}", None),
    ("leader_a", "POST", "/api/archive/records/{code}/access-copy", {"reason": "xem lại"}),
    ("clerk_a", "GET", "/api/archive/alerts", None),
    ("clerk_a", "GET", "/api/users", None),
    ("leader_a", "POST", "/api/users", {"username": "x"}),
    ("archivist", "GET", "/api/users", None),
]


@pytest.mark.parametrize(("who", "method", "path", "body"), REFUSED, ids=str)
def test_each_role_is_refused_the_others_actions(
    app_client: TestClient,
    bearer: Headers,
    who: str,
    method: str,
    path: str,
    body: dict[str, Any] | None,
) -> None:
    code = _new_dossier(app_client, bearer("clerk_a"))["code"]
    url = path.replace("{code}", code)
    if body is not None:
        body = json.loads(json.dumps(body).replace("{code}", code))
    reply = app_client.request(method, url, json=body, headers=bearer(who))
    assert reply.status_code == 403, reply.text
    assert reply.json()["error"]["code"] == "forbidden"


def test_a_clerk_cannot_read_another_units_dossier_by_guessing(
    app_client: TestClient, bearer: Headers, tmp_path: Path
) -> None:
    """GIVEN a dossier of unit xa-b with a document
    WHEN clerk_a of unit xa-a asks for it, its document, its files, or uploads to it
    THEN each answer is the 404 a code that does not exist gets, and lists leave it out."""
    theirs = _new_dossier(app_client, bearer("clerk_b"))["code"]
    pdf, _ = born_digital(tmp_path, "giay_chung_sinh")
    with pdf.open("rb") as f:
        added = app_client.post(
            f"/api/dossiers/{theirs}/files",
            files=[("files", ("chung-sinh.pdf", f, "application/pdf"))],
            headers=bearer("clerk_b"),
        ).json()["files"][0]
    doc_id = added["document_id"]
    mine = bearer("clerk_a")

    absent = app_client.get("/api/dossiers/000.00.00.H00-991231-9999", headers=mine)
    guessed = app_client.get(f"/api/dossiers/{theirs}", headers=mine)
    assert absent.status_code == guessed.status_code == 404
    assert guessed.json()["error"]["code"] == absent.json()["error"]["code"] == "not_found"
    assert guessed.json()["error"]["message"] == f"no dossier with code {theirs!r}"

    no_doc = app_client.get("/api/documents/999999", headers=mine).json()["error"]
    for path in (f"/api/documents/{doc_id}", f"/api/documents/{doc_id}/pdf",
                 f"/api/documents/{doc_id}/original"):  # fmt: skip
        reply = app_client.get(path, headers=mine)
        assert reply.status_code == 404
        assert reply.json()["error"]["message"] == no_doc["message"].replace("999999", str(doc_id))
    upload = app_client.post(
        f"/api/dossiers/{theirs}/files",
        files=[("files", ("x.pdf", b"%PDF-1.4 x", "application/pdf"))],
        headers=mine,
    )
    assert upload.status_code == 404
    assert app_client.get(f"/api/dossiers/{theirs}/result", headers=mine).status_code == 404
    assert theirs not in {d["code"] for d in app_client.get("/api/dossiers", headers=mine).json()}
    # the owner still reads it, and a page of another unit's dossier is a 404 page too
    assert app_client.get(f"/api/dossiers/{theirs}", headers=bearer("clerk_b")).status_code == 200
    assert app_client.get(f"/api/documents/{doc_id}", headers=bearer("clerk_b")).status_code == 200


def test_a_leader_signs_only_their_own_units_results(
    app_client: TestClient, bearer: Headers
) -> None:
    theirs = _new_dossier(app_client, bearer("clerk_b"))["code"]
    body = {"results": [{"code": theirs, **SHOWN}]}
    reply = app_client.post("/api/signing", json=body, headers=bearer("leader_a"))
    assert reply.status_code == 404


def test_every_api_route_declares_an_action_of_the_policy(app_client: TestClient) -> None:
    public = {("GET", "/api/health"), ("POST", "/api/auth/token"), ("POST", "/api/verify")}
    routes = {(m, p): a for m, p, a in route_actions(app_client.app) if p.startswith("/api/")}  # type: ignore[arg-type]
    assert {k for k, a in routes.items() if a is None} == public
    used = {a for a in routes.values() if a is not None}
    assert set(POLICY) == set(Action)
    # checked inside routes, not as their gate: corrections, live documents in search results
    assert set(Action) - used <= {Action.DOCUMENT_CORRECT, Action.SEARCH_LIVE}
    spec = app_client.get("/openapi.json").json()
    assert "/api/dossiers/{code}/files" in spec["paths"]


def test_without_credentials_the_api_answers_401_in_json(app_client: TestClient) -> None:
    reply = app_client.get("/api/dossiers")
    assert reply.status_code == 401
    assert reply.json()["error"]["code"] == "not_authenticated"
    assert reply.json()["error"]["hint"]
    unknown = app_client.get("/api/no-such-thing")
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not_found"


def test_sealing_a_code_that_names_no_dossier_is_a_404_and_queues_nothing(
    app_client: TestClient, bearer: Headers, redis_conn: redis.Redis
) -> None:
    reply = app_client.post("/api/archive/records/000.00.00.H00-991231-9999",
                            headers=bearer("archivist"))  # fmt: skip
    assert reply.status_code == 404 and reply.json()["error"]["code"] == "not_found"
    assert get_queue(redis_conn, "archive").count == 0
