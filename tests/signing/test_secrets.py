"""Key passphrases and token PINs never leak: not into logs (every logger at DEBUG, the
forked work horses' included), not into rq's job data in Redis, not into error messages
stored on requests and events, printed by the CLI or answered over HTTP, whether signing
succeeds or fails, asked from the command line or by a leader on the web."""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from click.testing import CliRunner
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.accounts import Principal, issue_token
from api.cli import main
from api.http.app import create_app
from api.http.auth import SESSION_COOKIE
from api.sign_service import seen_form
from config.settings import Settings, get_settings
from signing.flow.results import current_result
from signing.testpki import TestPki
from storage.accounts import add_user
from storage.db import open_database
from storage.enums import TokenKind, UserRole
from storage.models import Event, SignatureRequest
from tests.signing.helpers import SOFTHSM, USER_PIN, WEB_PIN
from tests.workers.archive_signing import queue_signing, ready_to_sign
from workers.worker import run_worker

WRONG_SECRET = "Sai-Bí-mật-4242"
KEY_SECRET = "Khóa-Riêng-7391"
"""The test PKI's own passphrase is a word found in its URLs; the keys are re-encrypted
under this one, which appears nowhere else, so finding it anywhere is a leak."""


def _rekeyed(pki: TestPki, directory: Path) -> Path:
    """The PKI's key directory with every PKCS#12 file under KEY_SECRET."""
    shutil.copytree(pki.directory / "keys", directory)
    for p12 in directory.glob("*.p12"):
        key, cert, chain = pkcs12.load_key_and_certificates(
            p12.read_bytes(), pki.passphrase.encode()
        )
        assert key is not None and cert is not None
        p12.write_bytes(
            pkcs12.serialize_key_and_certificates(
                p12.stem.encode(),
                key,  # type: ignore[arg-type]
                cert,
                chain,
                BestAvailableEncryption(KEY_SECRET.encode()),
            )
        )
    return directory


@pytest.fixture
def debug_log(tmp_path: Path) -> Iterator[Path]:
    """Every record of every logger, at DEBUG, into a file (forked processes write there too)."""
    path = tmp_path / "all.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s %(args)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield path
    root.removeHandler(handler)
    root.setLevel(old_level)
    handler.close()


def _redis_text(conn: redis.Redis) -> str:
    """Everything Redis holds, rq's compressed job data unpacked."""
    readers: dict[str, Callable[[bytes], Iterable[Any]]] = {
        "string": lambda k: [conn.get(k)],
        "hash": lambda k: [v for pair in conn.hgetall(k).items() for v in pair],
        "list": lambda k: conn.lrange(k, 0, -1),
        "set": conn.smembers,
        "zset": lambda k: conn.zrange(k, 0, -1),
    }
    parts: list[str] = []
    for key in conn.scan_iter():
        kind = conn.type(key)
        read = readers.get(kind.decode() if isinstance(kind, bytes) else str(kind))
        for raw in read(key) if read else []:
            data = bytes(raw or b"")
            with contextlib.suppress(zlib.error):
                data = zlib.decompress(data)  # rq compresses a job's data
            parts.append(data.decode("utf-8", errors="replace"))
    return "\n".join(parts)


def _database_text(settings: Settings) -> str:
    with open_database(settings).session(readonly=True) as session:
        requests = session.scalars(select(SignatureRequest)).all()
        events = session.scalars(select(Event)).all()
        return json.dumps(
            [[r.error_message, r.prepared, r.fill] for r in requests]
            + [[e.kind, e.data] for e in events],
            ensure_ascii=False,
        )


@pytest.mark.slow
def test_the_key_passphrase_appears_nowhere_when_signing_works_or_fails(
    signing_settings: Settings,
    pki: TestPki,
    result: bytes,
    redis_conn: redis.Redis,
    debug_log: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOHOA_JOB_RETRIES", "0")
    monkeypatch.setenv("SOHOA_SIGNING_KEY_DIR", str(_rekeyed(pki, tmp_path / "keys")))
    monkeypatch.setenv("SOHOA_SIGN_PASSPHRASE", KEY_SECRET)
    get_settings.cache_clear()
    settings = get_settings()
    queue_signing(redis_conn, settings, ready_to_sign(settings, result))
    run_worker(redis_conn, settings, burst=True)
    monkeypatch.setenv("SOHOA_SIGN_PASSPHRASE", WRONG_SECRET)
    get_settings.cache_clear()
    wrong = get_settings()
    queue_signing(redis_conn, wrong, ready_to_sign(wrong, result))
    run_worker(redis_conn, wrong, burst=True)
    with open_database(wrong).session(readonly=True) as session:
        states = [r.status.value for r in session.scalars(select(SignatureRequest))]
        failed = session.scalars(select(SignatureRequest.error_message)).all()
    assert states.count("signed") == 2 and "failed" in states  # both paths were taken
    assert any(m and "passphrase" in m for m in failed)  # the failure says what is wrong
    everything = debug_log.read_text(encoding="utf-8") + _redis_text(redis_conn)
    everything += _database_text(wrong)
    assert len(everything) > 10_000
    for secret in (KEY_SECRET, WRONG_SECRET):
        assert secret not in everything


def _token_catalogue(directory: Path) -> Path:
    directory.mkdir()
    (directory / "signers.yaml").write_text(
        "profiles:\n"
        "  - name: lanh-dao-token\n"
        "    role: leader\n"
        "    full_name: Nguyễn Văn An\n"
        "    unit: Ủy ban nhân dân xã Hòa Bình\n"
        f"    key: {{kind: pkcs11, token_label: lanh-dao, key_label: leader, module: {SOFTHSM}}}\n",
        encoding="utf-8",
    )
    return directory


def test_the_token_pin_appears_nowhere_when_the_cli_signs_or_is_refused(
    signing_settings: Settings,
    softhsm: Path,
    result: bytes,
    tmp_path: Path,
    debug_log: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOHOA_CATALOGUE_DIR", str(_token_catalogue(tmp_path / "catalogue")))
    source = tmp_path / "ket-qua.pdf"
    source.write_bytes(result)
    outputs = []
    for pin, succeeds in ((USER_PIN, True), (WRONG_SECRET, False)):
        monkeypatch.setenv("SOHOA_TOKEN_PIN", pin)
        get_settings.cache_clear()
        out = tmp_path / f"signed-{succeeds}.pdf"
        run = CliRunner().invoke(
            main,
            ["-v", "sign", str(source), "--profile", "lanh-dao-token", "--out", str(out), "--json"],
        )
        assert (run.exit_code == 0) is succeeds, run.output
        outputs.append(run.output)
    assert "cannot log in" in outputs[1]  # the refusal says why
    everything = "\n".join(outputs) + debug_log.read_text(encoding="utf-8")
    for pin in (USER_PIN, WRONG_SECRET):
        assert pin not in everything


def _web_catalogue(directory: Path, unit: str) -> Path:
    """The shipped signer profiles, and a leader of `unit` whose key is on a token."""
    shipped = Path(__file__).resolve().parents[2] / "config" / "data" / "signers.yaml"
    directory.mkdir()
    (directory / "signers.yaml").write_text(
        shipped.read_text(encoding="utf-8") + "  - name: lanh-dao-web\n"
        "    role: leader\n"
        "    full_name: Nguyễn Văn An\n"
        "    unit: Ủy ban nhân dân xã Hòa Bình\n"
        f"    unit_code: {unit}\n"
        "    key: {kind: pkcs11, token_label: web-lanh-dao, key_label: leader,\n"
        f"          module: {SOFTHSM}}}\n",
        encoding="utf-8",
    )
    return directory


class _Leader:
    """The leader's browser and API client on the app of the current settings."""

    def __init__(self, conn: redis.Redis, monkeypatch: pytest.MonkeyPatch) -> None:
        self.conn, self.monkeypatch = conn, monkeypatch
        self.bodies: list[str] = []

    def settings(self, pin: str, passphrase: str) -> Settings:
        self.monkeypatch.setenv("SOHOA_TOKEN_PIN", pin)
        self.monkeypatch.setenv("SOHOA_SIGN_PASSPHRASE", passphrase)
        get_settings.cache_clear()
        return get_settings()

    def sign(self, settings: Settings, principal: Principal, code: str, *, page: bool) -> None:
        """Sign by the API (bearer) or by the inbox page's form (session and CSRF)."""
        client = TestClient(create_app(settings, self.conn))
        shown = current_result(settings, code)  # as the preview shows it
        if page:
            issued = issue_token(settings, principal, TokenKind.SESSION)
            client.cookies.set(SESSION_COOKIE, issued.token)
            reply = client.post(
                "/leader/sign",
                data={"results": [seen_form(shown)], "csrf": issued.principal.csrf_token},
                follow_redirects=False,
            )
            assert reply.status_code == 303, reply.text
        else:
            token = issue_token(settings, principal, TokenKind.API).token
            client.headers["Authorization"] = f"Bearer {token}"
            result = {"code": code, "document_id": shown.document_id, "sha256": shown.sha256}
            reply = client.post("/api/signing", json={"results": [result]})
            assert reply.status_code == 200, reply.text
        self.bodies.append(reply.text)

    def read_back(self, settings: Settings, principal: Principal, codes: list[str]) -> str:
        """Every page and answer where the signatures' states and errors are shown."""
        client = TestClient(create_app(settings, self.conn))
        client.headers["Authorization"] = (
            f"Bearer {issue_token(settings, principal, TokenKind.API).token}"
        )
        issued = issue_token(settings, principal, TokenKind.SESSION)
        client.cookies.set(SESSION_COOKIE, issued.token)
        texts = [client.get("/api/signing/inbox").text, client.get("/leader").text]
        for code in codes:
            texts += [client.get(f"/api/dossiers/{code}").text,
                      client.get(f"/leader/dossiers/{code}").text]  # fmt: skip
        with open_database(settings).session(readonly=True) as session:
            jobs = session.scalars(select(SignatureRequest.job_id)).all()
        texts += [client.get(f"/api/jobs/{job}").text for job in jobs if job]
        return "\n".join(self.bodies + texts)


@pytest.mark.slow
def test_no_pin_or_passphrase_leaks_when_a_leader_signs_over_http(
    signing_settings: Settings,
    pki: TestPki,
    softhsm: Path,
    result: bytes,
    redis_conn: redis.Redis,
    debug_log: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """GIVEN a leader whose key is on a PKCS#11 token and a seal under a key passphrase
    WHEN the leader signs over HTTP (API and page) and the workers sign: once with the
    right PIN and passphrase, once with a wrong PIN, once with a wrong passphrase
    THEN the failures say why over HTTP, and neither secret, right or wrong, is in any log
    record, anything Redis holds (rq's jobs), the database, or any HTTP answer."""
    unit = signing_settings.unit_code
    monkeypatch.setenv("SOHOA_CATALOGUE_DIR", str(_web_catalogue(tmp_path / "catalogue", unit)))
    monkeypatch.setenv("SOHOA_SIGNING_KEY_DIR", str(_rekeyed(pki, tmp_path / "keys")))
    monkeypatch.setenv("SOHOA_JOB_RETRIES", "0")
    leader = _Leader(redis_conn, monkeypatch)
    settings = leader.settings(WEB_PIN, KEY_SECRET)
    with open_database(settings).session() as session:
        user = add_user(
            session, username="lanh_dao", full_name="Nguyễn Văn An", role=UserRole.LEADER,
            unit_code=unit, password_hash="-", signer_profile="lanh-dao-web", actor="test",
        )  # fmt: skip
        principal = Principal.of(user)
    codes = []
    for pin, passphrase, page in ((WEB_PIN, KEY_SECRET, False), (WRONG_SECRET, KEY_SECRET, True),
                                  (WEB_PIN, WRONG_SECRET, False)):  # fmt: skip
        settings = leader.settings(pin, passphrase)
        codes.append(ready_to_sign(settings, result))
        leader.sign(settings, principal, codes[-1], page=page)
        run_worker(redis_conn, settings, burst=True)
    with open_database(settings).session(readonly=True) as session:
        states = [(r.role, r.status.value) for r in session.scalars(select(SignatureRequest))]
    assert states.count(("leader", "signed")) == 2 and ("leader", "failed") in states
    assert states.count(("organisation", "signed")) == 1 and ("organisation", "failed") in states
    http = leader.read_back(settings, principal, codes)
    assert "cannot log in" in http and "passphrase" in http  # each failure says why
    everything = http + debug_log.read_text(encoding="utf-8") + _redis_text(redis_conn)
    everything += _database_text(settings)
    assert len(everything) > 20_000
    for secret in (WEB_PIN, KEY_SECRET, WRONG_SECRET):
        assert secret not in everything
