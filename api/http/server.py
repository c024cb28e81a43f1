"""The HTTP protocol `sohoa serve` gives uvicorn: h11, with Nagle's algorithm off on every
connection, whichever way the listening socket was made.

uvicorn sends a response's head and body in two writes. With `--workers N` (N > 1) it binds
the listening socket itself with `proto` 0, so asyncio, which turns TCP_NODELAY on only for
sockets reporting IPPROTO_TCP, leaves Nagle on: on a keep-alive connection the body then
waits for the client's delayed ACK of the head, about 40 ms on Linux, on every request after
the first (uvicorn issue #3149, open for 0.54). Measured here: a JSON read answered in
~48 ms wall for ~5 ms of server CPU with 2 processes, ~4 ms with 1. Setting the option on
each accepted connection fixes every binding path, the supervisor's included.
"""

from __future__ import annotations

import asyncio
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol


def set_nodelay(transport: asyncio.BaseTransport) -> bool:
    """Turn Nagle's algorithm off on a TCP transport's socket; whether it is a TCP socket."""
    sock = transport.get_extra_info("socket")
    if sock is None or sock.family not in (socket.AF_INET, socket.AF_INET6):
        return False  # a unix socket (`--uds`) or a test transport: nothing to tune
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return True


class NoDelayH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, with TCP_NODELAY set as each connection is accepted."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Set TCP_NODELAY, then let h11 take the connection."""
        set_nodelay(transport)
        super().connection_made(transport)
