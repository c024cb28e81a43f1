"""The leader's signing agent: a loopback HTTP service on the leader's computer, in front of
the leader's USB token, that signs digests (never documents) one batch per PIN entry.

Vietnamese e-government works this way: the leader's browser (or `sohoa dossier sign
--agent`) asks the agent on 127.0.0.1 for the certificate, the server prepares the
documents, the agent signs their digests with the token, the server finishes them.

    GET  /certificate  -> {"certificates": [base64 DER, signer first], "subject": "..."}
    POST /sign  {"md_algorithm": "sha256", "items": [{"name": "...", "digest": b64}]}
                -> {"signatures": [b64, ...]}
"""

from __future__ import annotations

import base64
import json
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import aiohttp
from asn1crypto import x509

from signing.errors import ServiceUnavailable, SigningFailed, TokenError
from signing.token import sign_digest, token_certificates, token_session

log = logging.getLogger(__name__)

MAX_BATCH = 500
"""Most digests one request may carry: a week of a leader's results, not a flood."""

DIGEST_SIZES = {"sha256": 32, "sha384": 48, "sha512": 64}
"""Digest algorithms the agent signs, with their sizes (anything else is refused)."""


@dataclass(frozen=True)
class AgentToken:
    """The leader's token as the agent sees it."""

    module: Path
    token_label: str
    key_label: str
    cert_label: str | None
    pin: Callable[[list[str]], str]
    """Asked once per batch, with the names of the documents, for the PIN (a prompt on the
    leader's terminal, or a secret in unattended tests)."""

    def certificates(self) -> list[x509.Certificate]:
        """The signer's certificate first, then the other certificates on the token (read
        without logging in: certificates are public)."""
        with token_session(self.module, self.token_label, None) as session:
            return token_certificates(session, self.cert_label or self.key_label)

    def sign(self, md_algorithm: str, items: Sequence[tuple[str, bytes]]) -> list[bytes]:
        """One login, every digest signed."""
        names = [name for name, _ in items]
        with token_session(self.module, self.token_label, self.pin(names)) as session:
            log.info("signing %d digests: %s", len(items), ", ".join(names))
            return [sign_digest(session, self.key_label, d, md_algorithm) for _, d in items]


def _decode_batch(body: dict[str, Any]) -> tuple[str, list[tuple[str, bytes]]]:
    algorithm = str(body.get("md_algorithm", ""))
    if algorithm not in DIGEST_SIZES:
        raise ValueError(f"digest algorithm {algorithm!r} is not one the agent signs")
    items = body.get("items")
    if not isinstance(items, list) or not 0 < len(items) <= MAX_BATCH:
        raise ValueError(f"a batch holds 1 to {MAX_BATCH} items")
    decoded = []
    for item in items:
        digest = base64.b64decode(str(item["digest"]), validate=True)
        if len(digest) != DIGEST_SIZES[algorithm]:
            raise ValueError("a digest has the wrong length for its algorithm")
        decoded.append((str(item.get("name", "?"))[:200], digest))
    return algorithm, decoded


class _Handler(BaseHTTPRequestHandler):
    token: AgentToken

    def log_message(self, format: str, *args: Any) -> None:  # stdlib name
        log.debug("agent: " + format, *args)

    def _reply(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path != "/certificate":
            self._reply(404, {"error": "not found"})
            return
        try:
            certs = self.token.certificates()
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
        if self.path != "/sign":
            self._reply(404, {"error": "not found"})
            return
        try:
            length = min(int(self.headers.get("Content-Length", "0")), 4_000_000)
            algorithm, items = _decode_batch(json.loads(self.rfile.read(length)))
        except (ValueError, KeyError, TypeError) as e:
            self._reply(400, {"error": f"bad request: {e}"})
            return
        try:
            signatures = self.token.sign(algorithm, items)
        except TokenError as e:
            self._reply(503, {"error": e.message})
            return
        self._reply(200, {"signatures": [base64.b64encode(s).decode() for s in signatures]})


def make_agent_server(token: AgentToken, port: int) -> ThreadingHTTPServer:
    """The agent's HTTP server on 127.0.0.1 (never another interface: the token is the
    leader's, and only programs on the leader's computer may ask it to sign)."""
    handler = type("AgentHandler", (_Handler,), {"token": token})
    return ThreadingHTTPServer(("127.0.0.1", port), handler)


@contextmanager
def running_agent(token: AgentToken, port: int = 0) -> Iterator[str]:
    """The agent served in a thread for the block's duration; yields its URL."""
    server = make_agent_server(token, port)
    thread = threading.Thread(target=server.serve_forever, name="sign-agent", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


class AgentClient:
    """The server's side of the conversation with a leader's agent."""

    def __init__(self, url: str, session: aiohttp.ClientSession, timeout: float) -> None:
        self.url = url.rstrip("/")
        self.session = session
        self.timeout = aiohttp.ClientTimeout(total=timeout)

    async def _call(self, method: str, path: str, body: object = None) -> dict[str, Any]:
        try:
            async with self.session.request(
                method, self.url + path, json=body, timeout=self.timeout
            ) as response:
                payload: dict[str, Any] = await response.json()
                if response.status != 200:
                    raise SigningFailed(f"signing agent at {self.url}: {payload.get('error')}")
                return payload
        except (aiohttp.ClientError, TimeoutError) as e:
            raise ServiceUnavailable(f"signing agent at {self.url} does not answer: {e}") from e

    async def certificates(self) -> list[x509.Certificate]:
        """The leader's certificate first, then its chain."""
        payload = await self._call("GET", "/certificate")
        return [x509.Certificate.load(base64.b64decode(c)) for c in payload["certificates"]]

    async def sign(self, md_algorithm: str, items: Sequence[tuple[str, bytes]]) -> list[bytes]:
        """The token's signatures of the digests, in order (one PIN entry on the agent)."""
        body = {
            "md_algorithm": md_algorithm,
            "items": [{"name": n, "digest": base64.b64encode(d).decode()} for n, d in items],
        }
        payload = await self._call("POST", "/sign", body)
        signatures = [base64.b64decode(s) for s in payload["signatures"]]
        if len(signatures) != len(items):
            raise SigningFailed(f"signing agent at {self.url} returned a short batch")
        return signatures
