"""A self-contained test PKI made by the repo: CAs, leaders, a seal, CRL, OCSP and a TSA.

Tests and the demo need certificates that behave like the real Vietnamese ones (a root,
an issuing CA, a leader's certificate, the organisation's certificate) and the services
their verifiers call: CRLs, an OCSP responder and an RFC 3161 timestamp authority. The
keys are generated here, the certificates and services come from certomancer (by the
author of pyHanko), and the services are served on loopback. Nothing is downloaded.

NOT for production: the keys sit unencrypted on disk next to the certificates.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from asn1crypto import pem
from certomancer.integrations.animator import Animator, AnimatorArchStore
from certomancer.registry import ArchLabel, CertLabel, CertomancerConfig, PKIArchitecture
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.serving import make_server

from signing.testpki_images import write_demo_images

log = logging.getLogger(__name__)

WSGIApp = Callable[[dict[str, Any], Any], Any]

ARCH = "sohoa-test"
"""The certomancer architecture label, part of every service URL."""

ISSUER = "Sohoa Test CA (not for production)"

SIGNERS = {
    "leader": ("Nguyễn Văn An", "Chủ tịch"),
    "deputy": ("Trần Thị Bình", "Phó Chủ tịch"),
    "drafter": ("Lê Văn Cường", "Chuyên viên"),
    "clerk": ("Đỗ Thị Giang", "Công chức Bộ phận Một cửa"),
    "leader-revoked": ("Phạm Văn Dũng", "Chủ tịch"),
    "leader-expired": ("Hoàng Thị Em", "Chủ tịch"),
}
"""Personal signing certificates: label -> (name, title)."""

ORGANISATION = "Ủy ban nhân dân xã Hòa Bình"
"""The organisation whose seal certificate signs electronic copies and results."""

KEY_LABELS = ("root", "interm", "ocsp", "tsa", "organisation", *SIGNERS)


@dataclass(frozen=True)
class TestPki:
    """A test PKI on disk: where its files are and where its services answer."""

    __test__ = False  # not a pytest test class, despite its name

    directory: Path
    port: int
    passphrase: str
    """Passphrase of every .p12 file of this PKI."""

    @property
    def base_url(self) -> str:
        """Root URL of the loopback services."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def tsa_url(self) -> str:
        """The RFC 3161 timestamp authority."""
        return f"{self.base_url}/{ARCH}/tsa/tsa"

    @property
    def root_cert(self) -> Path:
        """The root certificate to trust (PEM)."""
        return self.cert_path("root")

    def cert_path(self, label: str) -> Path:
        """A certificate by label, as PEM."""
        return self.directory / "certs" / f"{label}.cert.pem"

    def p12_path(self, label: str) -> Path:
        """A signer's key and certificate chain as PKCS#12, encrypted with `passphrase`."""
        return self.directory / "keys" / f"{label}.p12"

    def key_path(self, label: str) -> Path:
        """A private key as unencrypted PKCS#8 PEM (for importing into a token)."""
        return self.directory / "private" / f"{label}.key.pem"

    def image_path(self, name: str) -> Path:
        """A demo stamp image: signature-<label>.png or seal.png."""
        return self.directory / "keys" / name

    def certomancer(self) -> CertomancerConfig:
        """The certomancer configuration the PKI was made from."""
        config = json.loads((self.directory / "certomancer.json").read_text(encoding="utf-8"))
        return CertomancerConfig(config, key_search_dir=str(self.directory / "private"))

    def architecture(self) -> PKIArchitecture:
        """The certomancer architecture (certificates, CRLs, OCSP, TSA)."""
        return self.certomancer().get_pki_arch(ArchLabel(ARCH))


def free_port() -> int:
    """A TCP port on loopback nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+0000")


def _signer_cert(issuer: str, valid_from: datetime, valid_to: datetime) -> dict[str, Any]:
    return {
        "issuer": issuer,
        "validity": {"valid-from": _iso(valid_from), "valid-to": _iso(valid_to)},
        "profiles": ["digsig-commitment"],
        "extensions": [
            {
                "id": "authority_information_access",
                "smart-value": {
                    "schema": "aia-urls",
                    "params": {
                        "ocsp-responder-names": ["interm"],
                        "ca-issuer-links": [{"repo": "interm", "include-repo-authority": True}],
                    },
                },
            }
        ],
    }


def _entities() -> dict[str, Any]:
    entities: dict[str, Any] = {
        "root": {"common-name": "Sohoa Test Root CA"},
        "interm": {"common-name": ISSUER},
        "ocsp": {"common-name": "Sohoa Test OCSP Responder"},
        "tsa": {"common-name": "Sohoa Test Timestamp Authority"},
        "organisation": {"common-name": ORGANISATION, "organization-name": ORGANISATION},
    }
    for label, (name, title) in SIGNERS.items():
        entities[label] = {"common-name": name, "title": title, "organization-name": ORGANISATION}
    return entities


def _certs(now: datetime) -> dict[str, Any]:
    ca_from, ca_to = datetime(2020, 1, 1, tzinfo=UTC), datetime(2060, 1, 1, tzinfo=UTC)
    leaf_from, leaf_to = now - timedelta(days=30), now + timedelta(days=5 * 365)
    ca_validity = {"valid-from": _iso(ca_from), "valid-to": _iso(ca_to)}
    certs: dict[str, Any] = {
        "root": {
            "subject": "root",
            "issuer": "root",
            "validity": ca_validity,
            "profiles": [{"id": "simple-ca", "params": {"crl-repo": "root"}}],
        },
        "interm": {
            "issuer": "root",
            "validity": ca_validity,
            "profiles": [
                {
                    "id": "simple-ca",
                    "params": {"max-path-len": 0, "crl-repo": "interm", "ocsp-service": "interm"},
                }
            ],
        },
        "ocsp": {"issuer": "interm", "validity": ca_validity, "profiles": ["ocsp-responder"]},
        "tsa": {
            "issuer": "root",
            "validity": ca_validity,
            "extensions": [
                {
                    "id": "key_usage",
                    "critical": True,
                    "smart-value": {"schema": "key-usage", "params": ["digital_signature"]},
                },
                {"id": "extended_key_usage", "critical": True, "value": ["time_stamping"]},
                {
                    "id": "crl_distribution_points",
                    "smart-value": {
                        "schema": "crl-dist-url",
                        "params": {"crl-repo-names": ["root"]},
                    },
                },
            ],
        },
        "organisation": _signer_cert("interm", leaf_from, leaf_to),
    }
    for label in SIGNERS:
        certs[label] = _signer_cert("interm", leaf_from, leaf_to)
    certs["leader-expired"] = _signer_cert(
        "interm", datetime(2021, 1, 1, tzinfo=UTC), datetime(2022, 1, 1, tzinfo=UTC)
    )
    certs["leader-revoked"]["revocation"] = {
        "revoked-since": _iso(now - timedelta(days=1)),
        "reason": "key_compromise",
    }
    return certs


def _config(port: int, now: datetime) -> dict[str, Any]:
    """The certomancer configuration, with absolute dates so it yields the same certificates
    every time it is loaded (the services re-create them when serving)."""
    return {
        "external-url-prefix": f"http://127.0.0.1:{port}",
        "keysets": {ARCH: {"keys": {label: {"path": f"{label}.key.pem"} for label in KEY_LABELS}}},
        "pki-architectures": {
            ARCH: {
                "keyset": ARCH,
                "entity-defaults": {"country-name": "VN", "organizational-unit-name": "sohoa test"},
                "entities": _entities(),
                "certs": _certs(now),
                "services": {
                    "ocsp": {
                        "interm": {
                            "for-issuer": "interm",
                            "responder-cert": "ocsp",
                            "signing-key": "ocsp",
                        }
                    },
                    "crl-repo": {
                        "root": {
                            "for-issuer": "root",
                            "signing-key": "root",
                            "simulated-update-schedule": "P7D",
                        },
                        "interm": {
                            "for-issuer": "interm",
                            "signing-key": "interm",
                            "simulated-update-schedule": "P1D",
                        },
                    },
                    "cert-repo": {
                        "root": {"for-issuer": "root", "publish-issued-certs": True},
                        "interm": {"for-issuer": "interm", "publish-issued-certs": True},
                    },
                    "time-stamping": {"tsa": {"signing-key": "tsa", "signing-cert": "tsa"}},
                },
            }
        },
    }


def _write_keys(private: Path) -> None:
    private.mkdir(parents=True, exist_ok=True)
    for label in KEY_LABELS:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        path = private / f"{label}.key.pem"
        path.write_bytes(pem)
        path.chmod(0o600)


def create_test_pki(
    directory: Path,
    *,
    port: int | None = None,
    passphrase: str = "sohoa-test",  # noqa: S107  # the test PKI's published passphrase
) -> TestPki:
    """Make a new test PKI in `directory`: keys, certificates, .p12 files, stamp images.

    `port` is where its services will be served; the certificates name it in their CRL and
    OCSP URLs, so it is fixed here (a free one by default).
    """
    pki = TestPki(directory, port or free_port(), passphrase)
    for sub in ("certs", "keys"):
        (directory / sub).mkdir(parents=True, exist_ok=True)
    _write_keys(directory / "private")
    config = _config(pki.port, datetime.now(UTC).replace(microsecond=0))
    (directory / "certomancer.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    arch = pki.architecture()
    for label in (*KEY_LABELS,):
        cert = arch.get_cert(CertLabel(label))
        pki.cert_path(label).write_bytes(_pem(cert.dump()))
    for label in ("organisation", *SIGNERS):
        data = arch.package_pkcs12(CertLabel(label), password=passphrase.encode("utf-8"))
        pki.p12_path(label).write_bytes(data)
        pki.p12_path(label).chmod(0o600)
    write_demo_images(directory / "keys", ORGANISATION, {k: n for k, (n, _) in SIGNERS.items()})
    meta = {"port": pki.port, "passphrase": passphrase, "arch": ARCH}
    (directory / "pki.json").write_text(json.dumps(meta), encoding="utf-8")
    log.info("test PKI created in %s (services on port %d)", directory, pki.port)
    return pki


def open_test_pki(directory: Path) -> TestPki:
    """A test PKI made earlier by create_test_pki."""
    meta = json.loads((directory / "pki.json").read_text(encoding="utf-8"))
    return TestPki(directory, int(meta["port"]), str(meta["passphrase"]))


def _pem(der: bytes) -> bytes:
    return bytes(pem.armor("CERTIFICATE", der))


def _like_a_real_ca(app: WSGIApp) -> WSGIApp:
    """Two things real CAs do that certomancer's services do not, and NSS (so Poppler's
    pdfsig) depends on: answer OCSP requests sent by GET (RFC 6960, A.1: the base64 DER
    request in the URL), which NSS tries first; and give times in whole seconds (NSS
    refuses OCSP responses whose GeneralizedTime has a fraction)."""

    def wrapped(environ: dict[str, Any], start_response: Any) -> Any:
        now = datetime.now(UTC).replace(microsecond=0)
        environ = {**environ, "HTTP_X_CERTOMANCER_FAKE_TIME": now.isoformat()}
        path = str(environ.get("PATH_INFO", ""))
        prefix = f"/{ARCH}/ocsp/"
        rest = path[len(prefix) :] if path.startswith(prefix) else ""
        if environ.get("REQUEST_METHOD") == "GET" and "/" in rest:
            label, _, encoded = rest.partition("/")
            body = base64.b64decode(unquote(encoded))
            environ = {
                **environ,
                "REQUEST_METHOD": "POST",
                "PATH_INFO": prefix + label,
                "CONTENT_TYPE": "application/ocsp-request",
                "CONTENT_LENGTH": str(len(body)),
                "wsgi.input": io.BytesIO(body),
            }
        return app(environ, start_response)

    return wrapped


class PkiServer(threading.Thread):
    """The PKI's services in a thread (stop with `server.shutdown()`)."""

    def __init__(self, pki: TestPki) -> None:
        super().__init__(name=f"test-pki-{pki.port}", daemon=True)
        arch = pki.architecture()
        app = Animator(AnimatorArchStore({ArchLabel(ARCH): arch}), with_web_ui=False)
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self.server = make_server("127.0.0.1", pki.port, _like_a_real_ca(app), threaded=True)

    def run(self) -> None:
        """Serve until shut down."""
        self.server.serve_forever()


@contextmanager
def serve_test_pki(pki: TestPki) -> Iterator[str]:
    """Serve the PKI's CRLs, OCSP responder and TSA on loopback for the block's duration."""
    server = PkiServer(pki)
    server.start()
    log.info("test PKI services at %s", pki.base_url)
    try:
        yield pki.base_url
    finally:
        server.server.shutdown()
        server.server.server_close()
        server.join(timeout=5)
