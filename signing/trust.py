"""Trust anchors: the root certificates a signature must chain to, from files or folders."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from asn1crypto import pem, x509

from config.errors import ConfigurationError

log = logging.getLogger(__name__)

CERT_SUFFIXES = (".pem", ".crt", ".cer", ".der")


def load_certificates(path: Path) -> list[x509.Certificate]:
    """Every certificate in a PEM (one or many) or DER file."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ConfigurationError(f"{path}: cannot read the certificate file: {e}") from e
    try:
        if pem.detect(data):
            return [x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]
        return [x509.Certificate.load(data)]
    except ValueError as e:
        raise ConfigurationError(f"{path}: not a certificate file ({e})") from e


def load_trust_roots(paths: Iterable[Path]) -> list[x509.Certificate]:
    """The certificates in the given files, and in the certificate files of given folders."""
    roots: list[x509.Certificate] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.iterdir()):
                if child.suffix.lower() in CERT_SUFFIXES:
                    roots.extend(load_certificates(child))
        else:
            roots.extend(load_certificates(path))
    log.debug("%d trust roots loaded", len(roots))
    return roots


def describe(cert: x509.Certificate) -> str:
    """The certificate's subject as people read it (CN, O, C...)."""
    return str(cert.subject.human_friendly)


def common_name(cert: x509.Certificate) -> str:
    """The subject's common name, or the whole subject when it has none."""
    for rdn in cert.subject.chosen:
        for attribute in rdn:
            if attribute["type"].native == "common_name":
                return str(attribute["value"].native)
    return describe(cert)
