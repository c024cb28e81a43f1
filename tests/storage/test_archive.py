"""Archival packages on SQLite and PostgreSQL: sealed bags, refusals with every reason,
immutability, versions, and the metadata they carry."""

from __future__ import annotations

import json
import stat
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import bagit
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from config.settings import Settings
from storage.archive.bag import validate
from storage.archive.errors import AlreadyArchived, ArchiveRefused
from storage.archive.layout import is_sealed
from storage.archive.package import ArchiveContext, archive_record
from storage.archive.plan import PdfFinding
from storage.archive.records import packages_of
from storage.db import Database
from storage.dossiers import get_dossier
from storage.enums import DossierStatus, EventKind, PackageStatus
from storage.events import events_of_dossier
from storage.models import ArchivePackage
from storage.search.engine import SearchFilters, search
from tests.storage.archive_support import archive, build_dossier, dossier_id, plan_of, sound


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_a_signed_complete_dossier_becomes_a_sealed_valid_bag_and_its_replica(
    database: Database, settings: Settings
) -> None:
    built = build_dossier(database, settings)
    summary = archive(database, settings, built.code)
    primary, replica = Path(summary.path), Path(summary.replica)
    assert primary == settings.archive_path / built.code / "v1"
    assert replica == settings.archive_replica_path / built.code / "v1"
    for copy in (primary, replica):
        validate(copy)  # bagit's own full validation
        assert is_sealed(copy)
        assert (copy / "bagit.txt").read_text().startswith("BagIt-Version: 1.0")
    assert stat.S_IMODE((primary / "data/metadata/record.json").stat().st_mode) == 0o444
    names = _files(primary)
    assert names == _files(replica)
    assert "data/documents/01-to_khai_khai_sinh/original.jpg" in names
    assert "data/documents/04-giay_khai_sinh/signed.pdf" in names
    assert "data/documents/02-giay_chung_sinh/text.txt" in names
    manifest = (primary / "manifest-sha256.txt").read_text()
    assert "data/documents/04-giay_khai_sinh/signed.pdf" in manifest
    with database.session(readonly=True) as session:
        dossier = get_dossier(session, built.code)
        assert dossier.status is DossierStatus.ARCHIVED
        (package,) = packages_of(session, dossier.id)
        assert package.files.keys() == set(names)
        assert (package.document_count, package.page_count) == (4, 5)
        assert (package.retention, package.retain_until) == ("permanent", None)
        kinds = [e.kind for e in events_of_dossier(session, dossier.id)]
    assert kinds[-1] == EventKind.RECORD_ARCHIVED.value
    logged = json.loads((primary / "data/metadata/events.json").read_text())
    assert [e["kind"] for e in logged] == kinds  # the log in the bag ends with its archiving
    assert logged[-1]["actor"] == "luu-tru"


def test_the_metadata_names_every_record_and_document_field_in_json_and_xml(
    database: Database, settings: Settings
) -> None:
    built = build_dossier(database, settings)
    primary = Path(archive(database, settings, built.code).path)
    record = json.loads((primary / "data/metadata/record.json").read_text())
    head = record["record"]
    assert head["record_code"] == built.code
    assert head["title"] == "Hồ sơ đăng ký khai sinh của Lê Thị Hoà"
    assert (head["retention"], head["access_regime"], head["language"]) == (
        "permanent",
        "restricted",
        "vi",
    )
    assert (head["start_date"], head["end_date"]) == ("2026-03-14", "2026-03-16")
    assert (head["document_count"], head["page_count"]) == (4, 5)
    assert head["creator"] == {"agency_code": "000.00.00.H00", "unit_code": "xa-hoa-binh"}
    by_type = {d["document_type"]: d for d in record["documents"]}
    for document in by_type.values():
        for name in ("number_symbol", "issue_date", "issuing_body", "summary", "owner_id"):
            assert name in document
    assert by_type["cccd"]["owner_id"] == "036185000123"
    assert by_type["giay_chung_sinh"]["owner_id"] is None
    result = by_type["giay_khai_sinh"]
    assert (result["number_symbol"], result["issue_date"]) == ("15/2026", "2026-03-16")
    assert result["pdf"]["signed"] and result["pdf"]["signatures"][0]["verdict"] == "valid"
    root = ElementTree.fromstring((primary / "data/metadata/record.xml").read_bytes())
    ns = {"r": "urn:sohoa:archive:record:1"}
    assert root.findtext("r:record/r:record_code", namespaces=ns) == built.code
    previous = root.find("r:record/r:previous_version", ns)
    assert previous is not None and previous.get("null") == "true"
    assert len(root.findall("r:documents/r:document", ns)) == 4


def test_archiving_refuses_with_every_reason_at_once(
    database: Database, settings: Settings
) -> None:
    built = build_dossier(database, settings, skip=("giay_chung_sinh",), signed=False)
    plan = plan_of(database, settings, built.code)
    findings = [PdfFinding(c.sha256, pdfa=False, problems=("bad signature",)) for c in plan.checks]
    with pytest.raises(ArchiveRefused) as refused, database.session() as session:
        archive_record(
            session, ArchiveContext.from_settings(settings), plan, findings, actor="luu-tru"
        )
    reasons = refused.value.reasons
    assert any("required component 2" in r and "giay_chung_sinh" in r for r in reasons)
    assert any("is not signed" in r for r in reasons)
    assert sum("is not PDF/A-2b" in r for r in reasons) == len(plan.checks) == 3
    assert reasons.count("bad signature") == 3
    assert not settings.archive_path.exists() or not any(settings.archive_path.glob("*/v*"))


def test_a_package_is_never_modified_by_the_database(
    database: Database, settings: Settings
) -> None:
    archive(database, settings, build_dossier(database, settings).code)
    for statement in (
        "UPDATE archive_packages SET path = 'elsewhere'",
        "UPDATE archive_packages SET files = '{}'",
        "DELETE FROM archive_packages",
    ):
        with pytest.raises(DatabaseError, match="immutable"), database.session() as session:
            session.execute(text(statement))
    with database.session() as session:  # what may change: its fixity and status
        session.execute(text("UPDATE archive_packages SET last_fixity_ok = true"))


def test_a_correction_is_a_new_version_pointing_at_the_old_one(
    database: Database, settings: Settings
) -> None:
    built = build_dossier(database, settings)
    first = archive(database, settings, built.code)
    before = {p: p.read_bytes() for p in Path(first.path).rglob("*") if p.is_file()}
    with pytest.raises(AlreadyArchived, match="version 1"):
        archive(database, settings, built.code)
    second = archive(database, settings, built.code, correction="đính chính ngày sinh")
    assert second.version == 2 and Path(second.path).name == "v2"
    assert {p: p.read_bytes() for p in Path(first.path).rglob("*") if p.is_file()} == before
    info = bagit.Bag(second.path).info
    assert info["Sohoa-Previous-Version"] == f"{built.code}/v1"
    with database.session(readonly=True) as session:
        old, new = packages_of(session, dossier_id(database, built.code))
        assert (old.status, new.status) == (PackageStatus.SUPERSEDED, PackageStatus.ACTIVE)
        assert new.previous_id == old.id
        assert new.correction_reason == "đính chính ngày sinh"
        assert new.record["record"]["previous_version"] == 1


def test_archived_documents_are_found_by_their_record(
    database: Database, settings: Settings
) -> None:
    built = build_dossier(database, settings)
    archive(database, settings, built.code)
    with database.session(readonly=True) as session:
        hits = search(session, "vinh vien", SearchFilters(dossier_code=built.code))
        assert {h.state for h in hits} == {"archived"} and len(hits) == 4
        assert {h.record_code for h in hits} == {built.code}
        signer = search(session, "nguyen van an", SearchFilters(document_type="giay_khai_sinh"))
        assert [h.dossier_code for h in signer] == [built.code]


def test_nothing_is_left_behind_when_a_file_is_not_what_the_store_says(
    database: Database, settings: Settings
) -> None:
    built = build_dossier(database, settings)
    plan = plan_of(database, settings, built.code)
    blob = settings.blob_path / "sha256" / plan.documents[0].original_sha256[:2]
    path = next(blob.rglob(plan.documents[0].original_sha256))
    path.chmod(0o644)
    path.write_bytes(b"rotten")
    with pytest.raises(ArchiveRefused, match="hashes to"), database.session() as session:
        archive_record(
            session, ArchiveContext.from_settings(settings), plan, sound(plan), actor="luu-tru"
        )
    assert not list(settings.archive_path.glob("*/v*"))
    assert not any((settings.archive_path / ".staging").iterdir())
    with database.session(readonly=True) as session:
        assert session.scalars(select(ArchivePackage)).all() == []
