"""File keys: PKCS#12 archives (and PEM pairs) opened once, into a signer that keeps the key."""

from __future__ import annotations

import logging
from pathlib import Path

from asn1crypto import x509
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import load_pem_private_key, pkcs12
from pyhanko.keys import load_certs_from_pemder
from pyhanko.keys.internal import (
    translate_pyca_cryptography_cert_to_asn1,
    translate_pyca_cryptography_key_to_asn1,
)
from pyhanko.sign.signers.pdf_cms import SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from signing.errors import SignerUnavailable, WrongPassphrase

log = logging.getLogger(__name__)


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
            signing_key=translate_pyca_cryptography_key_to_asn1(key),
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
        if "password" in str(e).lower() or "mac" in str(e).lower():
            raise WrongPassphrase(f"{path}: the passphrase does not open this key file") from e
        raise SignerUnavailable(f"{path}: not a PKCS#12 key file ({e})") from e
    if key is None or cert is None:
        raise SignerUnavailable(f"{path}: holds no private key with its certificate")
    log.debug("opened PKCS#12 key %s", path.name)
    return KeySigner(
        key,
        translate_pyca_cryptography_cert_to_asn1(cert),
        [translate_pyca_cryptography_cert_to_asn1(c) for c in extra],
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
