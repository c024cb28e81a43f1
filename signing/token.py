"""PKCS#11 tokens: one logged-in session per batch, pyHanko's signer on it, raw digest signing.

Vietnamese leaders sign with USB tokens from the licensed CAs; servers hold the seal key
in an HSM. Both speak PKCS#11; SoftHSM2 stands in for them in tests and the demo.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pkcs11
from asn1crypto import algos, keys, x509
from pkcs11 import Attribute, KeyType, Mechanism, ObjectClass
from pkcs11.exceptions import PKCS11Error as LibraryError
from pyhanko.config.pkcs11 import TokenCriteria
from pyhanko.sign.general import SigningError
from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

from signing.errors import TokenError

log = logging.getLogger(__name__)


@contextmanager
def token_session(module: Path, token_label: str, pin: str | None) -> Iterator[pkcs11.Session]:
    """A session on the token labelled `token_label`, logged in with `pin` (None: not
    logged in, enough to read certificates), closed after."""
    if not module.is_file():
        raise TokenError(f"PKCS#11 library {module} is not installed")
    try:
        session = open_pkcs11_session(
            str(module), token_criteria=TokenCriteria(label=token_label), user_pin=pin
        )
    except LibraryError as e:
        raise TokenError(f"token {token_label!r}: cannot log in ({type(e).__name__} {e})") from e
    log.info("opened token %r%s", token_label, " (logged in)" if pin else "")
    try:
        yield session
    finally:
        session.close()


def token_signer(session: pkcs11.Session, key_label: str, cert_label: str | None) -> PKCS11Signer:
    """pyHanko's signer for the key, with the certificates stored on the token."""
    signer = PKCS11Signer(
        session, cert_label=cert_label or key_label, key_label=key_label, other_certs_to_pull=None
    )
    try:
        _ = signer.signing_cert
    except (SigningError, LibraryError) as e:
        raise TokenError(f"key {key_label!r}: not found on the token with its certificate") from e
    return signer


def token_certificates(session: pkcs11.Session, label: str) -> list[x509.Certificate]:
    """The certificate labelled `label` first, then the token's other certificates."""
    found = [
        (str(obj[Attribute.LABEL]), x509.Certificate.load(obj[Attribute.VALUE]))
        for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE})
    ]
    mine = [cert for name, cert in found if name == label]
    if not mine:
        raise TokenError(f"no certificate labelled {label!r} on the token")
    return mine + [cert for name, cert in found if name != label]


def sign_digest(session: pkcs11.Session, key_label: str, digest: bytes, md_algorithm: str) -> bytes:
    """Sign a precomputed digest with the token's key, as a CMS signature value.

    RSA: PKCS#1 v1.5 over the DigestInfo (CKM_RSA_PKCS). ECDSA: the raw (r, s) pair from
    CKM_ECDSA, DER-encoded as CMS expects. The document never leaves the server; only
    this digest reaches the leader's computer.
    """
    try:
        key = session.get_key(object_class=ObjectClass.PRIVATE_KEY, label=key_label)
        if not isinstance(key, pkcs11.SignMixin):
            raise TokenError(f"key {key_label!r} cannot sign")
        if key.key_type == KeyType.RSA:
            info = algos.DigestInfo(
                {"digest_algorithm": {"algorithm": md_algorithm}, "digest": digest}
            )
            return bytes(key.sign(info.dump(), mechanism=Mechanism.RSA_PKCS))
        if key.key_type == KeyType.EC:
            raw = bytes(key.sign(digest, mechanism=Mechanism.ECDSA))
            half = len(raw) // 2
            r, s = int.from_bytes(raw[:half], "big"), int.from_bytes(raw[half:], "big")
            return bytes(keys.DSASignature({"r": r, "s": s}).dump())
    except LibraryError as e:
        raise TokenError(f"key {key_label!r}: the token refused to sign ({e})") from e
    raise TokenError(f"key {key_label!r}: unsupported key type {key.key_type}")
