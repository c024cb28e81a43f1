"""Access copies on SQLite and PostgreSQL: a BagIt bag of the PDFs and a metadata summary,
read back verified, optionally one PDF in time order, and logged: who, when, why."""

from __future__ import annotations

import json
from pathlib import Path

import pikepdf
import pytest

from config.errors import InvalidRequest
from config.settings import Settings
from storage.archive.access import export_access_copy
from storage.archive.bag import validate
from storage.archive.errors import FixityFailure
from storage.archive.layout import ArchiveRoots
from storage.db import Database
from storage.dossiers import get_dossier
from storage.enums import EventKind
from storage.events import events_of_dossier
from tests.storage.archive_support import archive, build_dossier

PDF = "data/documents/04-giay_khai_sinh/signed.pdf"


def _export(
    database: Database, settings: Settings, code: str, out: Path, **options: bool
) -> list[str]:
    with database.session() as session:
        copy = export_access_copy(
            session,
            ArchiveRoots.from_settings(settings),
            code,
            out,
            by="Phạm Thu Trang (phòng Tư pháp)",
            reason="xác minh hồ sơ khai sinh theo yêu cầu của công dân",
            **options,
        )
    return copy.files


def test_an_access_copy_is_a_bag_of_the_pdfs_and_a_summary_and_is_logged(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    code = build_dossier(database, settings).code
    archive(database, settings, code)
    files = _export(database, settings, code, tmp_path / "dip", combined=True)
    validate(tmp_path / "dip")
    assert files == [
        "data/01-to_khai_khai_sinh.pdf",
        "data/02-giay_chung_sinh.pdf",
        "data/03-cccd.pdf",
        "data/04-giay_khai_sinh-signed.pdf",
        "data/metadata.json",
        "data/metadata.xml",
        "data/record.pdf",
    ]
    with pikepdf.open(tmp_path / "dip/data/record.pdf") as whole:
        assert len(whole.pages) == 5
    summary = json.loads((tmp_path / "dip/data/metadata.json").read_text())
    assert summary["record"]["record_code"] == code
    assert summary["documents"][-1]["number_symbol"] == "15/2026"
    assert summary["access"]["by"] == "Phạm Thu Trang (phòng Tư pháp)"
    with database.session(readonly=True) as session:
        last = events_of_dossier(session, get_dossier(session, code).id)[-1]
    assert last.kind == EventKind.RECORD_ACCESSED.value
    assert last.actor == "Phạm Thu Trang (phòng Tư pháp)"
    assert last.data["reason"] == "xác minh hồ sơ khai sinh theo yêu cầu của công dân"


def _overwrite(path: Path, data: bytes) -> None:
    path.chmod(0o644)
    path.write_bytes(data)
    path.chmod(0o444)


def test_a_bad_primary_file_is_served_from_the_replica_and_never_when_both_are_bad(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    code = build_dossier(database, settings).code
    summary = archive(database, settings, code)
    primary, replica = Path(summary.path, PDF), Path(summary.replica, PDF)
    sealed = replica.read_bytes()
    _overwrite(primary, b"not the record")
    _export(database, settings, code, tmp_path / "from-replica")
    assert (tmp_path / "from-replica/data/04-giay_khai_sinh-signed.pdf").read_bytes() == sealed
    _overwrite(replica, b"not the record either")
    with pytest.raises(FixityFailure, match="every copy"):
        _export(database, settings, code, tmp_path / "nothing")
    assert not (tmp_path / "nothing").exists()


def test_an_access_copy_needs_a_reason_and_an_empty_place(
    database: Database, settings: Settings, tmp_path: Path
) -> None:
    code = build_dossier(database, settings).code
    archive(database, settings, code)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(InvalidRequest, match="not an empty directory"):
        _export(database, settings, code, tmp_path / "full")
    with pytest.raises(InvalidRequest, match="why"), database.session() as session:
        export_access_copy(
            session,
            ArchiveRoots.from_settings(settings),
            code,
            tmp_path / "dip",
            by="a",
            reason=" ",
        )
