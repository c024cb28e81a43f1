"""Fixity: re-hashing packages in both copies, repairing one from the other, raising alerts.

Every file of both copies is hashed and compared with the digest the database recorded
when the package was sealed, not with the bag's own manifests: an edit that also rewrote
a manifest (which bagit's validation would accept) is still found. A file changed or
missing in one copy is put back from the other; an unexpected file is moved to the copy's
quarantine (kept as evidence). A file bad in both copies cannot be repaired. Each finding
becomes an alert that stays open until an archivist acknowledges it, so even a repaired
change is seen by someone; each check and each repair is an event on the record.

Hashing happens outside any transaction (a long check must not hold SQLite's write lock);
the outcome is recorded per package, in one short transaction each.
"""

from __future__ import annotations

import logging
import math
import time
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from config.errors import NotFound
from storage.archive import layout
from storage.archive.layout import ArchiveRoots
from storage.db import Database
from storage.enums import AlertKind, ArchiveCopy, EventKind, PackageStatus
from storage.events import append_event
from storage.models import ArchivePackage, FixityAlert
from storage.types import utcnow

log = logging.getLogger(__name__)

Files = dict[str, dict[str, Any]]
"""A package's recorded files: {path: {"sha256": ..., "size": ...}}."""


@dataclass(frozen=True)
class Finding:
    """One file of one copy that is not what was sealed."""

    copy: ArchiveCopy
    kind: AlertKind
    path: str
    expected: str | None
    found: str | None
    repaired: bool


@dataclass
class CopyState:
    """What one copy of a package holds now: each file's digest, and the strays."""

    digests: dict[str, str | None] = field(default_factory=dict)
    """Recorded path -> SHA-256 found, None if missing."""
    unexpected: list[str] = field(default_factory=list)
    bytes_read: int = 0


@dataclass(frozen=True)
class FixityReport:
    """The outcome of checking one package."""

    package_id: int
    record_code: str
    version: int
    files: int
    bytes_read: int
    seconds: float
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        """Both copies were whole."""
        return not self.findings

    @property
    def whole(self) -> bool:
        """Both copies are whole now (everything found was repaired)."""
        return all(f.repaired for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        data = asdict(self)
        data.update(ok=self.ok, whole=self.whole)
        return data


def _read_copy(directory: Path, files: Files) -> CopyState:
    state = CopyState()
    present = layout.files_under(directory) if directory.is_dir() else {}
    for name in files:
        path = present.get(name)
        if path is None:
            state.digests[name] = None
        elif path.is_symlink():
            state.digests[name] = "symlink"
        else:
            state.digests[name] = layout.sha256_file(path)
            state.bytes_read += path.stat().st_size
    state.unexpected = sorted(set(present) - set(files))
    return state


def _put_back(source: Path, package: Path, name: str, expected: str) -> None:
    """Replace a file of a sealed package with the good copy's, atomically (the package
    directory is created if the whole copy is gone)."""
    package.mkdir(parents=True, exist_ok=True)
    with layout.opened(package):
        target = package / name
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".repair-{uuid.uuid4().hex}")
        layout.copy_verified(source, temporary, expected=expected)
        temporary.chmod(layout.FILE_MODE)
        temporary.replace(target)


def _quarantine(roots: ArchiveRoots, copy: ArchiveCopy, relative: str, name: str) -> None:
    """Move an unexpected file out of a package, into the copy's quarantine."""
    root = roots.root(copy)
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    aside = root / layout.QUARANTINE / relative / stamp / name
    aside.parent.mkdir(parents=True, exist_ok=True)
    with layout.opened(root / relative):
        (root / relative / name).rename(aside)


def _compare(
    roots: ArchiveRoots,
    relative: str,
    files: Files,
    states: dict[ArchiveCopy, CopyState],
    *,
    repair: bool,
) -> list[Finding]:
    findings: list[Finding] = []
    for name, entry in sorted(files.items()):
        expected = entry["sha256"]
        good = [c for c, s in states.items() if s.digests[name] == expected]
        for copy, state in states.items():
            found = state.digests[name]
            if found == expected:
                continue
            kind = AlertKind.MISSING if found is None else AlertKind.CHANGED
            fixed = repair and bool(good)
            if fixed:
                source = roots.package(good[0], relative) / name
                _put_back(source, roots.package(copy, relative), name, expected)
            findings.append(Finding(copy, kind, name, expected, found, fixed))
    for copy, state in states.items():
        for name in state.unexpected:
            if repair:
                _quarantine(roots, copy, relative, name)
            findings.append(Finding(copy, AlertKind.UNEXPECTED, name, None, None, repair))
    return findings


def check_files(
    roots: ArchiveRoots, relative: str, files: Files, *, repair: bool = True
) -> tuple[list[Finding], int]:
    """Hash both copies of a package against its recorded files, repairing what can be;
    the findings and the bytes read. Touches no database."""
    states = {copy: _read_copy(roots.package(copy, relative), files) for copy in ArchiveCopy}
    findings = _compare(roots, relative, files, states, repair=repair)
    return findings, sum(s.bytes_read for s in states.values())


def _open_alert_exists(session: Session, package_id: int, finding: Finding) -> bool:
    return (
        session.scalars(
            select(FixityAlert.id).where(
                FixityAlert.package_id == package_id,
                FixityAlert.copy == finding.copy,
                FixityAlert.kind == finding.kind,
                FixityAlert.path == finding.path,
                FixityAlert.acknowledged_at.is_(None),
                FixityAlert.repaired.is_(False),
            )
        ).first()
        is not None
    )


def _raise_alert(session: Session, package: ArchivePackage, finding: Finding, actor: str) -> None:
    """An alert for a finding (unless the same unrepaired one is open), and its events."""
    data = {"version": package.version, **asdict(finding)}
    if finding.repaired or not _open_alert_exists(session, package.id, finding):
        session.add(
            FixityAlert(
                package_id=package.id,
                copy=finding.copy,
                kind=finding.kind,
                path=finding.path,
                expected_sha256=finding.expected,
                found_sha256=finding.found if finding.found != "symlink" else None,
                repaired=finding.repaired,
            )
        )
        append_event(
            session, EventKind.FIXITY_ALERT, actor=actor, dossier_id=package.dossier_id, data=data
        )
    if finding.repaired:
        append_event(
            session,
            EventKind.FIXITY_REPAIRED,
            actor=actor,
            dossier_id=package.dossier_id,
            data=data,
        )


def record_check(
    session: Session,
    package: ArchivePackage,
    findings: Sequence[Finding],
    *,
    bytes_read: int,
    seconds: float,
    actor: str,
) -> FixityReport:
    """The check as an event on the record, each finding as an alert (and a repair event)."""
    package.last_fixity_at = utcnow()
    package.last_fixity_ok = not findings
    for finding in findings:
        _raise_alert(session, package, finding, actor)
    append_event(
        session,
        EventKind.FIXITY_CHECKED,
        actor=actor,
        dossier_id=package.dossier_id,
        data={
            "version": package.version,
            "files": len(package.files),
            "bytes": bytes_read,
            "ok": not findings,
            "findings": len(findings),
            "repaired": sum(1 for f in findings if f.repaired),
        },
    )
    return FixityReport(
        package.id,
        package.record_code,
        package.version,
        len(package.files),
        bytes_read,
        round(seconds, 4),
        tuple(findings),
    )


def due_for_check(session: Session, share: float | None) -> list[int]:
    """The packages a run checks: a share of them (at least one), the ones checked longest
    ago (or never) first; every one when share is None."""
    live = ArchivePackage.status != PackageStatus.DISPOSED
    total = session.scalar(select(func.count()).select_from(ArchivePackage).where(live)) or 0
    wanted = total if share is None else min(total, max(1, math.ceil(share * total)))
    never_first = ArchivePackage.last_fixity_at.is_not(None)
    return list(
        session.scalars(
            select(ArchivePackage.id)
            .where(live)
            .order_by(never_first, ArchivePackage.last_fixity_at, ArchivePackage.id)
            .limit(wanted)
        )
    )


def check_package(
    db: Database, roots: ArchiveRoots, package_id: int, *, actor: str, repair: bool = True
) -> FixityReport:
    """Check (and repair) one package and record the outcome."""
    with db.session(readonly=True) as session:
        package = session.get(ArchivePackage, package_id)
        if package is None:
            raise NotFound(f"no archive package with id {package_id}")
        relative, files = package.path, dict(package.files)
    started = time.perf_counter()
    findings, read = check_files(roots, relative, files, repair=repair)
    seconds = time.perf_counter() - started
    if findings:
        log.warning("fixity of %s: %d finding(s)", relative, len(findings))
    with db.session() as session:
        package = session.get(ArchivePackage, package_id)
        assert package is not None
        return record_check(
            session, package, findings, bytes_read=read, seconds=seconds, actor=actor
        )


def run_fixity(
    db: Database, roots: ArchiveRoots, *, share: float | None, actor: str, repair: bool = True
) -> list[FixityReport]:
    """One fixity run: the due share of the packages, each checked, repaired and recorded."""
    with db.session(readonly=True) as session:
        ids = due_for_check(session, share)
    return [check_package(db, roots, i, actor=actor, repair=repair) for i in ids]


def open_alerts(
    session: Session, limit: int = 50, *, before: int | None = None
) -> list[dict[str, Any]]:
    """Alerts no archivist has acknowledged yet, newest first (what `sohoa status` and the
    API show); for a page of them, only those older than the alert `before`."""
    stmt = (
        select(FixityAlert, ArchivePackage.record_code, ArchivePackage.version)
        .join(ArchivePackage, ArchivePackage.id == FixityAlert.package_id)
        .where(FixityAlert.acknowledged_at.is_(None))
    )
    if before is not None:
        stmt = stmt.where(FixityAlert.id < before)
    rows = session.execute(stmt.order_by(FixityAlert.id.desc()).limit(limit)).all()
    return [
        {
            "id": alert.id,
            "record_code": code,
            "version": version,
            "copy": alert.copy.value,
            "kind": alert.kind.value,
            "path": alert.path,
            "repaired": alert.repaired,
            "raised_at": alert.raised_at.isoformat(timespec="seconds"),
        }
        for alert, code, version in rows
    ]


def count_open_alerts(session: Session) -> int:
    """How many alerts are open."""
    stmt = select(func.count()).select_from(FixityAlert)
    return session.scalar(stmt.where(FixityAlert.acknowledged_at.is_(None))) or 0


def acknowledge_alerts(
    session: Session, alert_ids: Sequence[int], *, by: str, note: str | None = None
) -> int:
    """An archivist has looked into these alerts; they leave the open list, with who and why
    logged on the record. Returns how many were open."""
    done = 0
    for alert_id in alert_ids:
        alert = session.get(FixityAlert, alert_id)
        if alert is None:
            raise NotFound(f"no fixity alert with id {alert_id}")
        if alert.acknowledged_at is not None:
            continue
        alert.acknowledged_at, alert.acknowledged_by, alert.note = utcnow(), by, note
        append_event(
            session,
            EventKind.ALERT_ACKNOWLEDGED,
            actor=by,
            dossier_id=alert.package.dossier_id,
            data={"alert": alert.id, "path": alert.path, "note": note},
        )
        done += 1
    return done
