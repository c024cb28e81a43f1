"""Key sources behind one interface: a file key, a PKCS#11 token, a remote CSC service.

A source is opened once per batch and yields a pyHanko Signer for every document of it:
a key file is decrypted and parsed once, a token is logged into once (one PIN entry per
batch), a remote service is authorised once. Tests inject sources that fail on purpose.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pyhanko.sign.signers import Signer

from config.errors import ConfigurationError
from config.settings import Settings
from signing import credentials, csc
from signing.csc import CscSource
from signing.errors import SignerUnavailable
from signing.keys import load_pem, load_pkcs12
from signing.profiles import (
    AgentKey,
    CscKey,
    KeySpec,
    Pkcs11Key,
    Pkcs12Key,
    PluginKey,
    key_path,
)
from signing.services import SigningServices

log = logging.getLogger(__name__)


class KeySource(Protocol):
    """Where a signer's private key lives."""

    def describe(self) -> str:
        """Where, in words (for logs and errors); never the secret."""
        ...

    def open(self, services: SigningServices) -> AbstractAsyncContextManager[Signer]:
        """The signer for one batch, released when the block ends."""
        ...


@dataclass(frozen=True)
class Pkcs12Source:
    """A PKCS#12 key file and its passphrase."""

    path: Path
    passphrase: str | None

    def describe(self) -> str:
        """The file."""
        return f"key file {self.path}"

    @asynccontextmanager
    async def open(self, services: SigningServices) -> AsyncIterator[Signer]:
        """The key, decrypted and parsed once for the whole batch."""
        yield load_pkcs12(self.path, self.passphrase)


@dataclass(frozen=True)
class PemSource:
    """A PEM private key and certificate file (as openssl writes them)."""

    key: Path
    certificate: Path
    passphrase: str | None

    def describe(self) -> str:
        """The files."""
        return f"key {self.key} with certificate {self.certificate}"

    @asynccontextmanager
    async def open(self, services: SigningServices) -> AsyncIterator[Signer]:
        """The key, parsed once for the whole batch."""
        yield load_pem(self.key, self.certificate, self.passphrase)


@dataclass(frozen=True)
class Pkcs11Source:
    """A key on a PKCS#11 token (USB token, SoftHSM, HSM)."""

    module: Path
    token_label: str
    key_label: str
    cert_label: str | None
    pin: str

    def describe(self) -> str:
        """Token and key labels."""
        return f"token {self.token_label!r} key {self.key_label!r} via {self.module}"

    @asynccontextmanager
    async def open(self, services: SigningServices) -> AsyncIterator[Signer]:
        """One logged-in session for the batch: one PIN entry however many documents."""
        from signing import token  # noqa: PLC0415  # PKCS#11 only for a token's batches

        with token.token_session(self.module, self.token_label, self.pin) as session:
            yield token.token_signer(session, self.key_label, self.cert_label)


def _plugin(factory: str) -> KeySource:
    module_name, _, class_name = factory.partition(":")
    try:
        source: KeySource = getattr(importlib.import_module(module_name), class_name)()
    except (ImportError, AttributeError, TypeError) as e:
        raise ConfigurationError(f"key source {factory!r} cannot be loaded: {e}") from e
    return source


def key_source(spec: KeySpec, settings: Settings) -> KeySource:
    """The source for a profile's key, with its secrets read from the environment."""
    if isinstance(spec, Pkcs12Key):
        passphrase = credentials.sign_passphrase(settings, spec.passphrase_env)
        return Pkcs12Source(key_path(settings, spec.path), passphrase)
    if isinstance(spec, Pkcs11Key):
        return Pkcs11Source(
            spec.module or settings.pkcs11_module,
            spec.token_label,
            spec.key_label,
            spec.cert_label,
            credentials.token_pin(settings, spec.pin_env),
        )
    if isinstance(spec, CscKey):
        allow_http = settings.csc_allow_http_loopback
        csc.require_https(spec.service_url, allow_http_loopback=allow_http)
        token = credentials.read_secret(
            what="csc_token", value=None, file=None, env_name=spec.token_env
        )
        pin = None
        if spec.pin_env:
            pin = credentials.read_secret(
                what="csc_pin", value=None, file=None, env_name=spec.pin_env
            )
        return CscSource(spec.service_url, spec.credential_id, token, pin, allow_http)
    if isinstance(spec, PluginKey):
        return _plugin(spec.factory)
    if isinstance(spec, AgentKey):
        raise SignerUnavailable(
            "this profile's key is on the leader's own token: sign through `sohoa sign-agent` "
            "(sohoa dossier sign --agent URL), the server cannot sign with it"
        )
    raise ConfigurationError(f"unknown key kind {spec!r}")
