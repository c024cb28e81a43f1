"""Validation data in and around a signature: the DSS, the CMS, and what they prove."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from asn1crypto import cms, crl, ocsp, x509
from pyhanko.pdf_utils.decode_limits import DecodePurpose
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

from signing.trust import common_name


@dataclass
class Embedded:
    """Certificates, OCSP responses and CRLs a document carries for its verifiers."""

    certs: list[x509.Certificate] = field(default_factory=list)
    ocsps: list[ocsp.OCSPResponse] = field(default_factory=list)
    crls: list[crl.CertificateList] = field(default_factory=list)
    in_dss: bool = False

    @property
    def has_revinfo(self) -> bool:
        """Whether any revocation data is embedded."""
        return bool(self.ocsps or self.crls)

    def holds(self, item: ocsp.OCSPResponse | crl.CertificateList) -> bool:
        """Whether this OCSP response or CRL came from the document."""
        der = item.dump()
        return any(o.dump() == der for o in (*self.ocsps, *self.crls))


def _streams(dss: object, key: str, purpose: DecodePurpose) -> Iterable[bytes]:
    """The decoded streams under `key`, each within pyHanko's limits for its purpose (a
    certificate decodes to 1 MiB at most; PdfDecodeLimitError past that)."""
    try:
        items = dss[key]  # type: ignore[index]
    except KeyError:
        return []
    return [item.get_object().read_data(purpose) for item in items]


def read_dss(reader: PdfFileReader) -> Embedded:
    """The document security store's contents (PAdES B-LT), empty if there is none."""
    try:
        dss = reader.root["/DSS"]
    except KeyError:
        return Embedded()
    return Embedded(
        certs=[
            x509.Certificate.load(d) for d in _streams(dss, "/Certs", DecodePurpose.CERTIFICATE)
        ],
        ocsps=[
            ocsp.OCSPResponse.load(d) for d in _streams(dss, "/OCSPs", DecodePurpose.OCSP_RESPONSE)
        ],
        crls=[crl.CertificateList.load(d) for d in _streams(dss, "/CRLs", DecodePurpose.CRL)],
        in_dss=True,
    )


def with_archival_attribute(embedded: Embedded, sig: EmbeddedPdfSignature) -> Embedded:
    """The DSS data plus Adobe's revocation-info-archival signed attribute (PKCS#7 LTV)."""
    attrs = sig.signer_info["signed_attrs"]
    extra_crls: list[crl.CertificateList] = []
    extra_ocsps: list[ocsp.OCSPResponse] = []
    for attr in attrs if attrs.native is not None else []:
        if attr["type"].native == "adobe_revocation_info_archival":
            for value in attr["values"]:
                extra_crls.extend(value["crl"] or [])
                extra_ocsps.extend(value["ocsp"] or [])
    return Embedded(
        certs=embedded.certs,
        ocsps=embedded.ocsps + extra_ocsps,
        crls=embedded.crls + extra_crls,
        in_dss=embedded.in_dss,
    )


def timestamp_tokens(sig: EmbeddedPdfSignature) -> list[cms.SignedData]:
    """The signature timestamp tokens (unsigned attribute) on a signature."""
    unsigned = sig.signer_info["unsigned_attrs"]
    tokens: list[cms.SignedData] = []
    for attr in unsigned if unsigned.native is not None else []:
        if attr["type"].native == "signature_time_stamp_token":
            tokens.extend(value["content"] for value in attr["values"])
    return tokens


def token_certificates(sig: EmbeddedPdfSignature) -> list[x509.Certificate]:
    """The certificates the signature's timestamp tokens carry (the TSA's chain)."""
    found = []
    for token in timestamp_tokens(sig):
        for choice in token["certificates"]:
            if choice.name == "certificate":
                found.append(choice.chosen)
    return found


def build_chain(leaf: x509.Certificate, pool: Iterable[x509.Certificate]) -> list[x509.Certificate]:
    """The leaf and its issuers as far as the certificates at hand go (no trust decided)."""
    by_subject: dict[bytes, x509.Certificate] = {}
    for cert in pool:
        by_subject.setdefault(cert.subject.dump(), cert)
    chain = [leaf]
    while not is_self_signed(chain[-1]) and len(chain) < 10:
        issuer = by_subject.get(chain[-1].issuer.dump())
        if issuer is None or issuer in chain:
            break
        chain.append(issuer)
    return chain


def is_self_signed(cert: x509.Certificate) -> bool:
    """Whether the certificate names itself as issuer (asn1crypto says "yes" or "maybe")."""
    return cert.self_signed in ("yes", "maybe")


def ocsp_covers(response: ocsp.OCSPResponse, cert: x509.Certificate) -> bool:
    """Whether an OCSP response answers for this certificate."""
    try:
        basic = response["response_bytes"]["response"].parsed
        singles = basic["tbs_response_data"]["responses"]
    except (KeyError, ValueError, TypeError):
        return False
    for single in singles:
        cert_id = single["cert_id"]
        algorithm = cert_id["hash_algorithm"]["algorithm"].native
        try:
            name_hash = hashlib.new(algorithm, cert.issuer.dump()).digest()
        except ValueError:
            continue
        if (
            cert_id["serial_number"].native == cert.serial_number
            and cert_id["issuer_name_hash"].native == name_hash
        ):
            return True
    return False


def describe_ocsp(response: ocsp.OCSPResponse) -> str:
    """'OCSP response by <responder> produced at <time>'."""
    try:
        basic = response["response_bytes"]["response"].parsed
        tbs = basic["tbs_response_data"]
        produced = tbs["produced_at"].native.isoformat()
        certs = basic["certs"].native and basic["certs"]
        responder = common_name(certs[0]) if certs else "the CA"
    except (KeyError, ValueError, TypeError, AttributeError):
        return "OCSP response"
    return f"OCSP response by {responder} produced at {produced}"


def crl_covers(revocation_list: crl.CertificateList, cert: x509.Certificate) -> bool:
    """Whether a CRL is issued by this certificate's issuer."""
    return bool(revocation_list.issuer.dump() == cert.issuer.dump())


def describe_crl(revocation_list: crl.CertificateList) -> str:
    """'CRL of <issuer> issued at <time>'."""
    tbs = revocation_list["tbs_cert_list"]
    issuer = revocation_list.issuer.native.get("common_name", "the CA")
    return f"CRL of {issuer} issued at {tbs['this_update'].native.isoformat()}"
