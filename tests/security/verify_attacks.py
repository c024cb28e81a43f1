"""What the public signature check's attacks are made of: certificates naming URLs of the
attacker's choice, a loopback HTTP server counting who came, and PDFs built to make the
verifier inflate or recurse."""

from __future__ import annotations

import io
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from signing.batch import BatchItem, sign_batch
from signing.levels import PadesLevel
from signing.pades import SignOptions
from signing.services import ServiceConfig
from signing.sources import PemSource
from signing.stamps import StampContent, StampKind


@dataclass
class Listener:
    """A loopback HTTP server recording every request; it answers as `reply` says:
    404, a redirect to `location`, nothing for `hold` seconds (released at exit), or 200
    with `body` (`declared` says whether with a Content-Length)."""

    reply: str = "404"
    location: str = ""
    hold: float = 0.0
    body: bytes = b""
    declared: bool = True
    hits: list[str] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    port: int = 0

    @property
    def base(self) -> str:
        """The server's URL prefix."""
        return f"http://127.0.0.1:{self.port}"


def _handler(listener: Listener) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            listener.hits.append(f"{self.command} {self.path}")
            if listener.reply == "hold":
                listener.release.wait(listener.hold)
            if listener.reply == "redirect":
                self.send_response(302)
                self.send_header("Location", listener.location)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if listener.reply == "200":
                self.send_response(200)
                if listener.declared:
                    self.send_header("Content-Length", str(len(listener.body)))
                self.end_headers()
                self.wfile.write(listener.body)
                return
            self.send_error(404)

        def do_GET(self) -> None:
            self._answer()

        def do_POST(self) -> None:
            self._answer()

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a verifier hanging up at its deadline is what the tests expect


@contextmanager
def listening(listener: Listener) -> Iterator[Listener]:
    """Serve `listener` on 127.0.0.1 (a free port) for the block."""
    server = _QuietServer(("127.0.0.1", 0), _handler(listener))
    server.daemon_threads = True
    listener.port = int(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield listener
    finally:
        listener.release.set()
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class Issued:
    """A certificate and its key, in PEM files."""

    cert: x509.Certificate
    key: rsa.RSAPrivateKey
    cert_path: Path
    key_path: Path


def issue(
    directory: Path,
    name: str,
    *,
    issuer: Issued | None = None,
    ca: bool = False,
    urls: str | None = None,
) -> Issued:
    """A certificate for `name`, issued by `issuer` (self-signed without one); `urls` is the
    base URL its OCSP responder, CA issuer and CRL distribution point are named under."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.cert.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(_key_usage(ca), critical=True)
    )
    signing_key = issuer.key if issuer else key
    builder = builder.add_extension(
        x509.AuthorityKeyIdentifier.from_issuer_public_key(signing_key.public_key()), False
    )
    if urls is not None:
        builder = _with_urls(builder, urls)
    cert = builder.sign(signing_key, hashes.SHA256())
    cert_path, key_path = directory / f"{name}.crt", directory / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return Issued(cert, key, cert_path, key_path)


def _key_usage(ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _with_urls(builder: x509.CertificateBuilder, base: str) -> x509.CertificateBuilder:
    aia = x509.AuthorityInformationAccess(
        [
            x509.AccessDescription(
                AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(f"{base}/ocsp")
            ),
            x509.AccessDescription(
                AuthorityInformationAccessOID.CA_ISSUERS,
                x509.UniformResourceIdentifier(f"{base}/ca.crt"),
            ),
        ]
    )
    dp = x509.DistributionPoint(
        full_name=[x509.UniformResourceIdentifier(f"{base}/ca.crl")],
        relative_name=None,
        reasons=None,
        crl_issuer=None,
    )
    return builder.add_extension(aia, False).add_extension(x509.CRLDistributionPoints([dp]), False)


def sign_with(data: bytes, signer: Issued, services: ServiceConfig) -> bytes:
    """`data` signed at B-B by `signer` (only its own certificate embedded)."""
    options = SignOptions(
        level=PadesLevel.B_B, stamp=StampContent(StampKind.INVISIBLE, "x"), field_name="chu_ky"
    )
    source = PemSource(signer.key_path, signer.cert_path, None)
    (result,) = sign_batch([BatchItem("doc.pdf", data, options)], source, services)
    assert result.signed is not None, result.error
    return result.signed.data


def with_dss_bomb(signed: bytes, inflated: int) -> bytes:
    """`signed` plus an update whose DSS holds one "certificate" of `inflated` zero bytes,
    deflated (a few hundred KB on the wire)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    bomb = generic.StreamObject(
        {pdf_name("/Filter"): pdf_name("/FlateDecode")},
        encoded_data=zlib.compress(bytes(inflated), 9),
    )
    certs = generic.ArrayObject([writer.add_object(bomb)])
    dss = generic.DictionaryObject({pdf_name("/Certs"): certs})
    writer.root[pdf_name("/DSS")] = writer.add_object(dss)
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def with_deep_field_tree(signed: bytes, depth: int) -> bytes:
    """`signed` plus an update hanging a chain of `depth` nested /Kids under its form."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    node = generic.DictionaryObject({pdf_name("/T"): generic.TextStringObject("leaf")})
    ref = writer.add_object(node)
    for level in range(depth):
        parent = generic.DictionaryObject(
            {
                pdf_name("/T"): generic.TextStringObject(f"n{level}"),
                pdf_name("/Kids"): generic.ArrayObject([ref]),
            }
        )
        ref = writer.add_object(parent)
    form = writer.root["/AcroForm"]
    fields = form["/Fields"]
    fields.append(ref)
    writer.update_container(fields)
    writer.update_container(form)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
