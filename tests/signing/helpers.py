"""What the signing tests share: result PDFs, SoftHSM tokens, pdfsig, a PKI server switch."""

from __future__ import annotations

import dataclasses
import io
import os
import random
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pikepdf
import pikepdf.pdfa
import pkcs11
from asn1crypto import pem, x509
from pkcs11 import Attribute, CertificateType, ObjectClass

from digitize.synthetic import (
    Mark,
    SyntheticDocument,
    default_family,
    make_document,
    write_born_digital_pdf,
)
from signing.fetch_guard import FetchPolicy
from signing.testpki import PkiServer, TestPki

SOFTHSM = Path("/usr/lib/softhsm/libsofthsm2.so")
SO_PIN = "87654321"
USER_PIN = "246810"
WEB_PIN = "PIN-web-58213-khoa"
"""The PIN of the token the web signing test uses: long and found nowhere else, so finding
it in a log, in Redis or in the database is a leak (six digits could be in a digest)."""
TOKEN_PINS = {"web-lanh-dao": WEB_PIN}
"""Tokens whose user PIN is not USER_PIN."""


def pki_fetch_policy(pki: TestPki) -> FetchPolicy:
    """Verification may fetch from the test PKI's OCSP responder and CRLs on loopback: the
    operator's allowlist (SOHOA_VERIFY_REVOCATION_HOSTS), as a deployment whose own CA's
    responder has a private address sets it; any other loopback URL is refused."""
    return FetchPolicy(allowed_hosts=frozenset({f"127.0.0.1:{pki.port}"}))


def unsigned_result(doc_type: str = "giay_khai_sinh", seed: int = 7) -> SyntheticDocument:
    """A generated result document as the office's software prints it before signing:
    no scanned seal or signature drawn on it (those come with the e-signatures)."""
    doc = make_document(doc_type, random.Random(seed))
    pages = tuple(
        tuple(
            dataclasses.replace(line, mark=Mark.NONE)
            if line.mark in (Mark.SEAL, Mark.SIGNATURE)
            else line
            for line in page
        )
        for page in doc.pages
    )
    return dataclasses.replace(doc, pages=pages)


def pdfa_bytes(path: Path, title: str) -> bytes:
    """The PDF at `path` saved as validated PDF/A-2b (as digitization writes results)."""
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for key in ("/Trans", "/Dur"):
                if key in page.obj:
                    del page.obj[key]
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:title"] = title
        out = io.BytesIO()
        pikepdf.pdfa.save(pdf, out, "2b")
        return out.getvalue()


def result_pdf(directory: Path, doc_type: str = "giay_khai_sinh", seed: int = 7) -> bytes:
    """A born-digital result, PDF/A-2b, ready to sign."""
    doc = unsigned_result(doc_type, seed)
    path = write_born_digital_pdf(doc, directory / f"{doc_type}-{seed}.pdf", default_family())
    return pdfa_bytes(path, doc.title)


def long_pdf(directory: Path, pages: int) -> bytes:
    """A result of `pages` pages (the first page repeated), PDF/A-2b."""
    source = directory / "one.pdf"
    source.write_bytes(result_pdf(directory))
    with pikepdf.open(source) as one, pikepdf.new() as many:
        for _ in range(pages):
            many.pages.append(one.pages[0])
        out = directory / f"{pages}-pages.pdf"
        many.save(out)
    return pdfa_bytes(out, "Văn bản dài")


def softhsm_config(directory: Path) -> Path:
    """A SoftHSM2 configuration with its own token directory.

    SoftHSM reads it once per process (when the PKCS#11 library is first initialised),
    so a test session uses one, set in SOFTHSM2_CONF, and each test makes its own tokens.
    """
    tokens = directory / "tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    conf = directory / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    return conf


def provision_tokens(pki: TestPki, tokens: dict[str, tuple[str, ...]]) -> None:
    """New SoftHSM2 tokens (in $SOFTHSM2_CONF's directory), by label, holding the given keys
    of the test PKI, imported with softhsm2-util, each with its certificate beside it (with
    its SUBJECT, as pyHanko needs) and the issuing CA's.

    SoftHSM lists its tokens once, when the PKCS#11 library starts: every token a process
    will use is made before the library is first loaded.
    """
    for label, key_labels in tokens.items():
        pin = TOKEN_PINS.get(label, USER_PIN)
        subprocess.run(
            [
                "softhsm2-util",
                "--init-token",
                "--free",
                "--label",
                label,
                "--so-pin",
                SO_PIN,
                "--pin",
                pin,
            ],
            check=True,
            capture_output=True,
        )
        for i, key_label in enumerate(key_labels, 1):
            subprocess.run(
                [
                    "softhsm2-util",
                    "--import",
                    str(pki.key_path(key_label)),
                    "--token",
                    label,
                    "--label",
                    key_label,
                    "--id",
                    f"{i:02x}",
                    "--pin",
                    pin,
                ],
                check=True,
                capture_output=True,
            )
    library = pkcs11.lib(str(SOFTHSM))
    for label, key_labels in tokens.items():
        pin = TOKEN_PINS.get(label, USER_PIN)
        with library.get_token(token_label=label).open(rw=True, user_pin=pin) as session:
            for i, key_label in enumerate(key_labels, 1):
                _store_cert(session, pki.cert_path(key_label), key_label, bytes([i]))
            _store_cert(session, pki.cert_path("interm"), "issuing-ca", b"\xca")


def _store_cert(session: pkcs11.Session, path: Path, label: str, key_id: bytes) -> None:
    der = pem.unarmor(path.read_bytes())[2]
    cert = x509.Certificate.load(der)
    session.create_object(
        {
            Attribute.CLASS: ObjectClass.CERTIFICATE,
            Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.TOKEN: True,
            Attribute.LABEL: label,
            Attribute.ID: key_id,
            Attribute.VALUE: der,
            Attribute.SUBJECT: cert.subject.dump(),
            Attribute.ISSUER: cert.issuer.dump(),
            Attribute.SERIAL_NUMBER: cert["tbs_certificate"]["serial_number"].dump(),
        }
    )


def nss_db(directory: Path, root: Path) -> Path:
    """An NSS database trusting `root`, for Poppler's pdfsig."""
    directory.mkdir(parents=True, exist_ok=True)
    subprocess.run(["certutil", "-N", "-d", f"sql:{directory}", "--empty-password"], check=True)
    subprocess.run(
        [
            "certutil",
            "-A",
            "-d",
            f"sql:{directory}",
            "-n",
            "sohoa-test-root",
            "-t",
            "CT,C,C",
            "-i",
            str(root),
        ],
        check=True,
    )
    return directory


_PDFSIG_BLOCK = re.compile(r"Signature #\d+:\n(.*?)(?=Signature #\d+:|\Z)", re.S)


def pdfsig(path: Path, nss: Path) -> list[dict[str, str]]:
    """Poppler's verdict per signature: field, type, signature and certificate validation.

    pdfsig exits 0 whatever it finds, so its output is parsed. (It checks the signer's
    certificate online, with OCSP: the test PKI must be serving.)
    """
    run = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nss}", str(path)], capture_output=True, text=True, check=False
    )
    found = []
    for block in _PDFSIG_BLOCK.findall(run.stdout):
        entry = {}
        for line in block.splitlines():
            key, _, value = line.strip(" -").partition(": ")
            entry[key] = value
        found.append(entry)
    return found


class PkiSwitch:
    """The session's PKI services, which a test can take down (CA servers gone) and back."""

    def __init__(self, pki: TestPki) -> None:
        self.pki = pki
        self._server: PkiServer | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        """Serve (again)."""
        with self._lock:
            if self._server is None:
                self._server = PkiServer(self.pki)
                self._server.start()

    def stop(self) -> None:
        """Stop answering: CRL, OCSP and TSA all gone."""
        with self._lock:
            if self._server is not None:
                self._server.server.shutdown()
                self._server.server.server_close()
                self._server.join(timeout=5)
                self._server = None

    @contextmanager
    def down(self) -> Iterator[None]:
        """The services stopped for the block's duration."""
        self.stop()
        try:
            yield
        finally:
            self.start()


class ChildOutput:
    """A child's stderr read on a thread (so the pipe never fills), line by line, until a
    line matching a pattern shows up anywhere in it (libraries may print warnings first)."""

    def __init__(self, stream: IO[str]) -> None:
        self.lines: list[str] = []
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.append(line)

    def wait_for(self, pattern: str, timeout: float = 60) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if found := re.search(pattern, line):
                    return found
            if not self.thread.is_alive():
                break
            time.sleep(0.05)
        raise AssertionError(f"no line matching {pattern!r} in: {''.join(self.lines)}")


@dataclasses.dataclass
class RunningAgent:
    """`sohoa sign-agent` in front of a SoftHSM token, as a leader runs it, and what it
    printed on the leader's terminal."""

    port: int
    output: ChildOutput
    journal: Path
    pairing: str
    """The code it printed, or "none-printed"."""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def running_agent(
    softhsm: Path,
    state: Path,
    *,
    port: int,
    token: str = "agent-token",
    key: str = "leader",
    options: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
) -> Iterator[RunningAgent]:
    """The agent started with its PIN in LEADER_PIN (SOHOA_TESTING), its state in `state`,
    ready once it says it listens; stopped on leaving."""
    command = [
        *(sys.executable, "-m", "api.cli", "sign-agent", "--module", str(SOFTHSM)),
        *("--token-label", token, "--key-label", key, "--port", str(port)),
        *("--pin-env", "LEADER_PIN", *options),
    ]
    environment = {
        **os.environ,
        "SOFTHSM2_CONF": str(softhsm),
        "LEADER_PIN": USER_PIN,
        "SOHOA_TESTING": "1",
        "SOHOA_SIGN_AGENT_DIR": str(state),
        **(env or {}),
    }
    child = subprocess.Popen(command, env=environment, stderr=subprocess.PIPE, text=True)
    assert child.stderr is not None
    output = ChildOutput(child.stderr)
    try:
        output.wait_for(r"signing agent on")
        found = re.search(r"pairing code\): ([A-Z0-9-]+)", "".join(output.lines))
        pairing = found.group(1) if found else "none-printed"
        yield RunningAgent(port, output, state / "signed.jsonl", pairing)
    finally:
        child.terminate()
        child.wait(timeout=10)
