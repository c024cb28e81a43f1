"""Dossiers ready for the archive, built through storage alone (no OCR, no signing keys).

The files are real PDFs and images in the blob store; the result carries signature rows as
the signing workflow leaves them. Whether the PDFs' signatures verify is the caller's
finding (storage.archive.plan.PdfFinding), made up here: the real check runs in
tests/workers/test_archive_tasks.py with a real PKI.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pikepdf
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from config.catalogue import get_catalogue
from config.settings import Settings
from storage.archive.package import ArchiveContext, PackageSummary, archive_record
from storage.archive.plan import ArchivePlan, PdfFinding, plan_archive
from storage.blobs import BlobStore, blob_store
from storage.db import Database, open_database
from storage.documents import DigitizedOutcome, add_document, get_document, record_digitized
from storage.dossiers import get_dossier, receive_dossier
from storage.enums import EventKind
from storage.models import Dossier, Event
from storage.signatures import PlannedSignature, record_signed, request_signatures

RECEIVED = datetime(2026, 3, 14, 2, 30, tzinfo=UTC)
SIGNED = datetime(2026, 3, 16, 3, 0, tzinfo=UTC)

TEXTS = {
    "to_khai_khai_sinh": "TỜ KHAI ĐĂNG KÝ KHAI SINH\nHọ, chữ đệm, tên người yêu cầu: Lê Thị Hoà",
    "giay_chung_sinh": "GIẤY CHỨNG SINH\nBệnh viện Đa khoa tỉnh Nam Định\nCân nặng: 3,2 kg",
    "cccd": "CĂN CƯỚC CÔNG DÂN\nSố định danh cá nhân: 036185000123\nHọ và tên: LÊ THỊ HOÀ",
    "giay_khai_sinh": "GIẤY KHAI SINH\nHọ, chữ đệm, tên: Nguyễn Đức Thủy\nNơi sinh: xã Hòa Bình",
    "de_nghi_dang_ky_ho_kinh_doanh": "GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH\nTên hộ: Tạp hóa Đất Việt",
    "giay_chung_nhan_ho_kinh_doanh": "GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH\nMã số: 36A8001234",
}


def pdf_bytes(pages: int = 1, seed: int = 0) -> bytes:
    """A small real PDF (blank pages, a distinct title so the bytes differ)."""
    out = io.BytesIO()
    with pikepdf.new() as pdf:
        for _ in range(pages):
            pdf.add_blank_page(page_size=(595, 842))
        pdf.docinfo["/Title"] = f"test {seed} {random.Random(seed).random()}"
        pdf.save(out, static_id=True)  # the same bytes for the same seed
    return out.getvalue()


def jpeg_bytes(seed: int) -> bytes:
    """A small scan-like JPEG, different per seed."""
    image = Image.new("L", (64, 80), color=200 + seed % 50)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


@dataclass(frozen=True)
class Built:
    """A dossier made for a test: its code and its documents' ids by type."""

    code: str
    documents: dict[str, int]


def _add_digitized(
    session: Session,
    store: BlobStore,
    dossier: Dossier,
    doc_type: str,
    seed: int,
    fields: dict[str, str] | None = None,
) -> int:
    original = store.put_bytes(jpeg_bytes(seed))
    pdf = store.put_bytes(pdf_bytes(2 if doc_type == "giay_chung_sinh" else 1, seed))
    document, _ = add_document(
        session,
        dossier,
        filename=f"{doc_type}.jpg",
        sha256=original.sha256,
        size=original.size,
        media_type="image/jpeg",
        actor="clerk",
    )
    outcome = DigitizedOutcome(
        pdf_sha256=pdf.sha256,
        pdf_size=pdf.size,
        pdfa=True,
        text=TEXTS.get(doc_type, doc_type),
        page_count=2 if doc_type == "giay_chung_sinh" else 1,
        document_type=doc_type,
        type_confidence=0.95,
        component_label=doc_type,
        fields={k: {"value": v, "page": 1, "confidence": 0.9} for k, v in (fields or {}).items()},
    )
    record_digitized(session, document.id, outcome, actor="worker")
    return document.id


def _sign(session: Session, store: BlobStore, document_id: int, seed: int) -> None:
    document = get_document(session, document_id)
    plan = [
        PlannedSignature("leader", "chu-tich", "Nguyễn Văn An"),
        PlannedSignature("organisation", "con-dau", "UBND xã Hòa Bình"),
    ]
    requests, _ = request_signatures(session, document, plan, level="B-LTA", actor="clerk")
    source = document.pdf_sha256
    assert source is not None
    for i, request in enumerate(requests):
        signed = store.put_bytes(pdf_bytes(1, seed * 100 + i))
        if request.role == "organisation":
            request.fill = {"so_van_ban": "15/2026", "ngay_ban_hanh": "ngày 16 tháng 03 năm 2026"}
        record_signed(
            session,
            request.id,
            input_sha256=source,
            output_sha256=signed.sha256,
            signed_at=SIGNED,
            actor="signing",
        )
        source = signed.sha256


def build_dossier(
    db: Database,
    settings: Settings,
    *,
    procedure: str = "1.001193",
    skip: tuple[str, ...] = (),
    signed: bool = True,
    seed: int = 1,
    received_at: datetime = RECEIVED,
    unit: str = "xa-hoa-binh",
) -> Built:
    """A dossier with every required component digitized and its result signed (unless
    told to skip some types or leave the result unsigned)."""
    store = blob_store(settings)
    spec = get_catalogue().procedure(procedure)
    with db.session() as session:
        dossier = receive_dossier(
            session,
            settings,
            procedure=spec,
            applicant_name="Lê Thị Hoà",
            applicant_id_number="036185000123",
            unit_code=unit,
            received_at=received_at,
            actor="clerk",
        )
        ids: dict[str, int] = {}
        types = [c.type for c in spec.components if c.required] + [spec.result_type]
        for n, doc_type in enumerate(types):
            if doc_type in skip:
                continue
            fields = {"id_number": "036185000123"} if doc_type == "cccd" else None
            ids[doc_type] = _add_digitized(session, store, dossier, doc_type, seed * 10 + n, fields)
        if signed and spec.result_type in ids:
            _sign(session, store, ids[spec.result_type], seed)
        return Built(dossier.code, ids)


def plan_of(db: Database, settings: Settings, code: str) -> ArchivePlan:
    """The dossier's archive plan as of now."""
    with db.session(readonly=True) as session:
        return plan_archive(session, code, blob_store(settings))


def sound(plan: ArchivePlan) -> list[PdfFinding]:
    """What a checker finds when every PDF verifies and is PDF/A."""
    return [
        PdfFinding(
            c.sha256,
            pdfa=True,
            signatures=({"signer": "Nguyễn Văn An", "verdict": "valid", "level": "B-LTA"},)
            if c.signed_result
            else (),
        )
        for c in plan.checks
    ]


def archive(
    db: Database, settings: Settings, code: str, *, correction: str | None = None
) -> PackageSummary:
    """Archive a dossier whose PDFs all check out."""
    plan = plan_of(db, settings, code)
    with db.session() as session:
        return archive_record(
            session,
            ArchiveContext.from_settings(settings),
            plan,
            sound(plan),
            actor="luu-tru",
            correction=correction,
        )


def dossier_id(db: Database, code: str) -> int:
    """The dossier's database id."""
    with db.session(readonly=True) as session:
        return get_dossier(session, code).id


def record_accesses(settings: Settings, code: str) -> list[tuple[str, dict[str, Any]]]:
    """The record.accessed events of a dossier, oldest first: who, and the event's data."""
    with open_database(settings).session(readonly=True) as session:
        rows = session.execute(
            select(Event.actor, Event.data)
            .join(Dossier, Event.dossier_id == Dossier.id)
            .where(Dossier.code == code, Event.kind == EventKind.RECORD_ACCESSED.value)
            .order_by(Event.id)
        ).all()
    return [(actor, dict(data)) for actor, data in rows]
