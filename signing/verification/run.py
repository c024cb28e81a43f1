"""Verifying every signature in a PDF: who, trusted or not, when, intact, revoked, level.

pyHanko's validator does the cryptography, path building, revocation checking and the
difference analysis of later revisions; this module decides *as of when* and *from what*
each signature is judged, and turns pyHanko's findings into one distinct verdict each.

A signature with a timestamp and embedded revocation data (B-LT, B-LTA) is judged as of
the time its timestamp proves, from the document's own data only: that is how an archive
verifies it decades later, when the certificates have expired and the CA's OCSP and CRL
servers are gone. Other signatures are judged now, fetching revocation data if allowed.
"""

from __future__ import annotations

import asyncio
import io
import logging
from dataclasses import dataclass, field
from datetime import datetime

from asn1crypto import cms, x509
from pyhanko.pdf_utils.misc import PdfDecodeLimitError, PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY
from pyhanko.sign.validation import async_validate_pdf_signature, async_validate_pdf_timestamp
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import PathValidationError
from pyhanko_certvalidator.fetchers import Fetchers

from config.errors import PdfTooComplex, VerificationTimeout
from config.settings import Settings
from signing.evidence import (
    Embedded,
    build_chain,
    read_dss,
    timestamp_tokens,
    token_certificates,
    with_archival_attribute,
)
from signing.fetch_guard import Deadline, FetchGuard, FetchPolicy
from signing.fetchers import GuardedFetching
from signing.trust import common_name, describe, load_trust_roots
from signing.trust_sets import FIELD_ROLES, TrustSets, trust_sets
from signing.verification import verdicts
from signing.verification.limits import VerifyLimits, check_dss, check_fields, check_signatures
from signing.verification.report import SignatureReport, TimeSource, Verdict, VerificationReport

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class VerifyOptions:
    """How to verify: what to trust, whether to go online, as of when, within what."""

    trust_roots: tuple[x509.Certificate, ...] = ()
    online: bool = True
    """May revocation data the document lacks be fetched (OCSP, CRL)? Only ever for chains
    that reach trust_roots offline, and only as `fetch` allows."""
    at: datetime | None = None
    """Judge every signature as of this time (offline), instead of now or its timestamp."""
    fetch: FetchPolicy = field(default_factory=FetchPolicy)
    """Where revocation data may be fetched from, and how much."""
    deadline: float | None = None
    """Seconds of wall time the whole verification may take (None: no limit, for the
    operator's own CLI and the archive job, which has its own timeout)."""
    limits: VerifyLimits = field(default_factory=VerifyLimits)
    """How much of the PDF verification agrees to walk and decode."""
    trust_sets: TrustSets = field(default_factory=TrustSets)
    """Which roots each signer's role may chain to (trust.yaml); empty: any of trust_roots.
    Their certificates must also be in trust_roots (from_settings puts them there)."""

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        extra_roots: tuple[x509.Certificate, ...] = (),
        online: bool | None = None,
        at: datetime | None = None,
        deadline: float | None = None,
    ) -> VerifyOptions:
        """The deployment's trust roots (SOHOA_TRUST_ROOTS) plus any given, and its
        allowlisted revocation hosts (SOHOA_VERIFY_REVOCATION_HOSTS)."""
        sets = trust_sets(settings)
        roots = tuple(load_trust_roots(settings.trust_roots)) + sets.certificates + extra_roots
        return cls(
            roots,
            settings.verify_online if online is None else online,
            at,
            fetch=FetchPolicy(allowed_hosts=frozenset(settings.verify_revocation_hosts)),
            deadline=deadline,
            trust_sets=sets,
        )


def verify_pdf(data: bytes, name: str, options: VerifyOptions) -> VerificationReport:
    """Verify every signature and document timestamp of a PDF (the API calls this).
    PdfTooComplex past options.limits, VerificationTimeout past options.deadline."""
    return asyncio.run(averify_pdf(data, name, options))


async def averify_pdf(data: bytes, name: str, options: VerifyOptions) -> VerificationReport:
    """verify_pdf inside a running event loop."""
    deadline = Deadline(options.deadline, name)
    scope = asyncio.timeout(deadline.remaining())
    try:
        async with scope:
            return await _verify(data, name, options, deadline)
    except TimeoutError as e:
        if not scope.expired():
            raise
        raise VerificationTimeout(name, f"verification took more than {deadline.seconds} s") from e
    except RecursionError as e:
        raise PdfTooComplex(name, "objects nested too deep to read") from e
    except PdfDecodeLimitError as e:
        raise PdfTooComplex(name, f"a stream decodes to too much data ({e})") from e


async def _verify(
    data: bytes, name: str, options: VerifyOptions, deadline: Deadline
) -> VerificationReport:
    limits = options.limits
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False, decode_limits=limits.decode_limits())
        if reader.encrypted:
            return VerificationReport(name, [], error="the PDF is encrypted")
        check_fields(reader, limits, name)
        signatures = reader.embedded_signatures
        check_signatures(signatures, limits, name)
        check_dss(reader, limits, name)
        dss = read_dss(reader)
    except PdfDecodeLimitError:
        raise
    except (PdfError, ValueError, KeyError, TypeError) as e:
        return VerificationReport(name, [], error=f"not a readable PDF ({e})")
    fetching = None
    if options.online and options.at is None:
        fetching = GuardedFetching(options.trust_roots, FetchGuard(options.fetch, deadline))
    archive_revisions = [
        s.signed_revision for s in signatures if s.sig_object_type == "/DocTimeStamp"
    ]
    reports = []
    for sig in signatures:
        deadline.check()
        if sig.sig_object_type == "/DocTimeStamp":
            reports.append(await _document_timestamp(sig, dss, options, fetching))
        else:
            reports.append(await _signature(sig, dss, archive_revisions, options, fetching))
    deadline.check()
    return VerificationReport(name, reports)


def _token_time(token: cms.SignedData) -> datetime | None:
    try:
        info = token["encap_content_info"]["content"].parsed
        value = info["gen_time"].native
    except (KeyError, ValueError, AttributeError):
        return None
    return value if isinstance(value, datetime) else None


def _moment(
    options: VerifyOptions, tokens: list[cms.SignedData], embedded: Embedded
) -> tuple[datetime | None, str]:
    if options.at is not None:
        return options.at, f"as of {options.at.isoformat()} (requested), offline"
    when = _token_time(tokens[0]) if tokens else None
    if when is not None and embedded.has_revinfo:
        return when, "as of the signing time its timestamp proves, from the document's own data"
    online = ", fetching revocation data online for chains to a trusted root"
    return None, "as of now" + (online if options.online else "")


def _context(
    embedded: Embedded,
    moment: datetime | None,
    sig: EmbeddedPdfSignature,
    options: VerifyOptions,
    fetching: GuardedFetching | None,
) -> ValidationContext:
    """The validation context of one signature: the document's certificates and revocation
    data; fetchers only when judged now and the signer's chain reaches a configured root
    offline (no caIssuers chased, so the chain must be in the document)."""
    certs = [*embedded.certs, *sig.other_embedded_certs]
    fetchers = None
    if fetching is not None and moment is None:
        fetchers = _fetchers(fetching, sig, certs)
    return ValidationContext(
        trust_roots=list(options.trust_roots),
        other_certs=certs,
        crls=embedded.crls,
        ocsps=embedded.ocsps,
        moment=moment,
        allow_fetching=fetchers is not None,
        fetchers=fetchers,
        revocation_mode="soft-fail",
        retroactive_revinfo=moment is not None,
    )


def _fetchers(
    fetching: GuardedFetching, sig: EmbeddedPdfSignature, certs: list[x509.Certificate]
) -> Fetchers | None:
    """Fetchers if the signer's chain reaches a configured root offline (None for a
    malformed signature: the validator reports it)."""
    try:
        return fetching.for_signer(sig.signer_cert, [*certs, *token_certificates(sig)])
    except (SignatureValidationError, ValueError, KeyError, TypeError):
        return None


async def _signature(
    sig: EmbeddedPdfSignature,
    dss: Embedded,
    archive_revisions: list[int],
    options: VerifyOptions,
    fetching: GuardedFetching | None,
) -> SignatureReport:
    embedded = with_archival_attribute(dss, sig)
    tokens = timestamp_tokens(sig)
    level = verdicts.level(sig, embedded, tokens, archive_revisions)
    moment, how = _moment(options, tokens, embedded)
    context = _context(embedded, moment, sig, options, fetching)
    try:
        status = await async_validate_pdf_signature(sig, context, diff_policy=DEFAULT_DIFF_POLICY)
    except (SignatureValidationError, PathValidationError, ValueError, KeyError) as e:
        return verdicts.unreadable(sig, e, level)
    finally:
        await context.aclose()
    return _signature_report(
        sig, status, context, embedded, options, level=level, moment=moment, how=how
    )


def _signature_report(  # the facts gathered above, passed on as they are
    sig: EmbeddedPdfSignature,
    status: PdfSignatureStatus,
    context: ValidationContext,
    embedded: Embedded,
    options: VerifyOptions,
    *,
    level: str,
    moment: datetime | None,
    how: str,
) -> SignatureReport:
    cert = status.signing_cert
    path = status.validation_path
    root: x509.Certificate | None
    if path is not None:
        chain = list(reversed(list(path)))
        root = chain[-1]
    else:
        chain = build_chain(
            cert, [*options.trust_roots, *embedded.certs, *sig.other_embedded_certs]
        )
        roots = {root.dump() for root in options.trust_roots}
        root = next((c for c in chain if c.dump() in roots), None)
    trust_root = describe(root) if root is not None else None
    ts = status.timestamp_validity
    when: datetime | None
    if ts is not None:
        when, source = ts.timestamp, TimeSource.TIMESTAMP
        tsa: str | None = common_name(ts.signing_cert)
    else:
        when, source, tsa = status.signer_reported_dt, TimeSource.CLAIMED, None
    if when is None:
        source = TimeSource.NONE
    revocation = verdicts.revocation(status, context, embedded, chain)
    verdict, reasons, warnings = verdicts.verdict(status, chain, trust_root, revocation)
    if verdict is Verdict.VALID and (
        wrong := verdicts.wrong_trust_set(options.trust_sets, sig, root, ts)
    ):
        verdict, reasons = Verdict.WRONG_TRUST_SET, [wrong]
    return SignatureReport(
        field=str(sig.field_name),
        kind="signature",
        signer=common_name(cert),
        subject=describe(cert),
        chain=[common_name(c) for c in chain],
        trusted=bool(status.trusted),
        trust_root=trust_root,
        signing_time=when,
        signing_time_source=source,
        timestamp_authority=tsa,
        intact=status.intact,
        valid=status.valid,
        coverage=status.coverage.name if status.coverage else "UNKNOWN",
        modification=status.modification_level.name if status.modification_level else None,
        changes=verdicts.changes(status),
        certification=verdicts.certification(sig),
        revocation=revocation,
        level=level,
        validated_at=moment or datetime.now().astimezone(),
        validation_data=verdicts.relied_on(context, embedded, chain, how, ts is not None),
        verdict=verdict,
        reasons=reasons,
        warnings=warnings,
        ades_indication=verdicts.indication_name(status.trust_problem_indic),
        role=role.value if (role := FIELD_ROLES.get(str(sig.field_name))) else None,
        trust_sets=options.trust_sets.sets_of(root),
    )


async def _document_timestamp(
    sig: EmbeddedPdfSignature,
    dss: Embedded,
    options: VerifyOptions,
    fetching: GuardedFetching | None,
) -> SignatureReport:
    context = _context(dss, options.at, sig, options, fetching)
    try:
        status = await async_validate_pdf_timestamp(sig, context, diff_policy=DEFAULT_DIFF_POLICY)
    except (SignatureValidationError, PathValidationError, ValueError, KeyError) as e:
        return verdicts.unreadable(sig, e, "document timestamp")
    finally:
        await context.aclose()
    return verdicts.timestamp_report(sig, status, options.trust_roots, options.trust_sets)
