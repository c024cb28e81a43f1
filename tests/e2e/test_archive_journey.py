"""The archivist's journey through the `sohoa` command: archive a signed dossier, find it
without diacritics, hand out an access copy, notice a tampered file in `sohoa status`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from config.settings import Settings, get_settings
from signing.testpki import TestPki, create_test_pki
from tests.signing.helpers import PkiSwitch, result_pdf
from tests.storage.archive_support import record_accesses
from tests.workers.archive_signing import signed_dossier

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestPki]:
    """A test PKI serving on loopback for this module."""
    made = create_test_pki(tmp_path_factory.mktemp("pki"))
    switch = PkiSwitch(made)
    switch.start()
    yield made
    switch.stop()


@pytest.fixture
def env(pki: TestPki, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The environment of the test's sohoa: its data directory, the test PKI's keys and root."""
    values = {
        "SOHOA_SIGNING_KEY_DIR": str(pki.directory / "keys"),
        "SOHOA_SIGN_PASSPHRASE": pki.passphrase,
        "SOHOA_TSA_URL": pki.tsa_url,
        "SOHOA_TRUST_ROOTS": str(pki.root_cert),
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    return {**values, "SOHOA_DATA_DIR": os.environ["SOHOA_DATA_DIR"]}


def sohoa(
    *args: str | Path, env: dict[str, str], check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run the checkout's `sohoa` command."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
    proc = subprocess.run(
        [sys.executable, "-m", "api.cli", *map(str, args)],
        capture_output=True,
        text=True,
        env={**clean, **env, "PYTHONPATH": str(REPO)},
        timeout=300,
        check=False,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"sohoa {args} exited {proc.returncode}: {proc.stderr}")
    return proc


def _lines(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_an_archivist_archives_finds_exports_and_sees_a_tampered_file(
    env: dict[str, str], tmp_path: Path
) -> None:
    settings: Settings = get_settings()
    code = signed_dossier(settings, result_pdf(tmp_path))

    archived = json.loads(sohoa("archive", code, "--json", "--by", "Lưu Thị Kho", env=env).stdout)
    assert archived["version"] == 1 and Path(archived["path"]).is_dir()
    refused = sohoa("archive", code, env=env, check=False)
    assert refused.returncode == 2
    assert "a correction adds a new version" in refused.stderr

    hits = _lines(sohoa("search", "giay khai sinh le thi hoa", "--json", env=env).stdout)
    assert {h["dossier_code"] for h in hits} == {code}
    assert hits[0]["document_type"] == "giay_khai_sinh"  # its title says so: ranked first
    assert {"dossier_code", "document_id", "document_type", "title", "score", "snippet"} <= set(
        hits[0]
    )
    assert hits[0]["state"] == "archived" and "<mark>" in hits[0]["snippet"]
    searches = [
        (who, d["query"]) for who, d in record_accesses(settings, code) if d["how"] == "search"
    ]
    assert searches == [("cli", "giay khai sinh le thi hoa")]  # the command line's search too

    out = tmp_path / "access"
    copy = sohoa(
        "export", code, "--out", out, "--reason", "trích lục theo yêu cầu", "--combined",
        "--json", env=env,
    )  # fmt: skip
    assert "data/record.pdf" in json.loads(copy.stdout)["files"]
    assert (out / "bagit.txt").is_file()

    signed = Path(archived["path"]) / "data/documents/04-giay_khai_sinh/signed.pdf"
    signed.chmod(0o644)
    signed.write_bytes(b"%PDF-1.7 forged")
    checked = sohoa("fixity", "check", "--all", env=env)
    assert "repaired" in checked.stdout
    status = json.loads(sohoa("status", "--json", env=env).stdout)["archive"]
    assert status["open_alerts"] == 1 and status["alerts"][0]["path"].endswith("signed.pdf")
    assert "fixity alerts open: 1" in sohoa("status", env=env).stdout
