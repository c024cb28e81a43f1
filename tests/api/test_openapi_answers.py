"""Typed answers at the HTTP edge: /openapi.json documents each /api route's answer and the
error envelope, and real answers of the running app validate against those schemas."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
from fastapi.exceptions import ResponseValidationError
from fastapi.testclient import TestClient
from httpx import Response
from jsonschema import Draft202012Validator

from api.http import routes_accounts
from api.http.schemas_office import PortalFigures, StatsRow
from config.settings import Settings
from storage.db import open_database
from storage.portal import PORTAL_RATE_NAMES
from storage.stats import RATE_NAMES
from tests.api.exchange_support import exchange_bearer, publish
from tests.api.inbox_support import waiting_file
from tests.storage.archive_support import archive, build_dossier, pdf_bytes
from workers.jobs import JobKind, enqueue

Headers = Callable[[str], dict[str, str]]
ERROR_STATUSES = ("400", "401", "403", "404", "409", "413", "422", "429", "500", "503")
ENVELOPE = "#/components/schemas/ErrorEnvelope"

LOOSE: set[tuple[str, str]] = set()
"""Answers still described as a bare JSON object or list (no model yet): none. A route added
without a model fails the test; list it here only with a reason."""


def _resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        schema = doc["components"]["schemas"][name]
    return schema


def _typed(doc: dict[str, Any], schema: dict[str, Any]) -> bool:
    """Whether a JSON answer's schema says what it holds: an object with properties, or a
    list of such objects."""
    schema = _resolve(doc, schema)
    if schema.get("type") == "array":
        return _typed(doc, schema.get("items", {}))
    return bool(schema.get("properties"))


def _operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in doc["paths"].items():
        if path.startswith("/api/"):
            for method, operation in item.items():
                yield method.upper(), path, operation


def _answer_problem(doc: dict[str, Any], operation: dict[str, Any]) -> str | None:
    ok = {s: r for s, r in operation["responses"].items() if s.startswith("2")}
    if not ok:
        return "no 2xx answer"
    for status, response in ok.items():
        content = response.get("content", {})
        if status == "204" and not content:
            continue
        if not content:
            return f"{status} without content"
        for media, body in content.items():
            if media == "application/json" and not _typed(doc, body.get("schema", {})):
                return f"{status} {media}: an untyped schema {body.get('schema')}"
            if media != "application/json" and not body.get("schema"):
                return f"{status} {media}: no schema"
    return None


def _errors_problem(operation: dict[str, Any]) -> str | None:
    for status in ERROR_STATUSES:
        response = operation["responses"].get(status)
        schema = (response or {}).get("content", {}).get("application/json", {}).get("schema")
        if schema != {"$ref": ENVELOPE}:
            return f"{status} does not document the error envelope: {response}"
    return None


def test_every_api_route_documents_its_answer_and_the_error_envelope(
    app_client: TestClient,
) -> None:
    """GIVEN the app's /openapi.json WHEN each /api operation is read THEN it has a 2xx
    answer whose schema names its fields (or a file's media type), and documents every
    error status with the envelope {"error": {"code", "message", "hint"}}; only the routes
    listed in LOOSE still answer an untyped object."""
    doc = app_client.get("/openapi.json").json()
    envelope = _resolve(doc, {"$ref": ENVELOPE})
    assert set(envelope["properties"]) == {"error"}
    assert set(_resolve(doc, envelope["properties"]["error"])["properties"]) == {
        "code", "message", "hint"
    }  # fmt: skip
    wrong, loose = [], set()
    for method, path, operation in _operations(doc):
        problem = _answer_problem(doc, operation)
        if problem is not None and (method, path) in LOOSE:
            loose.add((method, path))
            problem = None
        problem = problem or _errors_problem(operation)
        if problem:
            wrong.append(f"{method} {path}: {problem}")
    assert not wrong, "\n".join(wrong)
    assert loose == LOOSE, f"typed now, remove from LOOSE: {sorted(LOOSE - loose)}"


def test_the_stats_models_name_every_rate_in_order() -> None:
    """The figures' models follow storage.stats and storage.portal: a rate added there
    without its field here would fail every /api/stats answer."""
    assert tuple(n for n in StatsRow.model_fields if n in RATE_NAMES) == RATE_NAMES
    portal = tuple(n for n in PortalFigures.model_fields if n in PORTAL_RATE_NAMES)
    assert portal == PORTAL_RATE_NAMES


def test_a_field_the_model_does_not_name_fails_the_answer(
    app_client: TestClient, bearer: Headers, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN a view that starts giving a field its answer's model does not name WHEN the
    route answers THEN the answer fails (a test shows it) instead of the field vanishing."""
    real = routes_accounts.me_view
    monkeypatch.setattr(
        routes_accounts, "me_view", lambda principal: real(principal) | {"password_hash": "x"}
    )
    with pytest.raises(ResponseValidationError):
        app_client.get("/api/me", headers=bearer("clerk_a"))


class Checker:
    """Validates answers against the schema /openapi.json gives their route."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.doc = client.get("/openapi.json").json()
        self.checked: set[tuple[str, str]] = set()

    def __call__(self, method: str, path: str, reply: Response, status: int = 200) -> Any:
        assert reply.status_code == status, f"{method} {path}: {reply.text[:300]}"
        operation = self.doc["paths"][path][method.lower()]
        content = operation["responses"][str(status)]["content"]["application/json"]
        schema = {**content["schema"], "components": self.doc["components"]}
        body = reply.json()
        errors = [e.message for e in Draft202012Validator(schema).iter_errors(body)]
        assert not errors, f"{method} {path}: {errors[:5]}"
        self.checked.add((method, path))
        return body


@pytest.fixture
def check(app_client: TestClient) -> Checker:
    """A checker of the app's answers."""
    return Checker(app_client)


def test_real_answers_validate_against_their_openapi_schema(
    app_client: TestClient,
    api_settings: Settings,
    bearer: Headers,
    check: Checker,
    redis_conn: redis.Redis,
) -> None:
    """GIVEN real records of unit xa-a (a dossier opened through the API, a signed one, one
    waiting for its signature, an archived one, a scanner file, a job, the exchange feed)
    WHEN each main route answers THEN the answer validates against its documented schema,
    and an error answer against the envelope."""
    clerk, c = bearer("clerk_a"), app_client
    new = {"procedure": "1.001193", "applicant_name": "Lê Văn Bình"}
    code = check("POST", "/api/dossiers", c.post("/api/dossiers", json=new, headers=clerk), 201)[
        "code"
    ]
    db = open_database(api_settings)
    signed = build_dossier(db, api_settings, unit="xa-a", seed=3)
    build_dossier(db, api_settings, unit="xa-a", seed=4, signed=False)
    archived = build_dossier(db, api_settings, unit="xa-a", seed=5).code
    archive(db, api_settings, archived)
    document = signed.documents["to_khai_khai_sinh"]
    waiting_file(api_settings, "xa-a", "quet-1.pdf", seed=1)
    job = enqueue(redis_conn, api_settings, JobKind.ARCHIVE, signed.code, "test")
    publish(api_settings)
    for path, url in (
        ("/api/dossiers", "/api/dossiers"),
        ("/api/dossiers/{code}", f"/api/dossiers/{signed.code}"),
        ("/api/dossiers/{code}/status", f"/api/dossiers/{code}/status"),
        ("/api/documents/{document_id}", f"/api/documents/{document}"),
        ("/api/jobs/{job_id}", f"/api/jobs/{job}"),
        ("/api/inbox", "/api/inbox"),
        ("/api/me", "/api/me"),
        ("/api/procedures", "/api/procedures"),
    ):
        check("GET", path, c.get(url, headers=clerk))
    check("GET", "/api/signing/inbox", c.get("/api/signing/inbox", headers=bearer("leader_a")))
    admin, archivist = bearer("admin"), bearer("archivist")
    check("GET", "/api/users", c.get("/api/users", headers=admin))
    check("GET", "/api/stats", c.get("/api/stats", headers=admin))
    hits = check("GET", "/api/search", c.get("/api/search?q=khai+sinh", headers=archivist))
    assert hits, "the archived record is found"
    feed = c.get("/api/exchange/feed", headers=exchange_bearer(api_settings, "xa-a"))
    assert check("GET", "/api/exchange/feed", feed)["messages"]
    pdf = [("file", ("x.pdf", pdf_bytes(1, 5), "application/pdf"))]
    check("POST", "/api/verify", c.post("/api/verify", files=pdf))
    token = {"username": "clerk_a", "password": "mat-khau-rat-dai-1"}
    check("POST", "/api/auth/token", c.post("/api/auth/token", json=token))
    check("GET", "/api/dossiers/{code}", c.get("/api/dossiers/000-nothing", headers=clerk), 404)
    check("GET", "/api/users", c.get("/api/users", headers=clerk), 403)
    check("GET", "/api/me", c.get("/api/me"), 401)
    assert len(check.checked) == 16
