"""Fixity on SQLite and PostgreSQL: both copies re-hashed against the database's record,
repaired from the good copy, alerts raised and acknowledged, a share checked per run."""

from __future__ import annotations

import os
from pathlib import Path

from config.settings import Settings
from storage.archive.fixity import acknowledge_alerts, check_package, open_alerts, run_fixity
from storage.archive.layout import ArchiveRoots, is_sealed
from storage.archive.package import PackageSummary
from storage.archive.records import packages_of
from storage.db import Database
from storage.enums import EventKind
from storage.events import events_of_dossier
from tests.storage.archive_support import archive, build_dossier, dossier_id

PDF = "data/documents/04-giay_khai_sinh/signed.pdf"


def _archived(database: Database, settings: Settings, seed: int = 1) -> tuple[str, PackageSummary]:
    code = build_dossier(database, settings, seed=seed).code
    return code, archive(database, settings, code)


def _package_id(database: Database, code: str) -> int:
    with database.session(readonly=True) as session:
        return packages_of(session, dossier_id(database, code))[-1].id


def _tamper(path: Path, data: bytes | None) -> None:
    """Change (or, with None, delete) a sealed file, as a careless admin or bit rot would."""
    path.parent.chmod(0o755)
    if data is None:
        path.unlink()
    else:
        path.chmod(0o644)
        path.write_bytes(data)
    path.parent.chmod(0o555)


def _kinds(database: Database, code: str) -> list[str]:
    with database.session(readonly=True) as session:
        return [e.kind for e in events_of_dossier(session, dossier_id(database, code))]


def test_a_whole_package_passes_and_the_check_is_an_event(
    database: Database, settings: Settings
) -> None:
    code, summary = _archived(database, settings)
    roots = ArchiveRoots.from_settings(settings)
    report = check_package(database, roots, _package_id(database, code), actor="maintenance")
    assert report.ok and report.files == summary.files
    assert report.bytes_read == 2 * summary.bytes  # both copies, every byte
    assert _kinds(database, code)[-1] == EventKind.FIXITY_CHECKED.value
    with database.session(readonly=True) as session:
        assert open_alerts(session) == []
        package = packages_of(session, dossier_id(database, code))[0]
        assert package.last_fixity_ok is True and package.last_fixity_at is not None


def test_a_changed_file_is_repaired_from_the_replica_and_raises_an_alert(
    database: Database, settings: Settings
) -> None:
    code, summary = _archived(database, settings)
    good = (Path(summary.replica) / PDF).read_bytes()
    _tamper(Path(summary.path) / PDF, b"%PDF-1.7 forged")
    roots = ArchiveRoots.from_settings(settings)
    report = check_package(database, roots, _package_id(database, code), actor="maintenance")
    (finding,) = report.findings
    assert (finding.copy, finding.kind, finding.path, finding.repaired) == (
        "primary",
        "changed",
        PDF,
        True,
    )
    assert (Path(summary.path) / PDF).read_bytes() == good
    assert is_sealed(Path(summary.path))
    assert EventKind.FIXITY_REPAIRED.value in _kinds(database, code)
    with database.session(readonly=True) as session:
        (alert,) = open_alerts(session)
    assert (alert["record_code"], alert["kind"], alert["repaired"]) == (code, "changed", True)
    again = check_package(database, roots, _package_id(database, code), actor="maintenance")
    assert again.ok


def test_a_missing_replica_file_is_copied_back_and_a_stray_is_quarantined(
    database: Database, settings: Settings
) -> None:
    code, summary = _archived(database, settings)
    _tamper(Path(summary.replica) / "data/metadata/record.xml", None)
    stray = Path(summary.path) / "data" / "notes.txt"
    stray.parent.chmod(0o755)
    stray.write_text("not part of the record")
    stray.parent.chmod(0o555)
    roots = ArchiveRoots.from_settings(settings)
    report = check_package(database, roots, _package_id(database, code), actor="maintenance")
    assert sorted((f.copy, f.kind, f.path) for f in report.findings) == [
        ("primary", "unexpected", "data/notes.txt"),
        ("replica", "missing", "data/metadata/record.xml"),
    ]
    assert report.whole
    assert (Path(summary.replica) / "data/metadata/record.xml").is_file()
    assert not stray.exists()
    kept = list((settings.archive_path / ".quarantine").rglob("notes.txt"))
    assert len(kept) == 1 and kept[0].read_text() == "not part of the record"


def test_a_file_bad_in_both_copies_stays_an_open_unrepaired_alert_until_acknowledged(
    database: Database, settings: Settings
) -> None:
    code, summary = _archived(database, settings)
    for root in (summary.path, summary.replica):
        _tamper(Path(root) / PDF, os.urandom(64))
    roots = ArchiveRoots.from_settings(settings)
    package_id = _package_id(database, code)
    first = check_package(database, roots, package_id, actor="maintenance")
    second = check_package(database, roots, package_id, actor="maintenance")
    assert not first.whole and not second.whole
    with database.session(readonly=True) as session:
        alerts = open_alerts(session)
    assert len(alerts) == 2  # one per copy, not raised again by the second check
    assert {a["repaired"] for a in alerts} == {False}
    with database.session() as session:
        assert acknowledge_alerts(session, [a["id"] for a in alerts], by="Trần Văn Lưu") == 2
    with database.session(readonly=True) as session:
        assert open_alerts(session) == []
    assert EventKind.ALERT_ACKNOWLEDGED.value in _kinds(database, code)


def test_each_run_checks_a_share_the_longest_unchecked_first(
    database: Database, settings: Settings
) -> None:
    codes = [_archived(database, settings, seed=n)[0] for n in range(1, 5)]
    roots = ArchiveRoots.from_settings(settings)
    seen: list[str] = []
    for _ in range(4):
        reports = run_fixity(database, roots, share=0.3, actor="maintenance")
        assert len(reports) == 2  # ceil(0.3 x 4)
        seen += [r.record_code for r in reports]
    assert seen[:4] == codes  # never-checked first, in order; then the oldest checks again
    assert sorted(seen[4:]) == sorted(codes)
    assert len(run_fixity(database, roots, share=None, actor="maintenance")) == 4
