"""The public signature check (`POST /api/verify`) fetches only what the operator vouched for,
within a deadline, on a pool of its own, and refuses PDFs built to exhaust it.

Each test replays an attack of the security review against the real app (real Redis and
database, real signatures made by pyHanko) and a loopback HTTP server that counts who came."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient

from api.http import routes_signing
from api.http.app import create_app
from api.throttle import Throttle
from config.settings import Settings, get_settings
from signing.services import ServiceConfig
from tests.security.verify_attacks import (
    Issued,
    Listener,
    issue,
    listening,
    sign_with,
    with_deep_field_tree,
    with_dss_bomb,
)


def _client(
    redis_conn: redis.Redis, monkeypatch: pytest.MonkeyPatch, root: Path, **env: str
) -> TestClient:
    """The app on settings trusting `root`, with SOHOA_<env> set (the database as the
    api_settings fixture chose)."""
    monkeypatch.setenv("SOHOA_TRUST_ROOTS", str(root))
    for name, value in env.items():
        monkeypatch.setenv(f"SOHOA_{name.upper()}", value)
    get_settings.cache_clear()
    return TestClient(create_app(get_settings(), redis_conn), raise_server_exceptions=False)


def _check(client: TestClient, data: bytes) -> Any:
    return client.post("/api/verify", files=[("file", ("ket-qua.pdf", data, "application/pdf"))])


@pytest.fixture
def listener() -> Iterator[Listener]:
    """A loopback server answering 404 to everything, counting requests."""
    with listening(Listener()) as server:
        yield server


@pytest.fixture
def office_root(tmp_path: Path) -> Issued:
    """A root the deployment is configured to trust."""
    return issue(tmp_path, "Office Root", ca=True)


def test_an_untrusted_certificates_urls_are_never_fetched(
    api_settings: Settings,
    redis_conn: redis.Redis,
    monkeypatch: pytest.MonkeyPatch,
    services: ServiceConfig,
    result: bytes,
    office_root: Issued,
    listener: Listener,
    tmp_path: Path,
) -> None:
    """Attack: blind SSRF. A citizen uploads a PDF signed by a certificate of their own
    making whose caIssuers, OCSP and CRL URLs name an internal host (here loopback); the
    verifier used to chase them (and the issuer it found there, and so on).
    Boundary: nothing is fetched for a chain that does not reach a configured root offline,
    and caIssuers are never chased. THEN the server makes 0 requests and says untrusted."""
    attacker_root = issue(tmp_path, "Attacker Root", ca=True)
    attacker_ca = issue(tmp_path, "Attacker CA", issuer=attacker_root, ca=True, urls=listener.base)
    leaf = issue(tmp_path, "Citizen", issuer=attacker_ca, urls=listener.base)
    signed = sign_with(result, leaf, services)
    client = _client(redis_conn, monkeypatch, office_root.cert_path)
    answer = _check(client, signed)
    assert answer.status_code == 200, answer.text
    assert answer.json()["signatures"][0]["verdict"] == "untrusted"
    assert listener.hits == []


def test_a_configured_roots_responder_on_loopback_is_refused_unless_allowlisted(
    api_settings: Settings,
    redis_conn: redis.Redis,
    monkeypatch: pytest.MonkeyPatch,
    services: ServiceConfig,
    result: bytes,
    office_root: Issued,
    listener: Listener,
    tmp_path: Path,
) -> None:
    """Attack: SSRF through a trusted chain whose revocation URLs name an internal address.
    Boundary: revocation data is fetched only from public addresses (resolved, then checked
    again on the connected socket), unless the operator allowlisted the host in
    SOHOA_VERIFY_REVOCATION_HOSTS. THEN 0 requests without the allowlist, and the
    responder is asked once it is allowlisted."""
    leaf = issue(tmp_path, "Leader", issuer=office_root, urls=listener.base)
    signed = sign_with(result, leaf, services)
    client = _client(redis_conn, monkeypatch, office_root.cert_path)
    report = _check(client, signed).json()["signatures"][0]
    assert listener.hits == []
    assert report["revocation"]["status"] == "unknown"
    allowed = _client(
        redis_conn,
        monkeypatch,
        office_root.cert_path,
        verify_revocation_hosts=f"127.0.0.1:{listener.port}",
    )
    assert _check(allowed, signed).status_code == 200
    assert listener.hits, "an allowlisted responder of a trusted chain is asked"


def test_a_redirect_from_an_allowed_responder_is_not_followed(
    api_settings: Settings,
    redis_conn: redis.Redis,
    monkeypatch: pytest.MonkeyPatch,
    services: ServiceConfig,
    result: bytes,
    office_root: Issued,
    tmp_path: Path,
) -> None:
    """Attack: an allowed (public) responder answers with a redirect to an internal host.
    Boundary: redirects are never followed. THEN the redirect's target gets 0 requests."""
    with listening(Listener()) as inside, listening(Listener(reply="redirect")) as outside:
        outside.location = f"{inside.base}/admin"
        leaf = issue(tmp_path, "Leader", issuer=office_root, urls=outside.base)
        signed = sign_with(result, leaf, services)
        client = _client(
            redis_conn,
            monkeypatch,
            office_root.cert_path,
            verify_revocation_hosts=f"127.0.0.1:{outside.port}",
        )
        assert _check(client, signed).status_code == 200
        assert outside.hits and inside.hits == []


def test_a_verification_past_its_deadline_answers_422_at_the_deadline(
    api_settings: Settings,
    redis_conn: redis.Redis,
    monkeypatch: pytest.MonkeyPatch,
    services: ServiceConfig,
    result: bytes,
    office_root: Issued,
    tmp_path: Path,
) -> None:
    """Attack: a responder that never answers holds the verifying thread for minutes.
    Boundary: each verification has a wall-time deadline (SOHOA_VERIFY_DEADLINE), which
    every fetch's timeout is cut to. THEN 422 `verify_timeout` with a Vietnamese hint,
    once the deadline has passed and long before the responder lets go (the bound leaves a
    loaded 2-core CI machine room: 4 s was once missed at 4.9 s while other suites ran)."""
    with listening(Listener(reply="hold", hold=30.0)) as stuck:
        leaf = issue(tmp_path, "Leader", issuer=office_root, urls=stuck.base)
        signed = sign_with(result, leaf, services)
        client = _client(
            redis_conn,
            monkeypatch,
            office_root.cert_path,
            verify_revocation_hosts=f"127.0.0.1:{stuck.port}",
            verify_deadline="1.5",
        )
        started = time.monotonic()
        answer = _check(client, signed)
        elapsed = time.monotonic() - started
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == "verify_timeout" and error["hint"]
    assert 1.5 <= elapsed < 10.0


def test_many_slow_verifications_leave_other_pages_answering(
    api_settings: Settings,
    redis_conn: redis.Redis,
    monkeypatch: pytest.MonkeyPatch,
    services: ServiceConfig,
    result: bytes,
    office_root: Issued,
    tmp_path: Path,
) -> None:
    """Attack: ~45 concurrent checks, each stuck on a slow responder, took every thread of
    the app's shared pool, and every page hung (the per-address throttle is lifted here, as
    for an attacker with many addresses). Boundary: checks run on a small pool of their
    own with a bounded queue; past it, 503 `verify_busy` at once. THEN /api/health answers
    promptly while they run, and the refused checks say why in Vietnamese."""
    monkeypatch.setattr(routes_signing, "VERIFY_THROTTLE", Throttle("verify", 1000, 60))
    with listening(Listener(reply="hold", hold=8.0)) as stuck:
        leaf = issue(tmp_path, "Leader", issuer=office_root, urls=stuck.base)
        signed = sign_with(result, leaf, services)
        client = _client(
            redis_conn,
            monkeypatch,
            office_root.cert_path,
            verify_revocation_hosts=f"127.0.0.1:{stuck.port}",
            verify_deadline="3",
        )
        with client, ThreadPoolExecutor(max_workers=45) as pool:
            assert client.get("/api/health").status_code == 200  # connections made
            checks = [pool.submit(_check, client, signed) for _ in range(45)]
            time.sleep(1.0)  # the checks have taken whatever threads they can
            started = time.monotonic()
            health = client.get("/api/health")
            waited = time.monotonic() - started
            answers = [check.result(timeout=30) for check in checks]
    assert health.status_code == 200 and waited < 2.0, waited
    busy = [a for a in answers if a.status_code == 503]
    assert busy and all(a.json()["error"]["code"] == "verify_busy" for a in busy)
    assert "thử lại" in busy[0].json()["error"]["hint"]
    assert {a.status_code for a in answers} <= {503, 422}


def test_a_dss_that_inflates_is_refused_without_inflating_it(
    api_settings: Settings,
    redis_conn: redis.Redis,
    monkeypatch: pytest.MonkeyPatch,
    services: ServiceConfig,
    result: bytes,
    office_root: Issued,
    tmp_path: Path,
) -> None:
    """Attack: a PDF of a few hundred KB whose DSS "certificate" deflates to 200 MB took the
    server's memory up by hundreds of MB, then answered 500. Boundary: streams decode within
    limits (a certificate at most 1 MiB, the whole document a small budget). THEN 422
    `pdf_too_complex` and the check allocates far less than the bomb."""
    leaf = issue(tmp_path, "Leader", issuer=office_root)
    signed = with_dss_bomb(sign_with(result, leaf, services), 200 * 2**20)
    assert len(signed) < 2**20
    client = _client(redis_conn, monkeypatch, office_root.cert_path)
    tracemalloc.start()
    try:
        answer = _check(client, signed)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["code"] == "pdf_too_complex"
    assert peak < 64 * 2**20, peak


def test_a_deeply_nested_field_tree_is_refused_not_a_500(
    api_settings: Settings,
    redis_conn: redis.Redis,
    monkeypatch: pytest.MonkeyPatch,
    services: ServiceConfig,
    result: bytes,
    office_root: Issued,
    tmp_path: Path,
) -> None:
    """Attack: a form field tree nested thousands deep made the verifier recurse until
    Python gave up (500). Boundary: the field tree's depth and size are bounded before
    anything walks it. THEN 422 `pdf_too_complex`, naming the depth."""
    signed = sign_with(result, issue(tmp_path, "Leader", issuer=office_root), services)
    client = _client(redis_conn, monkeypatch, office_root.cert_path)
    answer = _check(client, with_deep_field_tree(signed, 3000))
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == "pdf_too_complex" and "deep" in error["message"]
