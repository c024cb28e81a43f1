"""Security headers on every response: what a browser may load, run and frame on our
origin, and how it must treat the files we hand out.

Pages run only scripts and styles served from /static (the templates carry no inline script
or style), frame nothing but our own PDFs and are framed by no one. A file a citizen or clerk
uploaded is never rendered in our origin: it is sent as an attachment with a sandboxing
policy, so an HTML, SVG or PDF with script cannot act with a signed-in user's session.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
"""Every response but the ones below, with connect_policy's connect-src."""


def connect_policy(agent_port: int) -> str:
    """Where a page's script may connect: our origin, and the leader's sign agent on
    this computer's loopback (the leader inbox talks to it; the agent itself refuses any
    page whose origin it was not told, and any request without its pairing code)."""
    agent = f"http://127.0.0.1:{agent_port} http://localhost:{agent_port}"
    return f"connect-src 'self' {agent}"


DOCS_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
"""The /docs and /redoc pages (api.http.docs): scripts only from /static (the vendored
Swagger UI and ReDoc, our own initializer), as every page; but both libraries set inline
styles, and ReDoc searches in a worker made from a blob. They show the schema, no record."""

FRAMED_PDF_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'self'",
    "X-Frame-Options": "SAMEORIGIN",
}
"""A PDF sohoa made (searchable PDF/A, signed result) shown inside our own pages' frames."""

UPLOADED_FILE_HEADERS = {
    "Content-Security-Policy": "sandbox; default-src 'none'; frame-ancestors 'none'",
}
"""An original as uploaded: downloaded, never run; if a browser shows it anyway, it is in a
sandbox (an opaque origin, no script) and cannot be framed."""

COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
"""Sent on every response unless the route set its own value."""


class SecurityHeaders:
    """ASGI middleware adding COMMON and a Content-Security-Policy to each response, keeping
    any a route set itself (FRAMED_PDF_HEADERS, UPLOADED_FILE_HEADERS)."""

    def __init__(self, app: ASGIApp, agent_port: int) -> None:
        self.app = app
        self.page_policy = f"{PAGE_POLICY}; {connect_policy(agent_port)}"

    def _policy(self, path: str) -> str:
        return DOCS_POLICY if path in ("/docs", "/redoc") else self.page_policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers as the response starts."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = self._policy(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", policy)
                for name, value in COMMON.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
