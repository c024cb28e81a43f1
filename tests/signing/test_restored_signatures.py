"""A backup restored onto a fresh deployment keeps every real signature valid: a dossier
signed for real by leader and seal (B-LTA) and archived, `sohoa backup`, `sohoa restore`
into another data directory, then every signed PDF verified offline from the restored
blob store and every archived file re-hashed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from api.cli import main
from config.settings import Settings, get_settings
from signing.flow.archive import run_archive
from signing.verification.run import VerifyOptions, verify_pdf
from storage.blobs import blob_store
from storage.db import open_database
from storage.enums import SignatureState
from storage.models import SignatureRequest
from tests.workers.archive_signing import signed_dossier


def _signed_outputs(settings: Settings) -> list[str]:
    with open_database(settings).session(readonly=True) as session:
        rows = session.scalars(
            select(SignatureRequest.output_sha256)
            .where(SignatureRequest.status == SignatureState.SIGNED)
            .order_by(SignatureRequest.id)
        )
        return [s for s in rows if s]


@pytest.mark.slow
def test_every_signature_verifies_after_backup_and_restore(
    signing_settings: Settings, result: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = signed_dossier(signing_settings, result)
    run_archive(signing_settings, code, actor="Trần Văn Lưu")
    made = CliRunner().invoke(main, ["backup", str(tmp_path / "backup"), "--json"])
    assert made.exit_code == 0, made.output
    backup = json.loads(made.output)
    assert backup["audit_intact"] and backup["blobs"] >= 8

    monkeypatch.setenv("SOHOA_DATA_DIR", str(tmp_path / "fresh"))
    get_settings.cache_clear()
    fresh = get_settings()
    restored = CliRunner().invoke(main, ["restore", str(tmp_path / "backup"), "--json"])
    assert restored.exit_code == 0, restored.output
    summary = json.loads(restored.output)
    assert summary["rows"] == backup["rows"]
    assert (summary["packages_checked"], summary["fixity_findings"]) == (1, 0)
    assert summary["audit_head"] == backup["audit_head"]

    outputs = _signed_outputs(fresh)
    assert len(outputs) == 2  # the leader's signature, then the seal's over it
    store = blob_store(fresh)
    options = VerifyOptions.from_settings(fresh, online=False)
    for sha256 in outputs:
        assert store.verify(sha256)
        report = verify_pdf(store.path(sha256).read_bytes(), sha256, options)
        verdicts = [s.verdict for s in report.signatures if s.kind == "signature"]
        assert verdicts and all(v == "valid" for v in verdicts), report
    assert len(verdicts) == 2
    again = CliRunner().invoke(main, ["audit", "verify"])
    assert again.exit_code == 0 and "intact" in again.output
