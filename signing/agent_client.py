"""The server's side of the conversation with a leader's signing agent (signing.agent): the
pairing code on every call, signed attributes sent (never a bare digest), and the agent's
certificate checked against the one the leader's signer profile names."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp
from asn1crypto import x509

from config.settings import Settings
from signing import credentials
from signing.agent_batch import ToSign
from signing.errors import (
    AgentRefused,
    CertificateMismatch,
    ServiceUnavailable,
    SignerUnavailable,
    SigningFailed,
)
from signing.keys import load_pkcs12
from signing.profiles import AgentKey, Pkcs12Key, SignerProfile, key_path
from signing.trust import describe, load_certificates


@dataclass(frozen=True)
class AgentLink:
    """Where a leader's agent listens, and the pairing code it printed for this run."""

    url: str
    pairing: str


class AgentClient:
    """Calls to one agent, on the signing services' HTTP session."""

    def __init__(self, link: AgentLink, session: aiohttp.ClientSession, timeout: float) -> None:
        self.url = link.url.rstrip("/")
        self.headers = {"Authorization": f"Bearer {link.pairing}"}
        self.session = session
        self.timeout = aiohttp.ClientTimeout(total=timeout)

    async def _call(self, method: str, path: str, body: object = None) -> dict[str, Any]:
        try:
            async with self.session.request(
                method, self.url + path, json=body, headers=self.headers, timeout=self.timeout
            ) as response:
                payload: dict[str, Any] = await response.json()
                if response.status in (401, 403):
                    raise AgentRefused(f"signing agent at {self.url}: {payload.get('error')}")
                if response.status != 200:
                    raise SigningFailed(f"signing agent at {self.url}: {payload.get('error')}")
                return payload
        except (aiohttp.ClientError, TimeoutError) as e:
            raise ServiceUnavailable(f"signing agent at {self.url} does not answer: {e}") from e

    async def certificates(self) -> list[x509.Certificate]:
        """The leader's certificate first, then its chain."""
        payload = await self._call("GET", "/certificate")
        return [x509.Certificate.load(base64.b64decode(c)) for c in payload["certificates"]]

    async def sign(self, md_algorithm: str, items: Sequence[ToSign]) -> list[bytes]:
        """The token's signatures of the items' signed attributes, in order (one PIN
        entry on the agent)."""
        body = {"md_algorithm": md_algorithm, "items": [item.to_json() for item in items]}
        payload = await self._call("POST", "/sign", body)
        signatures = [base64.b64decode(s) for s in payload["signatures"]]
        if len(signatures) != len(items):
            raise SigningFailed(f"signing agent at {self.url} returned a short batch")
        return signatures


def fingerprint(cert: x509.Certificate) -> str:
    """The certificate's SHA-256 fingerprint, hex."""
    return hashlib.sha256(cert.dump()).hexdigest()


def leader_certificate(settings: Settings, profile: SignerProfile) -> x509.Certificate:
    """The certificate a leader's agent must present for this profile: an agent key's
    certificate file, or the certificate inside a key file the server also holds."""
    key = profile.key
    if isinstance(key, AgentKey):
        return load_certificates(key_path(settings, key.certificate))[0]
    if isinstance(key, Pkcs12Key):
        passphrase = credentials.sign_passphrase(settings, key.passphrase_env)
        return load_pkcs12(key_path(settings, key.path), passphrase).signing_cert
    raise SignerUnavailable(
        f"signer profile {profile.name}: its key ({key.kind}) names no certificate a "
        "leader's signing agent could be checked against"
    )


def require_certificate(
    presented: x509.Certificate, expected: x509.Certificate, profile_name: str
) -> None:
    """Refuse an agent whose certificate is not the profile's (same SHA-256 fingerprint,
    hence the same subject, issuer, serial and key)."""
    if fingerprint(presented) == fingerprint(expected):
        return
    raise CertificateMismatch(
        f"the signing agent's certificate is not the one signer profile {profile_name} names: "
        f"agent: {describe(presented)}, issued by {describe_issuer(presented)}, SHA-256 "
        f"{fingerprint(presented)[:16]}…; profile: {describe(expected)}, issued by "
        f"{describe_issuer(expected)}, SHA-256 {fingerprint(expected)[:16]}…"
    )


def describe_issuer(cert: x509.Certificate) -> str:
    """The certificate's issuer as people read it."""
    return str(cert.issuer.human_friendly)
