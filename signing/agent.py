"""The leader's signing agent: a loopback HTTP service on the leader's computer, in front of
the leader's USB token, that signs CMS signed attributes (never documents, never a bare
digest) one batch per PIN entry, for a requester that shows the agent's pairing code.

Vietnamese e-government works this way: the leader's browser (or `sohoa dossier sign
--agent`) asks the agent on 127.0.0.1 for the certificate, the server prepares the
documents, the agent signs them with the token, the server finishes them.

Protocol (for `sohoa` on the command line and for a page of the sohoa web app):

Pairing. Each run of `sohoa sign-agent` makes a new pairing code (16 characters from an
alphabet without 0/O/1/I/L, shown as XXXX-XXXX-XXXX-XXXX, ~79 bits) and prints it on the
leader's terminal only. The agent serves one leader's token, so the code is per run and per
leader. The requester presents it on every request as `Authorization: Bearer CODE` (case,
dashes and spaces ignored; compared in constant time). The command line reads it from
SOHOA_AGENT_PAIRING or asks for it; a web page asks the leader to type it once and keeps it
in sessionStorage for the tab's session. After SIGN_AGENT_PAIRING_FAILURES wrong codes the
agent refuses everyone until it is restarted (with a new code).

Every request is refused unless:
  - Host is exactly 127.0.0.1:PORT or localhost:PORT (403): a DNS-rebound name never is;
  - Origin, when sent, is in the allowlist (403): by default the origin of SOHOA_PUBLIC_URL,
    or the `--allow-origin` values; no Origin is a program on this computer, which still
    needs the pairing code; "null" is never allowed;
  - a body is JSON: Content-Type application/json (415), so a page's no-preflight
    ("simple") text/plain or form POST never reaches the token;
  - the pairing code is right (401).

A page from an allowed origin gets CORS headers (Access-Control-Allow-Origin: its origin,
Vary: Origin). Its requests carry Authorization and a JSON body, so the browser sends a
preflight first: `OPTIONS` with an allowed Origin answers 204 allowing GET and POST with the
Authorization and Content-Type headers, and Access-Control-Allow-Private-Network: true when
asked (Chrome's Private Network Access). Pages use fetch() with no credentials (no cookies).

    GET  /certificate
        -> {"certificates": [base64 DER, signer first], "subject": "..."}
    POST /sign  {"md_algorithm": "sha256",
                 "items": [{"title": "...", "document_digest": b64, "signed_attrs": b64}]}
        -> {"signatures": [b64, ...], "count": N}

For each item the agent parses the DER CMS signed attributes, checks that their one
messageDigest equals document_digest (400 otherwise: the whole batch is refused), shows the
leader the count and each cleaned title with its document hash, and once the PIN is typed
signs the hash of the signed attributes it computed itself. An empty PIN declines (403).
Each signed batch is appended to a JSON-lines journal in the agent's state directory
(when, requester's origin and user agent, titles, document hashes) before it is answered.
Errors are {"error": "..."} with the status above, or 503 when the token or the journal
fails. The server then checks that the certificate is the one its signer profile names.
"""

from __future__ import annotations

import base64
import hmac
import json
import logging
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from asn1crypto import x509

from config import defaults
from config.errors import SohoaError
from signing.agent_batch import Requester, SignBatch, append_journal, clean_text, decode_batch
from signing.errors import BatchRejected, SigningDeclined, TokenError
from signing.token import sign_digest, token_certificates, token_session

log = logging.getLogger(__name__)

MAX_BODY = 4_000_000
"""Bytes of a request body: 500 items of signed attributes fit several times over."""

PAIRING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PAIRING_CHARS = 16


def new_pairing_code() -> str:
    """A fresh pairing code, as printed for the leader: XXXX-XXXX-XXXX-XXXX."""
    raw = "".join(secrets.choice(PAIRING_ALPHABET) for _ in range(PAIRING_CHARS))
    return "-".join(raw[i : i + 4] for i in range(0, PAIRING_CHARS, 4))


def _pairing_key(code: str) -> bytes:
    return "".join(ch for ch in code.upper() if ch.isascii() and ch.isalnum()).encode()


def web_origin(url: str) -> str:
    """The origin of a URL as a browser sends it: scheme://host[:port], default port left
    out, lower case ("" for anything that is not an http(s) URL)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    default = {"http": 80, "https": 443}[parts.scheme]
    shown_port = f":{port}" if port is not None and port != default else ""
    return f"{parts.scheme}://{parts.hostname.lower()}{shown_port}"


@dataclass(frozen=True)
class AgentPolicy:
    """Who may ask the agent, and where it keeps what it signed."""

    pairing: str
    """This run's pairing code (new_pairing_code)."""
    journal: Path
    """The JSON-lines file each signed batch is appended to."""
    origins: frozenset[str] = field(default_factory=frozenset)
    """Web origins whose pages may call the agent (web_origin of the sohoa server's URL)."""


class SigningToken(Protocol):
    """What the agent signs with: the leader's token, or a test's double."""

    def certificates(self) -> list[x509.Certificate]:
        """The signer's certificate first, then its chain."""
        ...

    def sign(self, batch: SignBatch) -> list[bytes]:
        """One signature per item of the batch, in order, after one PIN entry."""
        ...


@dataclass(frozen=True)
class AgentToken:
    """The leader's token as the agent sees it."""

    module: Path
    token_label: str
    key_label: str
    cert_label: str | None
    pin: Callable[[str], str]
    """Shown the batch as the leader reads it (SignBatch.prompt: who asks, the count, the
    titles and hashes), returns the PIN; an empty PIN declines. A prompt on the leader's
    terminal, or a secret in tests."""

    def certificates(self) -> list[x509.Certificate]:
        """The signer's certificate first, then the other certificates on the token (read
        without logging in: certificates are public)."""
        with token_session(self.module, self.token_label, None) as session:
            return token_certificates(session, self.cert_label or self.key_label)

    def sign(self, batch: SignBatch) -> list[bytes]:
        """One login, every item's signed attributes hashed here and signed."""
        digests = batch.digests()
        pin = self.pin(batch.prompt())
        if not pin:
            raise SigningDeclined(f"the leader declined {len(digests)} documents")
        with token_session(self.module, self.token_label, pin) as session:
            log.info("signing %d documents for %s", len(digests), batch.requester.shown())
            return [sign_digest(session, self.key_label, d, batch.md_algorithm) for d in digests]


class _AgentServer(ThreadingHTTPServer):
    """The HTTP server with what its handlers share: the token, the policy, the count of
    wrong pairing codes."""

    daemon_threads = True

    def __init__(self, token: SigningToken, policy: AgentPolicy, port: int) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.token, self.policy = token, policy
        bound = self.server_address[1]
        self.hosts = frozenset({f"127.0.0.1:{bound}", f"localhost:{bound}"})
        self.failures = 0
        self.failures_lock = threading.Lock()
        self.sign_lock = threading.Lock()

    def locked(self) -> bool:
        """Whether wrong pairing codes have shut the agent until it is restarted."""
        with self.failures_lock:
            return self.failures >= defaults.SIGN_AGENT_PAIRING_FAILURES

    def paired(self, authorization: str | None) -> bool:
        """Whether the header carries this run's code (compared in constant time); each
        wrong code presented counts towards the lock-out, a missing one does not."""
        scheme, _, code = (authorization or "").strip().partition(" ")
        right = hmac.compare_digest(_pairing_key(code), _pairing_key(self.policy.pairing))
        with self.failures_lock:
            if self.failures >= defaults.SIGN_AGENT_PAIRING_FAILURES:
                return False
            if scheme.lower() == "bearer" and right:
                return True
            if authorization:
                self.failures += 1
                if self.failures == defaults.SIGN_AGENT_PAIRING_FAILURES:
                    log.warning("sign agent: too many wrong pairing codes, refusing everyone")
            return False


class _Handler(BaseHTTPRequestHandler):
    server: _AgentServer
    timeout = 30  # a connection that sends nothing does not hold a thread forever

    def log_message(self, format: str, *args: Any) -> None:  # stdlib name
        log.debug("agent: " + format, *args)

    def _allowed_origin(self) -> str | None:
        """The request's Origin when it is one the agent serves pages of."""
        origins = self.headers.get_all("Origin") or []
        if len(origins) == 1 and web_origin(origins[0]) in self.server.policy.origins:
            return web_origin(origins[0])
        return None

    def _reply(
        self, status: int, payload: dict[str, Any] | None, extra: dict[str, str] | None = None
    ) -> None:
        data = b"" if payload is None else json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        origin = self._allowed_origin()
        if origin is not None:
            self.send_header("Access-Control-Allow-Origin", origin)
        self.send_header("Vary", "Origin")
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        if payload is not None:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _host_refusal(self) -> tuple[int, str] | None:
        """A Host other than the agent's own loopback address (DNS rebinding), or an Origin
        outside the allowlist."""
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1 or hosts[0].strip().lower() not in self.server.hosts:
            return 403, "Host must be 127.0.0.1:PORT or localhost:PORT"
        if "Origin" in self.headers and self._allowed_origin() is None:
            return 403, "this page's origin may not use the signing agent"
        return None

    def _refusal(self, *, body: bool) -> tuple[int, str] | None:
        """Why this request is refused before it is read, or None (see the module docs)."""
        refusal = self._host_refusal()
        if refusal is not None:
            return refusal
        media_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if body and media_type != "application/json":
            return 415, "Content-Type must be application/json"
        if not self.server.paired(self.headers.get("Authorization")):
            if self.server.locked():
                return 401, "too many wrong pairing codes: the leader must restart the agent"
            return 401, "pairing code missing or wrong (the one the agent printed)"
        return None

    def do_OPTIONS(self) -> None:
        """A browser's CORS preflight, answered for the allowed origins only."""
        refusal = self._host_refusal()
        if refusal is None and self._allowed_origin() is None:
            refusal = 403, "a preflight comes from a page's origin"
        if refusal is not None:
            self._reply(refusal[0], {"error": refusal[1]})
            return
        extra = {
            "Access-Control-Allow-Methods": "GET, POST",
            "Access-Control-Allow-Headers": "Authorization, Content-Type",
            "Access-Control-Max-Age": "600",
        }
        if self.headers.get("Access-Control-Request-Private-Network") == "true":
            extra["Access-Control-Allow-Private-Network"] = "true"
        self._reply(204, None, extra)

    def do_GET(self) -> None:
        refusal = self._refusal(body=False)
        if refusal is not None:
            self._reply(refusal[0], {"error": refusal[1]})
            return
        if self.path != "/certificate":
            self._reply(404, {"error": "not found"})
            return
        try:
            certs = self.server.token.certificates()
        except TokenError as e:
            self._reply(503, {"error": e.message})
            return
        self._reply(
            200,
            {
                "certificates": [base64.b64encode(c.dump()).decode() for c in certs],
                "subject": certs[0].subject.human_friendly,
            },
        )

    def do_POST(self) -> None:
        refusal = self._refusal(body=True)
        if refusal is not None:
            self._reply(refusal[0], {"error": refusal[1]})
            return
        if self.path != "/sign":
            self._reply(404, {"error": "not found"})
            return
        length = self.headers.get("Content-Length", "")
        if not length.isdigit() or int(length) > MAX_BODY:
            self._reply(413, {"error": f"a body of at most {MAX_BODY} bytes, with its length"})
            return
        user_agent = clean_text(self.headers.get("User-Agent", ""))
        requester = Requester(self._allowed_origin(), user_agent)
        try:
            try:
                body = json.loads(self.rfile.read(int(length)))
            except (ValueError, UnicodeDecodeError) as e:
                raise BatchRejected(f"the body is not JSON ({e})") from e
            self._sign(decode_batch(body, requester))
        except BatchRejected as e:
            self._reply(400, {"error": e.message})

    def _sign(self, batch: SignBatch) -> None:
        """Sign (one batch at a time: one prompt on the terminal), journal, answer."""
        with self.server.sign_lock:
            try:
                signatures = self.server.token.sign(batch)
            except SigningDeclined as e:
                self._reply(403, {"error": e.message})
                return
            except SohoaError as e:
                self._reply(503, {"error": e.message})
                return
            try:
                append_journal(self.server.policy.journal, batch, datetime.now(UTC))
            except OSError as e:
                log.error("sign agent: journal %s not written: %s", self.server.policy.journal, e)
                self._reply(503, {"error": "the agent's journal cannot be written"})
                return
        payload = [base64.b64encode(s).decode() for s in signatures]
        self._reply(200, {"signatures": payload, "count": len(payload)})


def make_agent_server(token: SigningToken, policy: AgentPolicy, port: int) -> ThreadingHTTPServer:
    """The agent's HTTP server on 127.0.0.1 (never another interface: the token is the
    leader's, and only programs on the leader's computer may ask it to sign)."""
    return _AgentServer(token, policy, port)


@contextmanager
def running_agent(token: SigningToken, policy: AgentPolicy, port: int = 0) -> Iterator[str]:
    """The agent served in a thread for the block's duration; yields its URL."""
    server = make_agent_server(token, policy, port)
    thread = threading.Thread(target=server.serve_forever, name="sign-agent", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
