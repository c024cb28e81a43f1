"""A record's metadata as the package states it: JSON, the same as XML, and its event log.

Record fields follow Decree 30/2020 Appendix VI and Circular 05/2025/TT-BNV (record code,
title, retention period, access regime, language, start and end dates, document and page
counts, creator); document fields Circular 01/2023/TT-VPCP (type code, number and symbol,
issue date, issuing body, summary, owner's identifier), taken from what extraction read,
null where nothing was read. The signed result's number and date are the ones văn thư's
signature wrote when the extracted fields lack them.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from storage.archive.plan import PdfFinding, PlannedDocument
from storage.models import Document, Dossier, Event, SignatureRequest
from storage.search.index import field_value, procedure_name, type_name

SCHEMA = "urn:sohoa:archive:record:1"
"""Names the metadata layout, so a reader decades from now knows which one it holds."""
_XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
NUMBER_FIELD = "so_van_ban"
"""The form field văn thư's signature fills with the result's number and symbol
(signing.pades.NUMBER_FIELD, repeated here because storage does not import signing)."""


@dataclass(frozen=True)
class RecordFacts:
    """The record-level facts decided when the package is made."""

    record_code: str
    title: str
    version: int
    previous_version: int | None
    correction_reason: str | None
    retention: str
    retention_label: str
    retain_until: date | None
    access_regime: str
    start_date: date
    end_date: date
    archived_at: datetime
    archived_by: str
    agency_code: str


def record_title(dossier: Dossier) -> str:
    """Hồ sơ <procedure> của <applicant>: how an archivist titles a one-stop dossier."""
    return f"Hồ sơ {procedure_name(dossier.procedure_code).lower()} của {dossier.applicant_name}"


def _local(moment: datetime | None, zone: ZoneInfo) -> str | None:
    return moment.astimezone(zone).isoformat(timespec="seconds") if moment else None


def _owner_id(document: Document) -> str | None:
    return field_value(document, "id_number") or field_value(document, "organisation_code")


def _document(
    document: Document,
    planned: PlannedDocument,
    finding: PdfFinding | None,
    signatures: list[SignatureRequest],
    zone: ZoneInfo,
) -> dict[str, Any]:
    fill: dict[str, Any] = {}
    for request in signatures:
        fill.update(request.fill or {})
    signed_at = max((r.signed_at for r in signatures if r.signed_at), default=None)
    issued = field_value(document, "issue_date") or (
        signed_at.astimezone(zone).date().isoformat() if planned.signed and signed_at else None
    )
    folder = planned.folder
    return {
        "document_id": document.id,
        "folder": folder,
        "component": document.component.label if document.component else None,
        "document_type": document.document_type,
        "type_name": type_name(document.document_type),
        "number_symbol": field_value(document, "number_symbol") or fill.get(NUMBER_FIELD),
        "issue_date": issued,
        "issuing_body": field_value(document, "issuing_body"),
        "summary": field_value(document, "summary"),
        "owner_id": _owner_id(document),
        "pages": document.page_count,
        "received_at": _local(document.created_at, zone),
        "digitized_at": _local(document.digitized_at, zone),
        "original": {
            "file": f"{folder}/{planned.original_name}",
            "filename": document.original_filename,
            "media_type": document.media_type,
            "sha256": planned.original_sha256,
        },
        "pdf": {
            "file": f"{folder}/{planned.pdf_name}",
            "sha256": planned.pdf_sha256,
            "pdfa": finding.pdfa if finding else document.pdfa,
            "signed": planned.signed,
            "signed_from_sha256": document.pdf_sha256 if planned.signed else None,
            "signatures": list(finding.signatures) if finding else [],
        },
        "text": f"{folder}/text.txt",
        "fields": {k: v.get("value") for k, v in (document.fields or {}).items()},
    }


def record_metadata(
    facts: RecordFacts,
    dossier: Dossier,
    documents: list[tuple[Document, PlannedDocument, list[SignatureRequest]]],
    findings: dict[str, PdfFinding],
    zone: ZoneInfo,
) -> dict[str, Any]:
    """Everything the package says about the record and each of its documents."""
    described = [
        _document(doc, planned, findings.get(planned.pdf_sha256), requests, zone)
        for doc, planned, requests in documents
    ]
    return {
        "schema": SCHEMA,
        "record": {
            "record_code": facts.record_code,
            "title": facts.title,
            "version": facts.version,
            "previous_version": facts.previous_version,
            "correction_reason": facts.correction_reason,
            "retention": facts.retention,
            "retention_label": facts.retention_label,
            "retain_until": facts.retain_until.isoformat() if facts.retain_until else None,
            "access_regime": facts.access_regime,
            "language": "vi",
            "start_date": facts.start_date.isoformat(),
            "end_date": facts.end_date.isoformat(),
            "document_count": len(described),
            "page_count": sum(d["pages"] or 0 for d in described),
            "creator": {"agency_code": facts.agency_code, "unit_code": dossier.unit_code},
            "dossier_code": dossier.code,
            "procedure": {
                "code": dossier.procedure_code,
                "name": procedure_name(dossier.procedure_code),
            },
            "applicant": {"name": dossier.applicant_name, "id_number": dossier.applicant_id_number},
            "received_at": _local(dossier.received_at, zone),
            "archived_at": _local(facts.archived_at, zone),
            "archived_by": facts.archived_by,
        },
        "documents": described,
    }


def events_json(events: list[Event], zone: ZoneInfo) -> bytes:
    """The dossier's event log, oldest first: what happened, who did it, when, and each
    entry's digest in the audit chain (storage.audit), so the package anchors the chain."""
    rows = [
        {
            "id": e.id,
            "at": _local(e.at, zone),
            "kind": e.kind,
            "actor": e.actor,
            "document_id": e.document_id,
            "data": e.data,
            "hash": e.entry_hash,
        }
        for e in events
    ]
    return json.dumps(rows, ensure_ascii=False, indent=1, default=str).encode("utf-8")


def metadata_json(metadata: dict[str, Any]) -> bytes:
    """The metadata as UTF-8 JSON, diacritics kept readable."""
    return json.dumps(metadata, ensure_ascii=False, indent=1, default=str).encode("utf-8")


def _element(parent: ET.Element, name: str, value: Any) -> None:
    if _XML_NAME.match(name):
        child = ET.SubElement(parent, name)
    else:  # a field name that is no XML name (extraction may grow new ones)
        child = ET.SubElement(parent, "entry", {"key": name})
    if isinstance(value, dict):
        for key, inner in value.items():
            _element(child, str(key), inner)
    elif isinstance(value, list):
        for inner in value:
            _element(child, "item", inner)
    elif value is None:
        child.set("null", "true")
    else:
        child.text = str(value).lower() if isinstance(value, bool) else str(value)


def metadata_xml(metadata: dict[str, Any]) -> bytes:
    """The same metadata as XML: one element per field, `null="true"` where absent."""
    root = ET.Element("archive", {"xmlns": SCHEMA})
    _element(root, "record", metadata["record"])
    documents = ET.SubElement(root, "documents")
    for document in metadata["documents"]:
        _element(documents, "document", document)
    for key, value in metadata.items():
        if key not in ("schema", "record", "documents"):
            _element(root, key, value)
    ET.indent(root)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body + b"\n"
