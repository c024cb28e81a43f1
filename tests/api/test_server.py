"""The protocol `sohoa serve` runs: every accepted TCP connection has Nagle's algorithm off,
also on a listening socket bound as uvicorn's multi-process supervisor binds it."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

from api.http.server import NoDelayH11Protocol


async def _app(scope: Any, receive: Any, send: Any) -> None:
    """Never called: the connections below send no request."""


async def _nodelay_of_accepted(protocol: type[H11Protocol]) -> int:
    """TCP_NODELAY on the server side of one connection accepted with `protocol`, on a
    listener made as uvicorn's `bind_socket` makes it (`proto` left at 0)."""
    config = uvicorn.Config(_app, http=protocol, log_level="warning")
    config.load()
    state = ServerState()
    made: list[H11Protocol] = []
    accepted = asyncio.Event()

    def factory() -> H11Protocol:
        made.append(protocol(config=config, server_state=state, app_state={}))
        accepted.set()
        return made[-1]

    with socket.socket(socket.AF_INET) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        server = await asyncio.get_running_loop().create_server(factory, sock=listener)
        _reader, writer = await asyncio.open_connection(*listener.getsockname())
        await accepted.wait()
        await asyncio.sleep(0)  # connection_made runs right after the factory
        value = (
            made[0]
            .transport.get_extra_info("socket")
            .getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        )
        writer.close()
        made[0].transport.close()
        server.close()
        await server.wait_closed()
    return int(value)


def test_every_accepted_connection_has_nagle_off_on_a_supervisor_bound_socket() -> None:
    # uvicorn's own protocol leaves it on there (uvicorn #3149): responses wait ~40 ms for a
    # delayed ACK on keep-alive connections. If this starts failing, uvicorn fixed it.
    assert asyncio.run(_nodelay_of_accepted(H11Protocol)) == 0
    assert asyncio.run(_nodelay_of_accepted(NoDelayH11Protocol)) != 0
