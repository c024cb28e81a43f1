"""`sohoa sign-agent`: the leader's signing agent, PKCS#11 to the leader's own token."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import click

from config import defaults
from config.errors import InvalidRequest
from config.settings import get_settings

_lock = threading.Lock()


def _pin_source(pin_env: str | None) -> object:
    """The PIN per batch: from a variable (unattended), or asked on this terminal."""

    def ask(names: list[str]) -> str:
        if pin_env is not None:
            if pin_env not in os.environ:
                raise InvalidRequest(f"--pin-env {pin_env}: the variable is not set")
            return os.environ[pin_env]
        with _lock:
            if names:
                click.echo(f"Ký {len(names)} văn bản: {', '.join(names[:10])}", err=True)
            return str(click.prompt("Mã PIN của thiết bị ký số", hide_input=True, err=True))

    return ask


@click.command("sign-agent")
@click.option("--token-label", required=True, help="Label of the leader's token.")
@click.option("--key-label", required=True, help="Label of the signing key on the token.")
@click.option("--cert-label", help="Label of its certificate [default: the key's label].")
@click.option(
    "--module",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The token's PKCS#11 library [default: $SOHOA_PKCS11_MODULE].",
)
@click.option("--port", type=int, default=defaults.SIGN_AGENT_PORT, show_default=True)
@click.option(
    "--pin-env", help="Read the PIN from this variable instead of asking (unattended tests)."
)
def sign_agent(
    *,
    token_label: str,
    key_label: str,
    cert_label: str | None,
    module: Path | None,
    port: int,
    pin_env: str | None,
) -> None:
    """Serve the leader's token on 127.0.0.1: the server sends digests, the token signs
    them, one PIN entry per batch. Documents never leave the server."""
    from signing.agent import AgentToken, make_agent_server

    token = AgentToken(
        module=module or get_settings().pkcs11_module,
        token_label=token_label,
        key_label=key_label,
        cert_label=cert_label,
        pin=_pin_source(pin_env),  # type: ignore[arg-type]
    )
    server = make_agent_server(token, port)
    click.echo(f"signing agent on http://127.0.0.1:{server.server_address[1]}", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def register(main: click.Group) -> None:
    """Add this module's commands to the CLI."""
    main.add_command(sign_agent)
