"""`sohoa audit verify`: checking that the event log's hash chain holds."""

from __future__ import annotations

import click

from api.cli.output import print_json
from config.errors import AuditTrailBroken
from config.settings import get_settings


@click.group()
def audit() -> None:
    """The audit trail: the append-only, hash-chained event log."""


@audit.command("verify")
@click.option("--json", "as_json", is_flag=True, help="The report as one JSON object.")
def verify(as_json: bool) -> None:
    """Recompute every event's digest in order and check each link to the one before.
    Exits 0 when the chain holds, 1 naming the first entry that does not (deleted,
    edited or moved entries); prints the head digest to keep elsewhere as an anchor."""
    from api.office_views import audit_trail

    report = audit_trail(get_settings())
    if as_json:
        print_json(report.to_dict())
    elif report.ok:
        click.echo(f"audit trail intact: {report.entries} entries, head {report.head}")
    else:
        click.echo(
            f"audit trail BROKEN at event {report.broken_id}: {report.reason} "
            f"({report.entries} entries before it hold)"
        )
    if not report.ok:
        raise AuditTrailBroken(f"event {report.broken_id}: {report.reason}")


def register(main: click.Group) -> None:
    """Add this module's commands to the CLI."""
    main.add_command(audit)
