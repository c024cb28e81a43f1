"""Signatures made elsewhere: the leader's own token (sohoa sign-agent) or any remote key.

pyHanko's interrupted signing: the server prepares the document (fields, stamp, the
placeholder for the signature) and the CMS signed attributes over its digest; only the
digest of those attributes travels to the leader's computer, where the token signs it.
The server then checks the signature value against the leader's certificate, embeds it
with a timestamp, and adds the revocation data and archive timestamp the level asks for.
The prepared state is plain data, so the finishing step may run in another process, days
later (a leader signs a week's results at once).
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import cms, x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import load_der_public_key
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.signers import ExternalSigner, PdfSigner, PdfTimeStamper
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.validation.dss import async_add_validation_info
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from config.settings import Settings
from signing import pades
from signing.errors import SigningFailed
from signing.levels import PadesLevel
from signing.pades import SignedPdf, SignOptions
from signing.profiles import AgentKey, key_path
from signing.services import ServiceConfig, SigningServices
from signing.stamps import SohoaStampStyle
from signing.trust import common_name, load_certificates

PLACEHOLDER_SIGNATURE_BYTES = 512
"""Room for the raw signature while the container is sized: RSA-4096 fits."""


@dataclass(frozen=True)
class PreparedSignature:
    """A document waiting for a signature value: what to keep, and what to send out."""

    field_name: str
    level: PadesLevel
    signed_at: datetime
    certified: bool
    md_algorithm: str
    certificates: tuple[bytes, ...]
    """The signer's certificate (DER) first, then its chain."""
    signed_attrs: bytes
    """DER of the CMS signed attributes; their digest is what the key signs."""
    document_digest: bytes
    reserved_start: int
    reserved_end: int
    tbs_pdf: bytes
    """The document in its final pre-signing state (kept by the server, never sent)."""

    def state(self) -> dict[str, object]:
        """Everything but the PDF, as JSON-ready values (for the database)."""
        return {
            "field_name": self.field_name,
            "level": self.level.value,
            "signed_at": self.signed_at.isoformat(),
            "certified": self.certified,
            "md_algorithm": self.md_algorithm,
            "certificates": [base64.b64encode(c).decode() for c in self.certificates],
            "signed_attrs": base64.b64encode(self.signed_attrs).decode(),
            "document_digest": base64.b64encode(self.document_digest).decode(),
            "reserved": [self.reserved_start, self.reserved_end],
        }

    @classmethod
    def from_state(cls, state: dict[str, object], tbs_pdf: bytes) -> PreparedSignature:
        """The inverse of state(), with the PDF kept aside."""
        data = json.loads(json.dumps(state))
        return cls(
            field_name=data["field_name"],
            level=PadesLevel(data["level"]),
            signed_at=datetime.fromisoformat(data["signed_at"]),
            certified=bool(data["certified"]),
            md_algorithm=data["md_algorithm"],
            certificates=tuple(base64.b64decode(c) for c in data["certificates"]),
            signed_attrs=base64.b64decode(data["signed_attrs"]),
            document_digest=base64.b64decode(data["document_digest"]),
            reserved_start=int(data["reserved"][0]),
            reserved_end=int(data["reserved"][1]),
            tbs_pdf=tbs_pdf,
        )


def _external(chain: list[x509.Certificate], value: bytes | None) -> ExternalSigner:
    registry = SimpleCertificateStore()
    registry.register_multiple(chain)
    return ExternalSigner(
        signing_cert=chain[0],
        cert_registry=registry,
        signature_value=value if value is not None else PLACEHOLDER_SIGNATURE_BYTES,
    )


async def prepare(
    data: bytes, chain: list[x509.Certificate], options: SignOptions, services: SigningServices
) -> PreparedSignature:
    """Put the document in its pre-signing state for the holder of chain[0]'s key."""
    signer = _external(chain, None)
    options = pades.with_holder(options, signer)
    writer = pades.open_writer(data)
    certify = options.certify if options.certify is not None else not pades.signed_before(writer)
    spec = await pades.prepare_revision(data, writer, options, certify)
    signed_at = datetime.now(services.config.zone).replace(microsecond=0)
    pdf_signer = PdfSigner(
        pades.metadata(options, certify, services),
        signer,
        timestamper=services.timestamper(options.level),
        stamp_style=SohoaStampStyle(content=options.stamp, signed_at=signed_at),
        new_field_spec=spec,
    )
    session = pdf_signer.init_signing_session(writer)
    session.system_time = signed_at
    validation = await session.perform_presign_validation(writer)
    reserved = await session.estimate_signature_container_size(validation)
    tbs = session.prepare_tbs_document(validation_info=validation, bytes_reserved=reserved)
    digest, output = tbs.digest_tbs_document()
    attrs = await signer.signed_attrs(
        digest.document_digest,
        tbs.md_algorithm,
        attr_settings=PdfCMSSignedAttributes(signing_time=signed_at),
        use_pades=True,
        timestamper=tbs.timestamper,
    )
    return PreparedSignature(
        field_name=options.field_name,
        level=options.level,
        signed_at=signed_at,
        certified=certify,
        md_algorithm=tbs.md_algorithm,
        certificates=tuple(c.dump() for c in chain),
        signed_attrs=attrs.dump(),
        document_digest=digest.document_digest,
        reserved_start=digest.reserved_region_start,
        reserved_end=digest.reserved_region_end,
        tbs_pdf=_bytes(output),
    )


def _bytes(output: object) -> bytes:
    assert isinstance(output, io.BytesIO)
    return output.getvalue()


def check_signature_value(prepared: PreparedSignature, value: bytes) -> None:
    """Refuse a signature value that the signer's certificate does not verify."""
    cert = x509.Certificate.load(prepared.certificates[0])
    key = load_der_public_key(cert.public_key.dump())
    hash_algo = get_pyca_cryptography_hash(prepared.md_algorithm)
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(value, prepared.signed_attrs, padding.PKCS1v15(), hash_algo)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(value, prepared.signed_attrs, ec.ECDSA(hash_algo))
        else:
            raise SigningFailed(f"{prepared.field_name}: unsupported key type {type(key).__name__}")
    except InvalidSignature as e:
        raise SigningFailed(
            f"{prepared.field_name}: the signature returned does not verify with "
            f"{common_name(cert)}'s certificate (wrong key, or the digest was altered)"
        ) from e


async def finish(prepared: PreparedSignature, value: bytes, services: SigningServices) -> SignedPdf:
    """Embed the signature value (checked first) with its timestamp, then add the DSS and
    the archive timestamp as the level requires."""
    check_signature_value(prepared, value)
    chain = [x509.Certificate.load(c) for c in prepared.certificates]
    signer = _external(chain, value)
    attrs = cms.CMSAttributes.load(prepared.signed_attrs)
    container = await signer.async_sign_prescribed_attributes(
        prepared.md_algorithm, attrs, timestamper=services.timestamper(prepared.level)
    )
    output = io.BytesIO(prepared.tbs_pdf)
    PreparedByteRangeDigest(
        prepared.document_digest, prepared.reserved_start, prepared.reserved_end
    ).fill_with_cms(output, container)
    data = await extend(output.getvalue(), prepared.level, prepared.md_algorithm, services)
    return SignedPdf(
        data=data,
        field_name=prepared.field_name,
        signed_at=prepared.signed_at,
        level=prepared.level,
        certified=prepared.certified,
        signer=common_name(chain[0]),
        pdfa=None,
    )


async def extend(
    data: bytes, level: PadesLevel, md_algorithm: str, services: SigningServices
) -> bytes:
    """Add the last signature's validation data (B-LT) and an archive timestamp (B-LTA)."""
    if not level.embeds_validation_data:
        return data
    context = services.validation_context(level)
    assert context is not None
    buffer = io.BytesIO(data)
    signature = PdfFileReader(buffer).embedded_regular_signatures[-1]
    await async_add_validation_info(signature, context, add_vri_entry=False, in_place=True)
    if level is PadesLevel.B_LTA:
        timestamper = services.timestamper(level)
        assert timestamper is not None
        writer = IncrementalPdfFileWriter(buffer)
        await PdfTimeStamper(timestamper).async_timestamp_pdf(
            writer, md_algorithm, context, in_place=True
        )
    return buffer.getvalue()


def prepare_with_certificate(
    settings: Settings, data: bytes, options: SignOptions, key: AgentKey
) -> tuple[dict[str, object], bytes]:
    """Prepare a document for the leader whose certificate the profile names: the state to
    keep and the PDF to sign (a worker prepares it before the leader's agent is reached)."""
    chain = load_certificates(key_path(settings, key.certificate))

    async def run() -> PreparedSignature:
        async with SigningServices(ServiceConfig.from_settings(settings)) as services:
            return await prepare(data, chain, options, services)

    prepared = asyncio.run(run())
    return prepared.state(), prepared.tbs_pdf
