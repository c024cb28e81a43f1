"""One PAdES signature on one PDF: placement, fields, stamp, CMS, timestamp, DSS, archive TS.

The steps are pyHanko's own (PdfSigner's signing session), taken one by one so a batch can
carry over what does not change between its documents: the signer's validated chain with
its revocation data, and the size of the signature container, which pyHanko otherwise
measures with a dry-run signature (a second private-key operation) on every document.
"""

from __future__ import annotations

import asyncio
import dataclasses
import io
import logging
import math
from collections.abc import Awaitable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign.fields import MDPPerm, SigFieldSpec, SigSeedSubFilter, append_signature_field
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner, Signer
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.signers.pdf_signer import (
    PdfPostSignatureDocument,
    PdfSigningSession,
    PreSignValidationStatus,
)

from config import defaults
from signing import pdfa, sigfields
from signing.errors import NotSignable, SigningFailed
from signing.formfields import TextFieldSpec, create_text_fields, fill_text_fields
from signing.images import prepared_image
from signing.levels import PadesLevel
from signing.pdfa import PdfaCheck
from signing.pdfread import incremental_writer
from signing.placement import (
    Box,
    PageLayout,
    copy_notice_box,
    date_field_box,
    digitized_notice_box,
    number_field_box,
    person_stamp_box,
    read_layout,
    seal_box,
)
from signing.services import SigningServices
from signing.stamps import SohoaStampStyle, StampContent, StampKind
from signing.trust import common_name

log = logging.getLogger(__name__)

NUMBER_FIELD = "so_van_ban"
"""Form field for the document's number and symbol ("Số, ký hiệu"), filled by văn thư."""

DATE_FIELD = "ngay_ban_hanh"
"""Form field for the issue date ("ngày ... tháng ... năm ..."), filled by văn thư."""


@dataclass(frozen=True)
class SignOptions:
    """One signature to apply to one document: the options object of the signing stack."""

    level: PadesLevel
    stamp: StampContent
    field_name: str
    certify: bool | None = None
    """True: certify (DocMDP: form filling and signatures allowed). None: certify exactly
    when the document carries no signature yet (the first signature certifies)."""
    reason: str | None = None
    location: str | None = None
    issue_fields: bool = False
    """With a certifying signature: add the empty number and date fields for văn thư."""
    fill: Mapping[str, str] = field(default_factory=dict)
    """Values for existing fields (number, date), written in the same revision."""
    anchor_field: str | None = None
    """The person signature a seal overlaps; None: the last visible one."""
    placement: tuple[int, Box] | None = None
    """Page index and box, overriding where the stamp would be placed."""
    reserve_seal: str | None = None
    """With a certifying person signature: the name of an empty signature field to create,
    in this revision, where the organisation's seal will go (over the left third of this
    signature's image). After a certification, later signatures must go into fields that
    already exist: a new field changes the page, which the certification forbids."""
    check_pdfa: PdfaCheck = PdfaCheck.BATCH
    """Refuse to return a signed file that broke the input's PDF/A-2b conformance (see
    signing.pdfa for how thoroughly)."""


@dataclass(frozen=True)
class SignedPdf:
    """A signed PDF and what was done to it."""

    data: bytes
    field_name: str
    signed_at: datetime
    level: PadesLevel
    certified: bool
    signer: str
    pdfa: bool | None
    """Whether a PDF/A-2 input's output still is (see signing.pdfa); None if not checked."""


@dataclass
class BatchCache:
    """What carries over between the documents of a batch signed by one signer."""

    pdfa_checked: set[str] = field(default_factory=set)
    """Configurations whose output was validated in full (signing.pdfa)."""
    reserved: dict[str, int] = field(default_factory=dict)
    """Bytes to reserve for the signature container, by signer and level."""
    presign: dict[str, PreSignValidationStatus] = field(default_factory=dict)
    """The signer's validated chain with its revocation data, by signer and level."""


def open_writer(data: bytes) -> IncrementalPdfFileWriter:
    """An incremental writer on the document (NotSignable: unreadable or encrypted)."""
    try:
        writer = incremental_writer(data)
    except (PdfError, ValueError, KeyError) as e:
        raise NotSignable("<pdf>", f"not a PDF pyHanko can read ({e})") from e
    if writer.prev.encrypted:
        raise NotSignable("<pdf>", "it is encrypted; signatures go on unencrypted results")
    return writer


def _stamp_placement(
    options: SignOptions, layout: PageLayout | None, writer: IncrementalPdfFileWriter
) -> tuple[int, Box] | None:
    kind = options.stamp.kind
    if options.placement is not None:
        return options.placement
    assert layout is not None
    if kind is StampKind.COPY:
        return copy_notice_box(layout)
    if kind is StampKind.DIGITIZED:
        return digitized_notice_box(layout)
    if kind is StampKind.SEAL:
        anchor = sigfields.find_widget(writer.prev, options.anchor_field)
        if anchor is not None:
            aspect = sigfields.image_aspect(options.anchor_field, writer.prev, default=2.3)
            return anchor[0], seal_box(anchor[1], aspect)
    return person_stamp_box(layout, options.stamp.title)


def _issue_field_specs(layout: PageLayout) -> list[TextFieldSpec]:
    specs = []
    number = number_field_box(layout)
    if number is not None:
        specs.append(TextFieldSpec(NUMBER_FIELD, number[0], number[1]))
    date = date_field_box(layout)
    if date is not None:
        specs.append(TextFieldSpec(DATE_FIELD, date[0], date[1]))
    return specs


def metadata(
    options: SignOptions, certify: bool, services: SigningServices
) -> PdfSignatureMetadata:
    level = options.level
    return PdfSignatureMetadata(
        field_name=options.field_name,
        subfilter=SigSeedSubFilter.PADES,
        certify=certify,
        docmdp_permissions=MDPPerm.FILL_FORMS,
        reason=options.reason,
        location=options.location,
        embed_validation_info=level.embeds_validation_data,
        use_pades_lta=level is PadesLevel.B_LTA,
        validation_context=services.validation_context(level),
        signer_key_usage={"non_repudiation"},
    )


async def sign_document(
    data: bytes,
    signer: Signer,
    options: SignOptions,
    services: SigningServices,
    cache: BatchCache | None = None,
    *,
    layout_ahead: Awaitable[PageLayout] | None = None,
) -> SignedPdf:
    """Sign `data` once, as an incremental update that keeps every earlier signature valid.

    With a cache (a batch), the first document measures the container size and validates
    the chain; the others reuse both. A document whose container outgrows the reservation
    is signed again with a fresh estimate, so reuse can cost time but never a signature.
    """
    cache = cache if cache is not None else BatchCache()
    options = with_holder(options, signer)
    try:
        signed = await _sign(
            data, signer, options, services, cache, layout_ahead=layout_ahead, reuse=True
        )
    except _ReservationTooSmall:
        log.info(
            "signing %s with the batch's reservation failed; signing again, measured afresh",
            options.field_name,
        )
        signed = await _sign(data, signer, options, services, cache, layout_ahead=None, reuse=False)
    pdfa_after = None
    if options.check_pdfa is not PdfaCheck.OFF:
        key = _cache_key(signer, options)
        full = options.check_pdfa is PdfaCheck.EVERY or key not in cache.pdfa_checked
        pdfa_after = pdfa.require_kept(data, signed.data, options.field_name, full=full)
        if full and pdfa_after:
            cache.pdfa_checked.add(key)
    return SignedPdf(
        data=signed.data,
        field_name=options.field_name,
        signed_at=signed.signed_at,
        level=options.level,
        certified=signed.certified,
        signer=common_name(signer.signing_cert) if signer.signing_cert else "",
        pdfa=pdfa_after,
    )


def with_holder(options: SignOptions, signer: Signer) -> SignOptions:
    """A stamp without a signer name shows the certificate holder's name and title."""
    cert = signer.signing_cert
    if options.stamp.signer or cert is None:
        return options
    title = cert.subject.native.get("title", "")
    unit = cert.subject.native.get("organization_name", "")
    stamp = dataclasses.replace(options.stamp, signer=common_name(cert), title=title, unit=unit)
    return dataclasses.replace(options, stamp=stamp)


class _ReservationTooSmall(Exception):
    """Signing with the batch's reused container size failed: most likely the container
    outgrew it (pyHanko says so only in its message, which sohoa does not parse), so the
    document is signed once more without reuse, and a failure then is the failure."""


@dataclass(frozen=True)
class _Signed:
    data: bytes
    signed_at: datetime
    certified: bool


def _cache_key(signer: Signer, options: SignOptions) -> str:
    cert = signer.signing_cert
    fingerprint = cert.sha256.hex() if cert is not None else "?"
    return f"{fingerprint}:{options.level}:{options.stamp.kind}"


def needs_layout(options: SignOptions) -> bool:
    """Whether placing this signature reads the document's text (a batch reads ahead)."""
    placed = options.placement is not None or options.stamp.kind in (
        StampKind.INVISIBLE,
        StampKind.SEAL,
    )
    return not placed or options.issue_fields


async def prepare_revision(
    data: bytes,
    writer: IncrementalPdfFileWriter,
    options: SignOptions,
    certify: bool,
    layout_ahead: Awaitable[PageLayout] | None = None,
) -> SigFieldSpec | None:
    """Add this revision's fields (number, date, the seal's reserved field), fill the ones
    văn thư writes, and return the new signature field's spec (None: it exists already)."""
    reserved = sigfields.has_empty_field(writer.prev, options.field_name)
    visible = options.stamp.kind is not StampKind.INVISIBLE and not reserved
    wants_fields = certify and options.issue_fields
    needs_layout = (visible and options.placement is None) or wants_fields
    if not needs_layout and layout_ahead is not None and isinstance(layout_ahead, asyncio.Task):
        layout_ahead.cancel()
    layout = None
    if needs_layout:
        layout = await (layout_ahead or read_layout(data, _page_count(writer)))
    placement = _stamp_placement(options, layout, writer) if visible else None
    if wants_fields and layout is not None:
        create_text_fields(writer, _issue_field_specs(layout))
    if certify and options.reserve_seal and placement and options.stamp.kind is StampKind.PERSON:
        aspect = prepared_image(options.stamp.image).aspect if options.stamp.image else 2.3
        seal = _points(seal_box(placement[1], aspect))
        append_signature_field(writer, SigFieldSpec(options.reserve_seal, placement[0], seal))
    fill_text_fields(writer, options.fill)
    if reserved:
        return None
    return SigFieldSpec(
        options.field_name,
        on_page=placement[0] if placement else 0,
        box=_points(placement[1]) if placement else None,
    )


def _page_count(writer: IncrementalPdfFileWriter) -> int:
    return int(writer.prev.root["/Pages"]["/Count"])


def _points(box: Box) -> tuple[int, int, int, int]:
    """A box in whole points, as pyHanko's field specs take it."""
    return (round(box[0]), round(box[1]), round(box[2]), round(box[3]))


async def _sign(
    data: bytes,
    signer: Signer,
    options: SignOptions,
    services: SigningServices,
    cache: BatchCache,
    *,
    layout_ahead: Awaitable[PageLayout] | None,
    reuse: bool,
) -> _Signed:
    writer = open_writer(data)
    certify = options.certify if options.certify is not None else not signed_before(writer)
    spec = await prepare_revision(data, writer, options, certify, layout_ahead)
    signed_at = datetime.now(services.config.zone).replace(microsecond=0)
    pdf_signer = PdfSigner(
        metadata(options, certify, services),
        signer,
        timestamper=services.timestamper(options.level),
        stamp_style=SohoaStampStyle(content=options.stamp, signed_at=signed_at),
        new_field_spec=spec,
    )
    key = _cache_key(signer, options)
    try:
        output = await _run_session(
            pdf_signer, writer, signed_at, cache, key, reuse=reuse and not _timestamped(writer)
        )
    except SigningError as e:
        if reuse:  # perhaps the container outgrew the reused size: measured afresh once
            raise _ReservationTooSmall from e
        raise SigningFailed(f"{options.field_name}: pyHanko refused to sign: {e}") from e
    return _Signed(output, signed_at, certify)


def signed_before(writer: IncrementalPdfFileWriter) -> bool:
    return bool(writer.prev.embedded_signatures)


def _timestamped(writer: IncrementalPdfFileWriter) -> bool:
    return bool(writer.prev.embedded_timestamp_signatures)


async def _run_session(
    pdf_signer: PdfSigner,
    writer: IncrementalPdfFileWriter,
    signed_at: datetime,
    cache: BatchCache,
    key: str,
    *,
    reuse: bool,
) -> bytes:
    """pyHanko's PdfSigner.async_sign_pdf, with the validation and the size estimate taken
    from the batch when it has them."""
    session: PdfSigningSession = pdf_signer.init_signing_session(writer)
    session.system_time = signed_at
    validation = cache.presign.get(key) if reuse else None
    if validation is None:
        validation = await session.perform_presign_validation(writer)
        if validation is not None and reuse:
            cache.presign[key] = validation
    reserved = cache.reserved.get(key) if reuse else None
    if reserved is None:
        reserved = await session.estimate_signature_container_size(validation)
    tbs = session.prepare_tbs_document(validation_info=validation, bytes_reserved=reserved)
    prepared, output = tbs.digest_tbs_document()
    cms = await pdf_signer.signer.async_sign(
        prepared.document_digest,
        tbs.md_algorithm,
        use_pades=tbs.use_pades,
        timestamper=tbs.timestamper,
        signed_attr_settings=PdfCMSSignedAttributes(signing_time=signed_at),
    )
    size = len(cms.dump())
    contents = prepared.fill_with_cms(output, cms)
    post = PdfPostSignatureDocument(
        contents,
        post_sign_instr=tbs.post_sign_instructions,
        validation_context=tbs.validation_context,
    )
    await post.post_signature_processing(output)
    needed = 2 * math.ceil(size * defaults.SIGNATURE_RESERVE_MARGIN)
    cache.reserved[key] = max(cache.reserved.get(key, 0), needed)
    assert isinstance(output, io.BytesIO)
    return output.getvalue()
