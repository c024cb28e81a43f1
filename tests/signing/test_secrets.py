"""Key passphrases and token PINs never leak: not into logs (every logger at DEBUG, the
forked work horses' included), not into rq's job data in Redis, not into error messages
stored on requests and events or printed by the CLI, whether signing succeeds or fails."""

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
from sqlalchemy import select

from api.cli import main
from config.settings import Settings, get_settings
from signing.testpki import TestPki
from storage.db import open_database
from storage.models import Event, SignatureRequest
from tests.signing.helpers import SOFTHSM, USER_PIN
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
