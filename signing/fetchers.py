"""pyHanko's fetchers for one verification: OCSP responses and CRLs only for certificates a
configured root vouches for, only through the guard; issuer certificates (caIssuers) never.

"Vouched for" is decided offline, before anything is fetched: the certificate must chain,
through certificates at hand (the configured roots and those the document carries) whose
signatures verify and whose issuers are CAs, to a configured root. A certificate a citizen
made up, or one issued by an end entity, is never a reason to make a request.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import AsyncGenerator, Iterable, Sequence
from typing import TypeAlias

from asn1crypto import cms, crl, ocsp, pem, x509
from cryptography import x509 as cx509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from pyhanko_certvalidator.authority import Authority
from pyhanko_certvalidator.errors import CRLFetchError, OCSPFetchError, OCSPValidationError
from pyhanko_certvalidator.fetchers import CertificateFetcher, CRLFetcher, Fetchers, OCSPFetcher
from pyhanko_certvalidator.fetchers.common_utils import (
    enumerate_delivery_point_urls,
    format_ocsp_request,
    process_ocsp_response_data,
)
from pyhanko_certvalidator.util import get_ocsp_urls, get_relevant_crl_dps, issuer_serial

from signing.fetch_guard import FetchGuard, FetchRefused

log = logging.getLogger(__name__)

MAX_CHAIN = 8
"""Certificates between a vouched-for one and its root, at most (real chains have 1-3)."""

AnyCert: TypeAlias = x509.Certificate | cms.AttributeCertificateV2


def _signed_by(child: x509.Certificate, issuer: x509.Certificate) -> bool:
    """Whether `issuer` named and signed `child` (the signature checked, not just the names)."""
    try:
        loaded = cx509.load_der_x509_certificate(child.dump())
        loaded.verify_directly_issued_by(cx509.load_der_x509_certificate(issuer.dump()))
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
        return False
    return True


def chains_to_root(
    cert: x509.Certificate, roots: Sequence[x509.Certificate], pool: Iterable[x509.Certificate]
) -> bool:
    """Whether `cert` is a root, or is issued through verified CA certificates from `pool`
    by one of `roots`; nothing fetched."""
    root_ders = {root.dump() for root in roots}
    if cert.dump() in root_ders:
        return True
    by_subject: dict[bytes, dict[bytes, x509.Certificate]] = defaultdict(dict)
    for candidate in (*roots, *pool):
        by_subject[candidate.subject.hashable][candidate.dump()] = candidate
    stack, seen = [(cert, 0)], {cert.dump()}
    while stack:
        child, depth = stack.pop()
        for der, issuer in by_subject.get(child.issuer.hashable, {}).items():
            if der in seen or not _signed_by(child, issuer):
                continue
            if der in root_ders:
                return True
            if issuer.ca and depth + 1 < MAX_CHAIN:
                seen.add(der)
                stack.append((issuer, depth + 1))
    return False


class GuardedFetching:
    """The fetchers of one verification, shared by its signatures: they fetch for vouched
    certificates only, through one FetchGuard (so one count and one deadline)."""

    def __init__(self, roots: Sequence[x509.Certificate], guard: FetchGuard) -> None:
        self.roots = tuple(roots)
        self.guard = guard
        self._pool: dict[bytes, x509.Certificate] = {}
        self._vouched: dict[bytes, bool] = {}
        self.fetchers = Fetchers(
            ocsp_fetcher=_OcspFetcher(self),
            crl_fetcher=_CrlFetcher(self),
            cert_fetcher=_NoIssuers(),
        )

    def for_signer(
        self, signer: x509.Certificate, certs: Iterable[x509.Certificate]
    ) -> Fetchers | None:
        """The fetchers, if the signer's certificate chains to a configured root through
        `certs` (those the document carries); None (validate offline) otherwise."""
        for cert in certs:
            self._pool.setdefault(cert.dump(), cert)
        return self.fetchers if self.vouched(signer) else None

    def vouched(self, cert: AnyCert) -> bool:
        """Whether requests may be made for this certificate's revocation status."""
        if not isinstance(cert, x509.Certificate):
            return False
        key = cert.dump()
        if key not in self._vouched:
            self._vouched[key] = chains_to_root(cert, self.roots, self._pool.values())
            if not self._vouched[key]:
                log.debug("no revocation fetch for %s: no chain to a configured root", _who(cert))
        return self._vouched[key]


def _who(cert: AnyCert) -> str:
    if isinstance(cert, x509.Certificate):
        return str(cert.subject.human_friendly)
    return "an attribute certificate"


class _OcspFetcher(OCSPFetcher):
    def __init__(self, fetching: GuardedFetching) -> None:
        self._fetching = fetching
        self._done: dict[tuple[bytes, object], ocsp.OCSPResponse | Exception] = {}

    async def fetch(self, cert: AnyCert, authority: Authority) -> ocsp.OCSPResponse:
        tag = (issuer_serial(cert), authority.hashable)
        if tag not in self._done:
            self._done[tag] = self._fetch(cert, authority)
        found = self._done[tag]
        if isinstance(found, Exception):
            raise found
        return found

    def _fetch(self, cert: AnyCert, authority: Authority) -> ocsp.OCSPResponse | Exception:
        if not self._fetching.vouched(cert):
            return OCSPFetchError(f"{_who(cert)} does not chain to a configured root")
        request = format_ocsp_request(cert, authority, certid_hash_algo="sha1", request_nonces=True)
        error: Exception = OCSPFetchError("no http OCSP responder named")
        for url in get_ocsp_urls(cert):
            try:
                data = self._fetching.guard.post(url, request.dump(), "application/ocsp-request")
                return process_ocsp_response_data(data, ocsp_request=request, ocsp_url=url)
            except FetchRefused as e:
                log.info("OCSP for %s not fetched: %s", _who(cert), e)
                error = OCSPFetchError(str(e))
            except (OCSPFetchError, OCSPValidationError) as e:
                error = e
        return error

    def fetched_responses(self) -> Iterable[ocsp.OCSPResponse]:
        return [r for r in self._done.values() if isinstance(r, ocsp.OCSPResponse)]

    def fetched_responses_for_cert(self, cert: AnyCert) -> Iterable[ocsp.OCSPResponse]:
        wanted = issuer_serial(cert)
        return [
            r
            for (serial, _), r in self._done.items()
            if serial == wanted and isinstance(r, ocsp.OCSPResponse)
        ]


class _CrlFetcher(CRLFetcher):
    def __init__(self, fetching: GuardedFetching) -> None:
        self._fetching = fetching
        self._by_cert: dict[bytes, list[crl.CertificateList]] = {}

    async def fetch(
        self, cert: AnyCert, *, use_deltas: bool | None = None
    ) -> Iterable[crl.CertificateList]:
        key = issuer_serial(cert)
        if key not in self._by_cert:
            self._by_cert[key] = []  # a failure is not retried within the verification
            if not self._fetching.vouched(cert):
                raise CRLFetchError(f"{_who(cert)} does not chain to a configured root")
            self._by_cert[key] = self._fetch(cert, use_deltas is not False)
        return self._by_cert[key]

    def _fetch(self, cert: AnyCert, use_deltas: bool) -> list[crl.CertificateList]:
        found, problems = [], []
        for point in get_relevant_crl_dps(cert, use_deltas=use_deltas):
            for url in enumerate_delivery_point_urls(point):
                try:
                    data = self._fetching.guard.get(url)
                    if pem.detect(data):
                        _, _, data = pem.unarmor(data)
                    found.append(crl.CertificateList.load(data))
                except (FetchRefused, ValueError) as e:
                    log.info("CRL for %s not fetched: %s", _who(cert), e)
                    problems.append(str(e))
        if not found and problems:
            raise CRLFetchError("; ".join(problems))
        return found

    def fetched_crls(self) -> Iterable[crl.CertificateList]:
        unique = {hashlib.sha256(c.dump()).digest(): c for v in self._by_cert.values() for c in v}
        return list(unique.values())

    def fetched_crls_for_cert(self, cert: AnyCert) -> Iterable[crl.CertificateList]:
        return self._by_cert[issuer_serial(cert)]  # KeyError: not fetched yet, as pyHanko expects


class _NoIssuers(CertificateFetcher):
    """caIssuers are never chased: a chain must be complete in the document."""

    def fetch_cert_issuers(self, cert: AnyCert) -> AsyncGenerator[x509.Certificate, None]:
        return _nothing()

    def fetch_crl_issuers(
        self, certificate_list: crl.CertificateList
    ) -> AsyncGenerator[x509.Certificate, None]:
        return _nothing()

    def fetched_certs(self) -> Iterable[x509.Certificate]:
        return []


async def _nothing() -> AsyncGenerator[x509.Certificate, None]:
    return
    yield  # an async generator that yields nothing
