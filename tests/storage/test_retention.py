"""Retention on SQLite and PostgreSQL: the schedule, what is due for the archive and past
its period, and disposal by decision that leaves a tombstone."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from config.errors import ConfigurationError
from config.retention import (
    AccessRegime,
    Retention,
    TransferCount,
    get_retention_policy,
    load_retention_policy,
)
from config.settings import Settings
from storage.archive.errors import DisposalRefused
from storage.archive.layout import ArchiveRoots
from storage.archive.records import packages_of
from storage.archive.retention import TOMBSTONE, dispose_record, due_for_transfer, past_retention
from storage.blobs import blob_store
from storage.db import Database
from storage.dossiers import get_dossier
from storage.enums import EventKind, PackageStatus
from storage.events import events_of_dossier
from storage.search.engine import search
from tests.storage.archive_support import SIGNED, archive, build_dossier

BUSINESS = "1.001612"  # household business registration: kept 20 years


def test_a_record_is_kept_as_long_as_its_longest_lived_part() -> None:
    policy = get_retention_policy()
    birth = policy.for_record("1.001193", ["cccd", "giay_khai_sinh"])
    assert (birth.retention, birth.access) == (Retention(None), AccessRegime.RESTRICTED)
    business = policy.for_record(BUSINESS, ["cccd", "giay_chung_nhan_ho_kinh_doanh"])
    assert business.retention == Retention(20)
    assert policy.for_record("9.999999", ["quyet_dinh", "cccd"]).retention == Retention(70)
    assert policy.for_record("9.999999", []).retention == policy.default
    assert Retention(10).until(date(2024, 2, 29)) == date(2034, 2, 28)


def test_a_schedule_with_a_period_the_law_does_not_know_is_refused(tmp_path: Path) -> None:
    (tmp_path / "retention.yaml").write_text("default: 15\n")
    with pytest.raises(ConfigurationError, match="15"):
        load_retention_policy(tmp_path)


def test_finished_dossiers_are_listed_30_days_before_they_are_due_for_the_archive(
    database: Database, settings: Settings
) -> None:
    signed = build_dossier(database, settings).code
    build_dossier(database, settings, signed=False, seed=2)  # not finished: not owed yet
    archived = build_dossier(database, settings, seed=3).code
    archive(database, settings, archived)
    policy = get_retention_policy()
    due_day = policy.transfer_due(SIGNED.astimezone(settings.zone).date()).toordinal()
    assert date.fromordinal(due_day) == date(2027, 12, 31)  # a year after 2026's end
    with database.session(readonly=True) as session:
        early = due_for_transfer(session, policy, date.fromordinal(due_day - 31), 30, settings.zone)
        soon = due_for_transfer(session, policy, date.fromordinal(due_day - 30), 30, settings.zone)
        late = due_for_transfer(session, policy, date.fromordinal(due_day + 5), 30, settings.zone)
    assert early == []
    assert [(r["code"], r["days_left"]) for r in soon] == [(signed, 30)]
    assert [(r["code"], r["days_left"]) for r in late] == [(signed, -5)]


def test_the_transfer_period_starts_where_the_law_in_force_when_the_work_ended_says(
    tmp_path: Path,
) -> None:
    """Law on Archives 2024 (from 1 July 2025, as reported): at most a year counted from the
    year the work ended; work ended before it keeps the 2011 law's year from the day; an
    office reading the 2024 law by the day sets transfer_counted_from: day."""
    policy = get_retention_policy()
    assert policy.transfer_counted_from is TransferCount.YEAR_END
    assert policy.transfer_due(date(2026, 3, 16)) == date(2027, 12, 31)
    assert policy.transfer_due(date(2025, 7, 1)) == date(2026, 12, 31)
    assert policy.transfer_due(date(2025, 6, 30)) == date(2026, 6, 30)  # the 2011 law's day
    shipped = Path(__file__).parents[2] / "config" / "data" / "retention.yaml"
    text = shipped.read_text(encoding="utf-8")
    (tmp_path / "retention.yaml").write_text(
        text.replace("transfer_counted_from: year_end", "transfer_counted_from: day"),
        encoding="utf-8",
    )
    by_day = load_retention_policy(tmp_path)
    assert by_day.transfer_due(date(2026, 3, 16)) == date(2027, 3, 16)


def test_a_permanent_record_is_never_past_retention_nor_disposable(
    database: Database, settings: Settings
) -> None:
    code = build_dossier(database, settings).code
    archive(database, settings, code)
    roots, blobs = ArchiveRoots.from_settings(settings), blob_store(settings)
    with database.session(readonly=True) as session:
        assert past_retention(session, date(2999, 1, 1)) == []
    with pytest.raises(DisposalRefused, match="permanently"), database.session() as session:
        dispose_record(
            session,
            roots,
            blobs,
            code,
            decision="QĐ 1",
            decided_by="x",
            actor="x",
            today=date(2999, 1, 1),
        )


def test_disposal_needs_the_period_over_and_a_decision_and_keeps_a_tombstone(
    database: Database, settings: Settings
) -> None:
    code = build_dossier(database, settings, procedure=BUSINESS).code
    summary = archive(database, settings, code)
    archive(database, settings, code, correction="đính chính mã số hộ")
    roots, blobs = ArchiveRoots.from_settings(settings), blob_store(settings)
    with database.session(readonly=True) as session:
        assert past_retention(session, date(2046, 3, 15)) == []
        (due,) = past_retention(session, date(2046, 3, 16))
        assert (due["code"], due["version"], due["retain_until"]) == (code, 2, "2046-03-16")
        files = {d.original_sha256 for d in get_dossier(session, code).documents}
    for today, decision, match in (
        (date(2046, 3, 15), "QĐ số 7/QĐ-UBND", "kept until 2046-03-16"),
        (date(2046, 3, 16), " ", "decision"),
    ):
        with pytest.raises(DisposalRefused, match=match), database.session() as session:
            dispose_record(
                session,
                roots,
                blobs,
                code,
                decision=decision,
                decided_by="Chủ tịch UBND",
                actor="luu-tru",
                today=today,
            )
    with database.session() as session:
        done = dispose_record(
            session,
            roots,
            blobs,
            code,
            decision="QĐ số 7/QĐ-UBND ngày 16/3/2046",
            decided_by="Chủ tịch UBND xã",
            actor="luu-tru",
            today=date(2046, 3, 16),
        )
    assert (done.versions, done.blobs_deleted) == (2, 8)  # 3 originals, 3 PDFs, 2 signed
    assert not Path(summary.path).exists() and not Path(summary.replica).exists()
    assert not any(blobs.exists(sha) for sha in files)
    tombstone = json.loads((settings.archive_path / code / TOMBSTONE).read_text())
    assert tombstone["disposal"]["decision"] == "QĐ số 7/QĐ-UBND ngày 16/3/2046"
    assert tombstone["record"]["record_code"] == code
    assert (settings.archive_replica_path / code / TOMBSTONE).is_file()
    with database.session(readonly=True) as session:
        dossier = get_dossier(session, code)
        assert {p.status for p in packages_of(session, dossier.id)} == {PackageStatus.DISPOSED}
        assert all(d.text is None for d in dossier.documents)
        assert events_of_dossier(session, dossier.id)[-1].kind == EventKind.RECORD_DISPOSED.value
        assert search(session, "tap hoa dat viet") == []  # the text is gone...
        hits = search(session, code)  # ...the metadata is still found
        assert {h.state for h in hits} == {"disposed"} and len(hits) == 3


def test_a_file_another_record_shares_survives_a_disposal(
    database: Database, settings: Settings
) -> None:
    first = build_dossier(database, settings, procedure=BUSINESS, seed=4).code
    second = build_dossier(
        database,
        settings,
        procedure=BUSINESS,
        seed=4,
        received_at=datetime(2026, 3, 15, 2, 0, tzinfo=UTC),
    ).code  # same seed: the same files, in a second dossier
    archive(database, settings, first)
    roots, blobs = ArchiveRoots.from_settings(settings), blob_store(settings)
    with database.session() as session:
        done = dispose_record(
            session,
            roots,
            blobs,
            first,
            decision="QĐ 9",
            decided_by="Chủ tịch",
            actor="luu-tru",
            today=date(2047, 1, 1),
        )
    assert done.blobs_deleted == 0
    with database.session(readonly=True) as session:
        shared = [d.original_sha256 for d in get_dossier(session, second).documents]
    assert all(blobs.exists(sha) for sha in shared)
