"""File keys: PKCS#12 archives (and PEM pairs) opened once, into a signer that keeps the key."""

from __future__ import annotations

import logging
from pathlib import Path

from asn1crypto import keys as keys_asn1
from asn1crypto import pkcs12 as pkcs12_asn1
from asn1crypto import x509
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
    pkcs12,
)
from cryptography.x509 import Certificate
from pyhanko.keys import load_certs_from_pemder
from pyhanko.sign.signers.pdf_cms import SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from signing.errors import SignerUnavailable, WrongPassphrase

log = logging.getLogger(__name__)


def _asn1_certificate(cert: Certificate) -> x509.Certificate:
    """The certificate as asn1crypto (pyHanko's types) reads it."""
    return x509.Certificate.load(cert.public_bytes(Encoding.DER))


def _asn1_key(key: PrivateKeyTypes) -> keys_asn1.PrivateKeyInfo:
    """The private key as asn1crypto reads it (PKCS#8), for pyHanko's SimpleSigner."""
    der = key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    return keys_asn1.PrivateKeyInfo.load(der)


class KeySigner(SimpleSigner):
    """pyHanko's SimpleSigner, but the private key is parsed once, not on every signature.

    SimpleSigner keeps the key as DER and re-parses (and re-checks) it for each document;
    in a batch of hundreds that parse is a large share of the work. Mechanisms other than
    RSA PKCS#1 v1.5 and ECDSA go through SimpleSigner unchanged.
    """

    def __init__(
        self,
        key: PrivateKeyTypes,
        cert: x509.Certificate,
        chain: list[x509.Certificate],
    ) -> None:
        registry = SimpleCertificateStore()
        registry.register_multiple([cert, *chain])
        super().__init__(
            signing_cert=cert,
            signing_key=_asn1_key(key),
            cert_registry=registry,
        )
        self._key = key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        """Sign with the parsed key; the mechanism is pyHanko's choice for the key."""
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        hash_algo = get_pyca_cryptography_hash(digest_algorithm)
        if mechanism == "rsassa_pkcs1v15" and isinstance(self._key, rsa.RSAPrivateKey):
            return self._key.sign(data, padding.PKCS1v15(), hash_algo)
        if mechanism == "ecdsa" and isinstance(self._key, ec.EllipticCurvePrivateKey):
            return self._key.sign(data, ec.ECDSA(hash_algo))
        return super().sign_raw(data, digest_algorithm)


def _is_pkcs12(data: bytes) -> bool:
    """Whether the bytes are a PKCS#12 archive by their structure (the PFX's outer layers
    parse), so a refusal to open it is its passphrase's, whatever the library's message."""
    try:
        pfx = pkcs12_asn1.Pfx.load(data, strict=True)
        return pfx["version"].native == "v3" and pfx["auth_safe"]["content"].native is not None
    except (ValueError, TypeError, KeyError):
        return False


def load_pkcs12(path: Path, passphrase: str | None) -> KeySigner:
    """A signer from a PKCS#12 (.p12/.pfx) file, as made by a CA, openssl or certomancer.

    The archive must hold the private key and its certificate; CA certificates in it are
    embedded in signatures so verifiers can build the chain.
    """
    try:
        data = path.read_bytes()
    except OSError as e:
        raise SignerUnavailable(f"{path}: cannot read the key file: {e}") from e
    secret = passphrase.encode("utf-8") if passphrase else None
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, secret)
    except ValueError as e:
        if _is_pkcs12(data):  # a well-formed archive that did not open: its passphrase
            raise WrongPassphrase(f"{path}: the passphrase does not open this key file") from e
        raise SignerUnavailable(f"{path}: not a PKCS#12 key file ({e})") from e
    if key is None or cert is None:
        raise SignerUnavailable(f"{path}: holds no private key with its certificate")
    log.debug("opened PKCS#12 key %s", path.name)
    return KeySigner(
        key,
        _asn1_certificate(cert),
        [_asn1_certificate(c) for c in extra],
    )


def load_pem(key_path: Path, cert_path: Path, passphrase: str | None) -> KeySigner:
    """A signer from a PEM private key and a PEM certificate file (chain after the leaf)."""
    try:
        key = load_pem_private_key(
            key_path.read_bytes(), passphrase.encode("utf-8") if passphrase else None
        )
        certs = list(load_certs_from_pemder([str(cert_path)]))
    except (OSError, ValueError, TypeError) as e:
        raise SignerUnavailable(f"{key_path}: cannot open the key or {cert_path}: {e}") from e
    if not certs:
        raise SignerUnavailable(f"{cert_path}: holds no certificate")
    return KeySigner(key, certs[0], certs[1:])
