"""`sohoa exchange`: data exchange with provincial one-stop systems (feed and webhooks)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from api.cli.output import print_json
from config.errors import InvalidRequest
from config.settings import get_settings

SECRET_ENV = "SOHOA_WEBHOOK_SECRET"  # noqa: S105  # the variable's name, not a secret


def _secret(secret_file: Path | None) -> str:
    """The shared secret from the file, else from $SOHOA_WEBHOOK_SECRET; InvalidRequest if
    neither gives one."""
    secret = secret_file.read_text(encoding="utf-8").strip() if secret_file else None
    secret = secret or os.environ.get(SECRET_ENV, "")
    if not secret:
        raise InvalidRequest(f"give the shared secret in --secret-file or ${SECRET_ENV}")
    return secret


@click.group()
def exchange() -> None:
    """Publish every state change of a dossier to provincial systems: a JSON feed they pull
    and signed webhooks they receive (HMAC-SHA256, retried with backoff, logged)."""


@exchange.command("add-endpoint")
@click.argument("name")
@click.argument("url")
@click.option("--secret-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help=f"File holding the shared HMAC secret [default: ${SECRET_ENV}].")  # fmt: skip
def add_endpoint_cmd(name: str, url: str, secret_file: Path | None) -> None:
    """Register a receiver; it gets every message from now on (earlier ones: the feed)."""
    from api.office_views import add_receiver

    add_receiver(get_settings(), name=name, url=url, secret=_secret(secret_file))
    click.echo(f"{name}: {url}")


@exchange.command("set-secret")
@click.argument("name")
@click.option("--secret-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help=f"File holding the new HMAC secret [default: ${SECRET_ENV}].")  # fmt: skip
def set_secret_cmd(name: str, secret_file: Path | None) -> None:
    """Give a receiver a new secret and make it active (a restored one has none: backups
    do not hold webhook secrets)."""
    from api.office_views import set_receiver_secret

    set_receiver_secret(get_settings(), name, _secret(secret_file))
    click.echo(f"{name}: khóa bí mật mới, đang hoạt động")


@exchange.command("feed")
@click.option("--after", default=0, show_default=True, help="Cursor: the last event id you have.")
@click.option("--limit", default=100, show_default=True, help="Most messages.")
def feed_cmd(after: int, limit: int) -> None:
    """Messages after the cursor, one JSON object per line; then {"next": CURSOR}."""
    from api.office_views import feed_view

    view = feed_view(get_settings(), after=after, limit=limit)
    for message in view["messages"]:
        print_json(message)
    print_json({"next": view["next"]})


@exchange.command("token")
@click.argument("unit")
@click.option("--account", help="The system's account name [default: lien-thong-UNIT].")
def token_cmd(unit: str, account: str | None) -> None:
    """Issue a bearer token for the provincial system pulling UNIT's feed over HTTP (GET
    /api/exchange/feed, POST /api/exchange/ack, the files the feed links; every other route
    refuses it). Makes the system's account (role exchange, no password) the first time.
    The token is printed once, on stdout; end it with `sohoa user deactivate ACCOUNT`."""
    from api.cli.actor import CLI_ACTOR
    from api.exchange_views import exchange_token

    name = account or f"lien-thong-{unit}"
    issued = exchange_token(get_settings(), unit=unit, username=name, actor=CLI_ACTOR)
    click.echo(issued.token)
    click.echo(f"{name} ({unit}): hết hạn {issued.expires_at.isoformat(timespec='minutes')}",
               err=True)  # fmt: skip


@exchange.command("deliver")
def deliver_cmd() -> None:
    """One delivery round now (the `webhooks` workers do this every few seconds)."""
    from workers.webhooks import deliver_due

    outcome = deliver_due(get_settings())
    click.echo(f"delivered {outcome.delivered}, failed {outcome.failed}")


@exchange.command("log")
@click.option("--limit", default=20, show_default=True, help="Latest tries per endpoint.")
def log_cmd(limit: int) -> None:
    """The delivery log: per endpoint, delivered and pending messages, the latest tries."""
    from api.office_views import deliveries_view

    print_json(deliveries_view(get_settings(), limit=limit))


@exchange.command("schema")
def schema_cmd() -> None:
    """The JSON Schema of the sync message ("sync" in every message: dossier code, units,
    dates, channel, digitized and reused components, result, end state)."""
    from storage.sync_message import sync_schema

    print_json(sync_schema())


def register(main: click.Group) -> None:
    """Add `exchange` to the command line."""
    main.add_command(exchange)
