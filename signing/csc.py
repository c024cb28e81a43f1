"""Remote signing services speaking the Cloud Signature Consortium API (v1), via pyHanko.

Vietnamese CAs sell "remote signing" (ký số từ xa) behind this API. The credential's
certificates are fetched once per batch, and signature activation data (SAD) is requested
once per batch and reused until it expires.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import aiohttp
import tzlocal
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers import Signer
from pyhanko.sign.signers.csc_signer import (
    CSCAuthorizationInfo,
    CSCAuthorizationManager,
    CSCCredentialInfo,
    CSCServiceSessionInfo,
    CSCSigner,
    fetch_certs_in_csc_credential,
)

from config.errors import ConfigurationError
from signing.errors import ServiceUnavailable, SignerUnavailable
from signing.services import SigningServices

log = logging.getLogger(__name__)

SAD_MARGIN = timedelta(seconds=30)
"""Request fresh activation data this long before the current one expires."""


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def require_https(service_url: str, *, allow_http_loopback: bool) -> None:
    """ConfigurationError unless the CSC service is reached over https: the OAuth token, the
    PIN and the digests to sign would otherwise cross the network in clear. Plain http is
    let through only to this machine, and only when a test setting allows it
    (SOHOA_CSC_ALLOW_HTTP_LOOPBACK)."""
    parts = urlsplit(service_url)
    host = (parts.hostname or "").lower()
    shown = f"{parts.scheme}://{host}{parts.path}"  # never the user:password of a URL
    if parts.scheme == "https" and host:
        return
    if parts.scheme == "http" and host and allow_http_loopback and _loopback(host):
        return
    raise ConfigurationError(
        f"CSC service {shown}: a remote signing service must be an https URL "
        "(its token and PIN travel in every request)"
    )


class BatchAuthorization(CSCAuthorizationManager):
    """Authorises the credential once (with its PIN, if any) and reuses the SAD."""

    def __init__(
        self,
        session_info: CSCServiceSessionInfo,
        credential: CSCCredentialInfo,
        session: aiohttp.ClientSession,
        pin: str | None,
        batch_size: int,
    ) -> None:
        super().__init__(session_info, credential)
        self.session = session
        self.pin = pin
        self.batch_size = batch_size
        self._current: CSCAuthorizationInfo | None = None

    async def authorize_signature(self, hash_b64s: list[str]) -> CSCAuthorizationInfo:
        """The batch's SAD, requested on first use (or when it is about to expire)."""
        now = datetime.now(tz=tzlocal.get_localzone())
        current = self._current
        if current is not None and current.expires_at and current.expires_at > now + SAD_MARGIN:
            return current
        pinned = hash_b64s if self.credential_info.hash_pinning_required else None
        request = self.format_csc_auth_request(
            num_signatures=max(self.batch_size, len(hash_b64s)), pin=self.pin, hash_b64s=pinned
        )
        url = self.csc_session_info.endpoint_url("credentials/authorize")
        try:
            async with self.session.post(
                url, headers=self.auth_headers, json=request, raise_for_status=True
            ) as response:
                self._current = self.parse_csc_auth_response(await response.json())
        except aiohttp.ClientError as e:
            raise SigningError(f"CSC authorisation failed: {e}") from e
        return self._current


async def csc_signer(
    source: CscSource, services: SigningServices, batch_size: int = 1000
) -> CSCSigner:
    """A pyHanko CSCSigner for the source's credential, sharing the batch's HTTP session;
    nothing is sent to a service that is not https (require_https)."""
    require_https(source.service_url, allow_http_loopback=source.allow_http_loopback)
    info = CSCServiceSessionInfo(
        service_url=source.service_url.rstrip("/"),
        credential_id=source.credential_id,
        oauth_token=source.token,
    )
    try:
        credential = await fetch_certs_in_csc_credential(
            services.session, info, timeout=int(services.config.timeout)
        )
    except SigningError as e:
        cause = e.__cause__
        if isinstance(cause, aiohttp.ClientResponseError) and cause.status in (401, 403):
            raise SignerUnavailable(f"{source.describe()}: access refused ({cause.status})") from e
        raise ServiceUnavailable(f"{source.describe()}: credential info failed ({e})") from e
    manager = BatchAuthorization(info, credential, services.session, source.pin, batch_size)
    log.info(
        "CSC credential %s: %s",
        source.credential_id,
        credential.signing_cert.subject.human_friendly,
    )
    return CSCSigner(services.session, manager, batch_size=1)


@dataclass(frozen=True)
class CscSource:
    """A remote signing service (Cloud Signature Consortium API v1)."""

    service_url: str
    credential_id: str
    token: str
    pin: str | None
    allow_http_loopback: bool = False
    """Plain http to a service on this machine (tests only; require_https)."""

    def describe(self) -> str:
        """Service and credential."""
        return f"CSC service {self.service_url} credential {self.credential_id}"

    @asynccontextmanager
    async def open(self, services: SigningServices) -> AsyncIterator[Signer]:
        """The credential's certificates fetched, the signer authorised per batch."""
        yield await csc_signer(self, services)
