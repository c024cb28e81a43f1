"""What the archive benchmark measures on: a search corpus, a signed 20-page dossier, and a
set of large packages, all generated here (nothing is downloaded).

- Search corpus: generated Vietnamese documents (digitize.synthetic, text only, no
  rendering), five to a dossier, stored as digitized documents and indexed as archived
  records by storage.search.index.index_document, the function archiving calls (the bags of
  those 100,000 documents are not written: search never reads them).
- The 20-page dossier: rendered scans (200 dpi JPEG) of five documents, their PDF/A-2b
  (pikepdf), and a born-digital result signed PAdES B-LTA by leader and seal with the
  test PKI, through the signing workflow, exactly as `sohoa dossier sign` leaves it.
- Fixity packages: dossiers whose scans are incompressible bytes of a realistic size,
  sealed by storage.archive (their PDFs' checks reported sound: fixity reads bytes).
"""

from __future__ import annotations

import dataclasses
import io
import os
import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pikepdf
import pikepdf.pdfa
from PIL import Image
from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

from config.catalogue import get_catalogue
from config.settings import Settings
from digitize.images import EmbeddedImage
from digitize.pdfwriter import DocumentMetadata, SearchablePdf
from digitize.synthetic import (
    DOCUMENT_TYPES_WITH_TEMPLATES,
    Mark,
    SyntheticDocument,
    default_family,
    make_document,
    render_document,
    write_born_digital_pdf,
)
from signing.flow.results import current_result, request_dossier_signing, run_signature
from storage.archive.package import ArchiveContext, archive_record
from storage.archive.plan import PdfFinding, plan_archive
from storage.blobs import blob_store
from storage.db import Database
from storage.documents import DigitizedOutcome, add_document, record_digitized
from storage.dossiers import get_dossier, receive_dossier
from storage.enums import DocumentStatus, DossierStatus
from storage.models import Document, Dossier
from storage.search.index import RecordTerms, index_document
from storage.signatures import PlannedSignature, record_signed, request_signatures

PROCEDURES = ("1.001193", "1.001612", "1.004227")
UNITS = tuple(f"xa-{n}" for n in ("hoa-binh", "dong-tam", "thuy-an", "an-phu", "tan-lap"))
PER_DOSSIER = 5


def strip_marks(text: str) -> str:
    """Text as a user types it without diacritics (case kept): NFD, marks dropped, đ -> d.
    Written here, not taken from config.text, so recall is judged independently."""
    decomposed = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def tokens(text: str) -> list[str]:
    """Lower-case words of text stripped of its marks (letters and digits runs)."""
    out, word = [], []
    for ch in strip_marks(text).lower():
        if ch.isalnum():
            word.append(ch)
        elif word:
            out.append("".join(word))
            word = []
    if word:
        out.append("".join(word))
    return out


@dataclass(frozen=True)
class CorpusDocument:
    """One generated document of the search corpus, as the benchmark knows it."""

    document_id: int
    dossier_code: str
    doc_type: str
    title: str
    fields: dict[str, str]
    body: str
    """Its words, stripped and space-joined (with a space at each end), for brute force."""


def _dossier_rows(
    n: int, rng: random.Random, agency: str, serials: dict[str, int]
) -> list[dict[str, Any]]:
    """Dossiers received over six years, each with the day's next serial in its code."""
    start = datetime(2020, 1, 1, 2, 0, tzinfo=UTC)
    rows = []
    for _ in range(n):
        received = start + timedelta(days=rng.randrange(6 * 365), minutes=rng.randrange(480))
        day = f"{received:%y%m%d}"
        serials[day] = serials.get(day, 0) + 1
        rows.append(
            {
                "code": f"{agency}-{day}-{serials[day]:04d}",
                "procedure_code": rng.choice(PROCEDURES),
                "applicant_name": "",
                "applicant_id_number": None,
                "unit_code": rng.choice(UNITS),
                "status": DossierStatus.ARCHIVED,
                "received_at": received,
                "created_by": "bench",
                "updated_at": received,
            }
        )
    return rows


def _generated(rng: random.Random) -> SyntheticDocument:
    return make_document(rng.choice(DOCUMENT_TYPES_WITH_TEMPLATES), rng)


def _insert_batch(
    database: Database, dossiers: list[dict[str, Any]], docs: list[SyntheticDocument]
) -> list[int]:
    """Dossiers and their documents inserted as digitized rows; their document ids."""
    with database.session() as session:
        for row, first in zip(dossiers, range(0, len(docs), PER_DOSSIER), strict=True):
            owner = docs[first].fields
            row["applicant_name"] = owner.get("full_name", "Nguyễn Văn An")
            row["applicant_id_number"] = owner.get("id_number")
        ids = list(
            session.scalars(
                insert(Dossier).returning(Dossier.id, sort_by_parameter_order=True), dossiers
            )
        )
        rows = [
            {
                "dossier_id": ids[n // PER_DOSSIER],
                "original_filename": f"scan-{n}.jpg",
                "original_sha256": f"{n:064x}",
                "original_size": 1,
                "media_type": "image/jpeg",
                "status": DocumentStatus.DIGITIZED,
                "pdf_sha256": f"{n:064x}",
                "pdf_size": 1,
                "pdfa": True,
                "text": doc.text,
                "document_type": doc.doc_type,
                "type_confidence": 0.95,
                "type_candidates": [],
                "fields": {
                    k: {"value": v, "page": 1, "confidence": 0.9} for k, v in doc.fields.items()
                },
                "page_count": len(doc.pages),
                "page_info": [],
                "attempts": 1,
            }
            for n, doc in enumerate(docs)
        ]
        return list(
            session.scalars(
                insert(Document).returning(Document.id, sort_by_parameter_order=True), rows
            )
        )


def _index_batch(database: Database, document_ids: list[int]) -> None:
    """Index documents as archiving does: with their record's terms."""
    with database.session() as session:
        documents = session.scalars(
            select(Document)
            .where(Document.id.in_(document_ids))
            .options(selectinload(Document.dossier))
        ).all()
        for document in documents:
            dossier = document.dossier
            terms = RecordTerms(
                record_code=dossier.code,
                title=f"Hồ sơ của {dossier.applicant_name}",
                retention="permanent Vĩnh viễn",
                access_regime="restricted",
                signers=("Nguyễn Văn An",),
            )
            index_document(session, document, terms)


def build_corpus(
    database: Database, settings: Settings, n_docs: int, seed: int = 6
) -> Iterator[CorpusDocument]:
    """Store and index n_docs generated documents; yields what the benchmark needs of each."""
    rng = random.Random(seed)
    batch = 2_000
    serials: dict[str, int] = {}
    for start in range(0, n_docs, batch):
        docs = [_generated(rng) for _ in range(min(batch, n_docs - start))]
        dossiers = _dossier_rows(len(docs) // PER_DOSSIER, rng, settings.agency_code, serials)
        ids = _insert_batch(database, dossiers, docs)
        _index_batch(database, ids)
        for n, (document_id, doc) in enumerate(zip(ids, docs, strict=True)):
            yield CorpusDocument(
                document_id,
                dossiers[n // PER_DOSSIER]["code"],
                doc.doc_type,
                doc.title,
                dict(doc.fields),
                " " + " ".join(tokens(doc.text)) + " ",
            )


# --- a signed 20-page dossier ------------------------------------------------------------

INPUTS = (  # (type, pages): 19 scanned pages, and the 1-page signed result makes 20
    ("to_khai_khai_sinh", 4),
    ("giay_chung_sinh", 4),
    ("cccd", 2),
    ("giay_chung_nhan_ket_hon", 4),
    ("giay_uy_quyen", 5),
)


def _scan_pages(doc: SyntheticDocument, pages: int) -> list[bytes]:
    """JPEG scans (200 dpi, grey, quality 80) of a document, its pages repeated to `pages`."""
    images = render_document(doc, default_family(), dpi=200)
    out = []
    for n in range(pages):
        buffer = io.BytesIO()
        images[n % len(images)].convert("L").save(buffer, "JPEG", quality=80, dpi=(200, 200))
        out.append(buffer.getvalue())
    return out


def _pdfa_of_scans(scans: list[bytes], title: str, target: Path) -> bool:
    with SearchablePdf() as pdf:
        for data in scans:
            image = Image.open(io.BytesIO(data))
            embedded = EmbeddedImage(
                data, image.width, image.height, "/DeviceGray", 8, "/DCTDecode"
            )
            pdf.add_image_page(embedded, dpi=200, rotation=0)
        return pdf.save(target, DocumentMetadata(title=title), pdfa=True)


def _original(scans: list[bytes], target: Path) -> None:
    images = [Image.open(io.BytesIO(s)) for s in scans]
    images[0].save(target, "PDF", save_all=True, append_images=images[1:], resolution=200)


def _result_pdfa(directory: Path, seed: int) -> Path:
    doc = make_document("giay_khai_sinh", random.Random(seed))
    pages = tuple(
        tuple(
            dataclasses.replace(line, mark=Mark.NONE)
            if line.mark in (Mark.SEAL, Mark.SIGNATURE)
            else line
            for line in page
        )
        for page in doc.pages
    )
    born = write_born_digital_pdf(
        dataclasses.replace(doc, pages=pages), directory / "result-born.pdf", default_family()
    )
    target = directory / "result.pdf"
    with pikepdf.open(born) as pdf:
        for page in pdf.pages:
            for key in ("/Trans", "/Dur"):
                if key in page.obj:
                    del page.obj[key]
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:title"] = doc.title
        pikepdf.pdfa.save(pdf, target, "2b")
    return target


def _add(
    database: Database, settings: Settings, code: str, original: Path, pdf: Path,
    doc: SyntheticDocument, pages: int,
) -> None:  # fmt: skip
    store = blob_store(settings)
    kept, made = store.put_file(original), store.put_file(pdf)
    with database.session() as session:
        document, _ = add_document(
            session, get_dossier(session, code), filename=original.name, sha256=kept.sha256,
            size=kept.size, media_type="application/pdf", actor="clerk",
        )  # fmt: skip
        outcome = DigitizedOutcome(
            pdf_sha256=made.sha256, pdf_size=made.size, pdfa=True, text=doc.text,
            page_count=pages, document_type=doc.doc_type, type_confidence=0.95,
            component_label=doc.title,
            fields={k: {"value": v, "page": 1, "confidence": 0.9} for k, v in doc.fields.items()},
        )  # fmt: skip
        record_digitized(session, document.id, outcome, actor="worker")


def build_signed_dossier(database: Database, settings: Settings, directory: Path) -> str:
    """The 20-page birth registration dossier, its result signed B-LTA by leader and seal."""
    with database.session() as session:
        code = receive_dossier(
            session, settings, procedure=get_catalogue().procedure("1.001193"),
            applicant_name="Lê Thị Hoà", applicant_id_number="036185000123",
            unit_code=settings.unit_code, received_at=datetime.now(UTC), actor="clerk",
        ).code  # fmt: skip
    rng = random.Random(20)
    for doc_type, pages in INPUTS:
        doc = make_document(doc_type, rng)
        scans = _scan_pages(doc, pages)
        original, pdf = directory / f"{doc_type}.scan.pdf", directory / f"{doc_type}.pdf"
        _original(scans, original)
        if not _pdfa_of_scans(scans, doc.title, pdf):
            raise RuntimeError(f"{doc_type}: the benchmark's scans did not make a PDF/A")
        _add(database, settings, code, original, pdf, doc, pages)
    result = _result_pdfa(directory, 20)
    doc = make_document("giay_khai_sinh", random.Random(20))
    _add(database, settings, code, result, result, doc, 1)
    seen = current_result(settings, code)
    for request_id in request_dossier_signing(settings, seen, leader=None, actor="clerk"):
        if run_signature(settings, request_id).status != "signed":
            raise RuntimeError(f"the benchmark's result was not signed ({request_id})")
    return code


# --- large packages for fixity -----------------------------------------------------------


def _small_pdf(seed: int) -> bytes:
    out = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.docinfo["/Title"] = f"bench {seed}"
        pdf.save(out, static_id=True)
    return out.getvalue()


def build_large_packages(
    database: Database, settings: Settings, count: int, scan_bytes: int
) -> int:
    """`count` archived packages whose four scans are each `scan_bytes` of random bytes;
    returns the bytes sealed (one copy)."""
    store = blob_store(settings)
    procedure = get_catalogue().procedure("1.001193")
    context = ArchiveContext.from_settings(settings)
    total = 0
    for n in range(count):
        with database.session() as session:
            dossier = receive_dossier(
                session, settings, procedure=procedure, applicant_name=f"Người thứ {n}",
                applicant_id_number=None, unit_code="bench",
                received_at=datetime(2026, 1, 5, 2, 0, tzinfo=UTC) + timedelta(days=n),
                actor="bench",
            )  # fmt: skip
            types = [c.type for c in procedure.components if c.required] + [procedure.result_type]
            for i, doc_type in enumerate(types):
                scan, pdf = (
                    store.put_bytes(os.urandom(scan_bytes)),
                    store.put_bytes(_small_pdf(n * 10 + i)),
                )
                document, _ = add_document(
                    session, dossier, filename=f"{doc_type}.jpg", sha256=scan.sha256,
                    size=scan.size, media_type="image/jpeg", actor="bench",
                )  # fmt: skip
                outcome = DigitizedOutcome(
                    pdf.sha256, pdf.size, True, doc_type, 1, doc_type, 0.9, doc_type
                )
                record_digitized(session, document.id, outcome, actor="bench")
            result = dossier.documents[-1]
            requests, _ = request_signatures(
                session, result, [PlannedSignature("leader", "chu-tich", "Nguyễn Văn An")],
                level="B-LTA", actor="bench",
            )  # fmt: skip
            signed = store.put_bytes(_small_pdf(n * 10 + 9))
            record_signed(
                session, requests[0].id, input_sha256=result.pdf_sha256 or "",
                output_sha256=signed.sha256, signed_at=datetime.now(UTC), actor="bench",
            )  # fmt: skip
            code = dossier.code
        with database.session(readonly=True) as session:
            plan = plan_archive(session, code, store)
        findings = [PdfFinding(c.sha256, pdfa=True) for c in plan.checks]
        with database.session() as session:
            total += archive_record(session, context, plan, findings, actor="bench").bytes
    return total
