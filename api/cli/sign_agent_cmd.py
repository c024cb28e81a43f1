"""`sohoa sign-agent`: the leader's signing agent, PKCS#11 to the leader's own token."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import click

from config import defaults
from config.errors import InvalidRequest
from config.settings import get_settings

TEST_MODE = "SOHOA_TESTING"
"""The variable (set to 1) that allows `--pin-env`: only test suites set it. A PIN in the
environment could be read by any program the leader runs, and a prompt-less agent signs
whatever its pairing-code holder sends, so an agent in use always asks the leader."""


def _state_dir() -> Path:
    """Where the agent keeps its journal: $XDG_STATE_HOME/sohoa-sign-agent, or
    ~/.local/state/sohoa-sign-agent."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "sohoa-sign-agent"


def _pin_source(pin_env: str | None) -> Callable[[str], str]:
    """The PIN per batch: asked on this terminal under the batch the agent will sign (an
    empty PIN declines), or, in test mode only, from a variable."""

    def ask(prompt: str) -> str:
        click.echo(prompt, err=True)
        if pin_env is not None:
            return os.environ.get(pin_env, "")
        text = "Mã PIN của thiết bị ký số (để trống: từ chối)"
        return str(click.prompt(text, hide_input=True, default="", show_default=False, err=True))

    return ask


def _check_pin_env(pin_env: str | None) -> None:
    if pin_env is None:
        return
    if os.environ.get(TEST_MODE) != "1":
        raise InvalidRequest(
            f"--pin-env is for test suites only ({TEST_MODE}=1): the agent asks the leader "
            "for the PIN under each batch"
        )
    if pin_env not in os.environ:
        raise InvalidRequest(f"--pin-env {pin_env}: the variable is not set")


@click.command("sign-agent")
@click.option("--token-label", required=True, help="Label of the leader's token.")
@click.option("--key-label", required=True, help="Label of the signing key on the token.")
@click.option("--cert-label", help="Label of its certificate [default: the key's label].")
@click.option(
    "--module",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The token's PKCS#11 library [default: $SOHOA_PKCS11_MODULE].",
)
@click.option(
    "--port",
    type=int,
    default=defaults.SIGN_AGENT_PORT,
    show_default=True,
    envvar="SOHOA_SIGN_AGENT_PORT",
    help="Loopback port (the server's SOHOA_SIGN_AGENT_PORT: the port its pages call).",
)
@click.option(
    "--allow-origin",
    "origins",
    multiple=True,
    help="A web origin whose pages may ask for signatures (repeatable) "
    "[default: the origin of $SOHOA_PUBLIC_URL].",
)
@click.option(
    "--state-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="SOHOA_SIGN_AGENT_DIR",
    help="Where the journal of signed batches is kept [default: ~/.local/state/sohoa-sign-agent].",
)
@click.option(
    "--pin-env",
    help=f"Read the PIN from this variable instead of asking: test suites only ({TEST_MODE}=1).",
)
def sign_agent(
    *,
    token_label: str,
    key_label: str,
    cert_label: str | None,
    module: Path | None,
    port: int,
    origins: tuple[str, ...],
    state_dir: Path | None,
    pin_env: str | None,
) -> None:
    """Serve the leader's token on 127.0.0.1 to whoever shows this run's pairing code: the
    server sends each document's signed attributes, the leader sees the titles and count and
    types the PIN once per batch. Documents never leave the server."""
    from signing.agent import (
        AgentPolicy,
        AgentToken,
        make_agent_server,
        new_pairing_code,
        web_origin,
    )

    _check_pin_env(pin_env)
    settings = get_settings()
    allowed = frozenset(web_origin(o) for o in origins or (settings.public_url,)) - {""}
    journal = (state_dir or _state_dir()) / "signed.jsonl"
    token = AgentToken(
        module=module or settings.pkcs11_module,
        token_label=token_label,
        key_label=key_label,
        cert_label=cert_label,
        pin=_pin_source(pin_env),
    )
    policy = AgentPolicy(pairing=new_pairing_code(), journal=journal, origins=allowed)
    server = make_agent_server(token, policy, port)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    click.echo(f"Mã ghép nối (pairing code): {policy.pairing}", err=True)
    click.echo(f"Trang được phép: {', '.join(sorted(allowed)) or '(không có)'}", err=True)
    click.echo(f"Nhật ký ký: {journal}", err=True)
    click.echo(f"signing agent on {url}", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def register(main: click.Group) -> None:
    """Add this module's commands to the CLI."""
    main.add_command(sign_agent)
