"""A small remote signing service speaking the CSC API v1, holding a test PKI key, on
loopback: the remote-signer plug point is tested against a real HTTP round trip."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from asn1crypto import pem
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils
from cryptography.hazmat.primitives.serialization import load_pem_private_key

SHA256_RSA = "1.2.840.113549.1.1.11"
TOKEN = "bearer-token-for-tests"
PIN = "1357"


class _Handler(BaseHTTPRequestHandler):
    key: rsa.RSAPrivateKey
    certs: list[bytes]
    calls: list[str]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _json(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.calls.append(self.path)
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            self._json(401, {"error": "invalid_token"})
        elif self.path == "/csc/v1/credentials/info":
            self._json(
                200,
                {
                    "key": {"status": "enabled", "algo": [SHA256_RSA], "len": 2048},
                    "cert": {
                        "status": "valid",
                        "certificates": [base64.b64encode(c).decode() for c in self.certs],
                    },
                    "multisign": 1000,
                    "authMode": "explicit",
                    "SCAL": "1",
                },
            )
        elif self.path == "/csc/v1/credentials/authorize":
            ok = body.get("PIN") == PIN
            self._json(
                200 if ok else 400,
                {"SAD": "sad-1", "expiresIn": 300} if ok else {"error": "invalid_pin"},
            )
        elif self.path == "/csc/v1/signatures/signHash":
            if body.get("SAD") != "sad-1" or body.get("signAlgo") != SHA256_RSA:
                self._json(400, {"error": "invalid_request"})
                return
            signatures = [
                self.key.sign(
                    base64.b64decode(h), padding.PKCS1v15(), utils.Prehashed(hashes.SHA256())
                )
                for h in body["hash"]
            ]
            self._json(200, {"signatures": [base64.b64encode(s).decode() for s in signatures]})
        else:
            self._json(404, {"error": "not_found"})


@contextmanager
def csc_service(key_path: Path, cert_paths: list[Path]) -> Iterator[tuple[str, list[str]]]:
    """The service on 127.0.0.1; yields its URL and the list of paths it was called on."""
    key = load_pem_private_key(key_path.read_bytes(), None)
    assert isinstance(key, rsa.RSAPrivateKey)
    calls: list[str] = []
    handler = type(
        "CscHandler",
        (_Handler,),
        {"key": key, "certs": [pem.unarmor(p.read_bytes())[2] for p in cert_paths], "calls": calls},
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", calls
    finally:
        server.shutdown()
        server.server_close()
