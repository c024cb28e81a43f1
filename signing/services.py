"""The network side of signing: timestamp authority and revocation fetchers, one per batch.

A batch runs in one event loop with one HTTP session, so connections to the TSA and the
OCSP responder are kept open, and one validation context, so the signer's certificate
chain is validated and its OCSP responses and CRLs are fetched once, not per document.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from zoneinfo import ZoneInfo

import aiohttp
from asn1crypto import x509
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend

from config.errors import ConfigurationError
from config.settings import Settings
from signing.levels import PadesLevel
from signing.trust import load_trust_roots

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServiceConfig:
    """Where the services are and what to trust; built once from the settings."""

    tsa_url: str | None = None
    """RFC 3161 timestamp authority (B-T and above)."""
    trust_roots: tuple[Path, ...] = ()
    """Roots the signer's chain must reach for B-LT and B-LTA (their data is collected by
    validating the chain, which needs an anchor)."""
    timeout: float = 30.0
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Ho_Chi_Minh"))
    """The office's time zone: the stamp shows the signing time in it."""

    @classmethod
    def from_settings(cls, settings: Settings) -> ServiceConfig:
        """The configuration of this deployment."""
        return cls(
            tsa_url=settings.tsa_url,
            trust_roots=settings.trust_roots,
            timeout=settings.signing_service_timeout,
            zone=settings.zone,
        )


class SigningServices:
    """TSA client and validation context for one batch; an async context manager."""

    def __init__(self, config: ServiceConfig) -> None:
        self.config = config
        self._session: aiohttp.ClientSession | None = None
        self._timestamper: HTTPTimeStamper | None = None
        self._context: ValidationContext | None = None
        self._roots: list[x509.Certificate] | None = None

    async def __aenter__(self) -> SigningServices:
        self._session = aiohttp.ClientSession()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    @property
    def session(self) -> aiohttp.ClientSession:
        """The batch's HTTP session (only inside `async with`)."""
        if self._session is None:
            raise RuntimeError("SigningServices used outside its async with block")
        return self._session

    def trust_roots(self) -> list[x509.Certificate]:
        """The configured trust anchors."""
        if self._roots is None:
            self._roots = load_trust_roots(self.config.trust_roots)
        return self._roots

    def timestamper(self, level: PadesLevel) -> TimeStamper | None:
        """The TSA client, if the level needs one; ConfigurationError if none is set."""
        if not level.needs_timestamp:
            return None
        if not self.config.tsa_url:
            raise ConfigurationError(
                f"PAdES {level} needs a timestamp authority; set SOHOA_TSA_URL (or sign at B-B)"
            )
        if self._timestamper is None:
            self._timestamper = HTTPTimeStamper(
                self.config.tsa_url, timeout=self.config.timeout, session=self.session
            )
        return self._timestamper

    def validation_context(self, level: PadesLevel) -> ValidationContext | None:
        """For B-LT and above: a context that validates the signer's chain against the
        trust roots and fetches its revocation data, failing if it cannot (a "B-LT"
        signature without its revocation data would be a B-T in disguise)."""
        if not level.embeds_validation_data:
            return None
        roots = self.trust_roots()
        if not roots:
            raise ConfigurationError(
                f"PAdES {level} embeds the chain's revocation data, which needs a trust "
                "root to validate against; set SOHOA_TRUST_ROOTS (or sign at B-T)"
            )
        if self._context is None:
            self._context = ValidationContext(
                trust_roots=roots,
                allow_fetching=True,
                revocation_mode="hard-fail",
                fetcher_backend=AIOHttpFetcherBackend(
                    self.session, per_request_timeout=self.config.timeout
                ),
            )
        return self._context
