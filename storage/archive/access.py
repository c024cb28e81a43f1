"""Access copies (OAIS DIP): a record's PDFs and a metadata summary as a BagIt bag, logged.

Every file is read from the archive and checked against the digest recorded when the
package was sealed, from the replica if the primary copy is bad; a file bad in both is
refused (FixityFailure), never handed out. Who asked, when and why is logged on the record
before anything is written. The optional combined PDF puts every document's pages in time
order (issue date where it was read, else the day the dossier was received): a reading
copy, its stamps drawn but its signatures gone (the signed result is there on its own).
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pikepdf
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from config.errors import InvalidRequest
from storage.archive import bag, layout
from storage.archive.errors import FixityFailure
from storage.archive.layout import ArchiveRoots
from storage.archive.metadata import metadata_json, metadata_xml
from storage.archive.records import package_of
from storage.enums import ArchiveCopy, EventKind
from storage.events import append_event
from storage.models import ArchivePackage, Dossier
from storage.types import utcnow

log = logging.getLogger(__name__)

COMBINED = "record.pdf"
RECORD_FIELDS = (
    "record_code", "title", "version", "retention", "retention_label", "access_regime",
    "language", "start_date", "end_date", "document_count", "page_count", "creator",
    "dossier_code", "procedure",
)  # fmt: skip
DOCUMENT_FIELDS = (
    "document_type", "type_name", "number_symbol", "issue_date", "issuing_body", "summary",
    "owner_id", "pages",
)  # fmt: skip


@dataclass(frozen=True)
class AccessCopy:
    """An access copy written for someone."""

    record_code: str
    version: int
    path: str
    files: list[str]
    combined: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return dict(self.__dict__)


def read_verified(roots: ArchiveRoots, package: ArchivePackage, name: str, target: Path) -> None:
    """Copy one file of a package out, from whichever copy still matches its digest."""
    expected = package.files[name]["sha256"]
    for copy in ArchiveCopy:
        source = roots.package(copy, package.path) / name
        if not source.is_file():
            continue
        try:
            layout.copy_verified(source, target, expected=expected)
            return
        except ValueError:
            log.error("%s of %s differs from what was sealed", name, copy.value)
    raise FixityFailure(
        f"record {package.record_code} v{package.version}: {name} differs from what was "
        "sealed in every copy; it is not handed out"
    )


def _time_order(package: ArchivePackage) -> list[dict[str, Any]]:
    """The documents by date: their issue date where it was read, else the day the dossier
    was received (when they entered the record); then as they were received."""
    received = (package.record["record"].get("received_at") or "")[:10]

    def when(document: dict[str, Any]) -> tuple[str, int]:
        return document.get("issue_date") or received, int(document["document_id"])

    return sorted(package.record["documents"], key=when)


def _summary(
    package: ArchivePackage, files: dict[int, str], by: str, reason: str
) -> dict[str, Any]:
    record = package.record["record"]
    return {
        "schema": package.record.get("schema"),
        "record": {k: record.get(k) for k in RECORD_FIELDS},
        "documents": [
            {**{k: d.get(k) for k in DOCUMENT_FIELDS}, "file": files[int(d["document_id"])]}
            for d in _time_order(package)
        ],
        "access": {"by": by, "reason": reason, "at": utcnow().isoformat(timespec="seconds")},
    }


def _combine(pdfs: list[Path], target: Path) -> None:
    """One PDF of them all. Annotations (signature stamps, filled fields) are flattened into
    the pages first and the forms dropped: the stamps stay visible, and no viewer reports
    a signature broken by the merge (the signed PDF itself is in the copy)."""
    with contextlib.ExitStack() as stack, pikepdf.new() as merged:
        for path in pdfs:
            source = stack.enter_context(pikepdf.open(path))
            source.flatten_annotations("all")
            merged.add_pages_from(source, forms="strip")
        merged.save(target)


def _write(
    roots: ArchiveRoots, package: ArchivePackage, staging: Path, combined: bool
) -> dict[int, str]:
    """The PDFs into the staging directory, in time order; their names in the copy."""
    names: dict[int, str] = {}
    ordered: list[Path] = []
    for number, document in enumerate(_time_order(package), start=1):
        source = document["pdf"]["file"]
        suffix = "-signed" if document["pdf"].get("signed") else ""
        name = f"{number:02d}-{document['document_type'] or 'khac'}{suffix}.pdf"
        read_verified(roots, package, source, staging / name)
        names[int(document["document_id"])] = f"data/{name}"
        ordered.append(staging / name)
    if combined:
        _combine(ordered, staging / COMBINED)
    return names


def archived_among(session: Session, codes: Iterable[str]) -> list[str]:
    """Which of these dossier codes are archived records (with a package, sealed or
    disposed)."""
    wanted = sorted({c.strip() for c in codes if c and c.strip()})
    if not wanted:
        return []
    return list(
        session.scalars(
            select(Dossier.code)
            .where(Dossier.code.in_(wanted))
            .where(exists().where(ArchivePackage.dossier_id == Dossier.id))
            .order_by(Dossier.id)
        )
    )


def log_access(
    session: Session,
    codes: Iterable[str],
    *,
    by: str,
    how: str,
    detail: dict[str, Any] | None = None,
) -> list[str]:
    """Log who read which archived records and how (`search`, `view`, `download`): one
    record.accessed event per archived record among `codes`; the others are no archived
    records and leave no trace here. Returns the codes logged."""
    logged = archived_among(session, codes)
    for dossier in session.scalars(select(Dossier).where(Dossier.code.in_(logged))):
        append_event(
            session,
            EventKind.RECORD_ACCESSED,
            actor=by,
            dossier_id=dossier.id,
            data={"how": how, **(detail or {})},
        )
    return logged


def export_access_copy(
    session: Session,
    roots: ArchiveRoots,
    code: str,
    out: Path,
    *,
    by: str,
    reason: str,
    combined: bool = False,
    version: int | None = None,
) -> AccessCopy:
    """Write a record's access copy as a BagIt bag at `out` (a new or empty directory) and
    log who took it and why."""
    if not by.strip() or not reason.strip():
        raise InvalidRequest(f"an access copy of {code} needs who asks for it and why")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InvalidRequest(f"{out} exists and is not an empty directory")
    package = package_of(session, code, version)
    append_event(
        session,
        EventKind.RECORD_ACCESSED,
        actor=by,
        dossier_id=package.dossier_id,
        data={
            "how": "access_copy",
            "version": package.version,
            "reason": reason,
            "out": str(out),
            "combined": combined,
        },
    )
    session.flush()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.{uuid.uuid4().hex[:8]}.partial"
    staging.mkdir()
    try:
        names = _write(roots, package, staging, combined)
        summary = _summary(package, names, by, reason)
        layout.write_durably(staging / "metadata.json", metadata_json(summary))
        layout.write_durably(staging / "metadata.xml", metadata_xml(summary))
        info = {
            "External-Identifier": package.record_code,
            "External-Description": f"Bản sao sử dụng: {package.title}",
            "Internal-Sender-Identifier": f"{package.record_code}/v{package.version}",
            "Bagging-Date": datetime.now().date().isoformat(),
        }
        files = bag.make_bag(staging, info)
        if out.exists():
            out.rmdir()
        staging.rename(out)
    except BaseException:
        layout.remove_tree(staging)
        raise
    payload = sorted(n for n in files if n.startswith("data/"))
    return AccessCopy(package.record_code, package.version, str(out), payload, combined)
