"""`sohoa inbox scan|watch|list|assign|split|rotate`: the folders office scanners save into,
and a clerk's work on the files no receipt filed (as the inbox page and /api/inbox do)."""

from __future__ import annotations

import threading

import click

from api.cli.actor import CLI_ACTOR
from api.cli.output import print_json
from config.settings import get_settings
from workers.connection import redis_connection


@click.group()
def inbox() -> None:
    """Stacks scanned to INBOX/<unit>/ (SOHOA_INBOX_DIR, default DATA/inbox): filed into
    their dossier by the receipt on top, or waiting for a clerk."""


def _print(outcome: dict[str, object], as_json: bool) -> None:
    if as_json:
        print_json(outcome)
        return
    where = f" -> {outcome['dossier_code']}" if outcome["dossier_code"] else ""
    why = f" ({outcome['reason']})" if outcome["reason"] else ""
    click.echo(f"{outcome['unit']}/{outcome['file']}: {outcome['status']}{where}{why}")


@inbox.command()
@click.option("--unit", help="Only this unit's folder [default: every unit's].")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file.")
def scan(unit: str | None, as_json: bool) -> None:
    """Take every file the scanners have finished writing, once (`sohoa serve` looks by
    itself every SOHOA_INBOX_SCAN_SECONDS)."""
    from api.inbox_watch import scan_once

    settings = get_settings()
    with redis_connection(settings) as conn:
        for outcome in scan_once(settings, conn, unit=unit):
            _print(outcome.to_dict(), as_json)


@inbox.command()
@click.option("--unit", help="Only this unit's folder [default: every unit's].")
@click.option("--every", default=5.0, show_default=True, help="Seconds between scans.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file.")
def watch(unit: str | None, every: float, as_json: bool) -> None:
    """Keep scanning the inbox until interrupted (`sohoa serve` does it already, every
    SOHOA_INBOX_SCAN_SECONDS: run this where no web server looks, with that set to 0)."""
    from api.inbox_watch import watch_inbox

    settings = get_settings()
    click.echo(f"watching {settings.inbox_path} every {every:g} s", err=True)
    with redis_connection(settings) as conn:
        try:
            watch_inbox(settings, conn, threading.Event(), every=every, unit=unit,
                        report=lambda outcome: _print(outcome.to_dict(), as_json))  # fmt: skip
        except KeyboardInterrupt:
            click.echo("stopped", err=True)


@inbox.command("list")
@click.option("--unit", help="Only this unit's items.")
@click.option("--all", "everything", is_flag=True, help="Filed and refused items too.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per item.")
def list_items(unit: str | None, everything: bool, as_json: bool) -> None:
    """The items waiting for a clerk to assign them (newest first)."""
    from api.inbox_views import listed_items

    for row in listed_items(get_settings(), unit, everything=everything):
        if as_json:
            print_json(row)
        else:
            why = f" ({row['reason']})" if row["reason"] else ""
            click.echo(f"[{row['id']}] {row['unit']}/{row['file']}: {row['status']}{why}")


@inbox.command()
@click.argument("item_id", type=int)
@click.argument("code")
@click.option("--cover-sheet", is_flag=True, help="Its first page is a receipt: skip it.")
@click.option("--component", "component_id", type=int, help="Into this component of the dossier.")
def assign(item_id: int, code: str, cover_sheet: bool, component_id: int | None) -> None:
    """File a waiting item into a dossier of its unit and queue its digitization."""
    from api.inbox import assign_item

    settings = get_settings()
    with redis_connection(settings) as conn:
        outcome = assign_item(
            settings, conn, item_id, code, cover_sheet=cover_sheet, actor=CLI_ACTOR,
            component_id=component_id,
        )  # fmt: skip
    print_json(outcome.to_dict())


@inbox.command()
@click.argument("item_id", type=int)
@click.option(
    "--at", "at", required=True, help="First page of each part: 3,5 (page 1 starts the first)."
)
def split(item_id: int, at: str) -> None:
    """Cut a waiting stack into several waiting files; the original is kept, marked split."""
    from api.inbox_edits import page_numbers, split_item

    for outcome in split_item(get_settings(), item_id, page_numbers(at), actor=CLI_ACTOR):
        print_json(outcome.to_dict())


@inbox.command()
@click.argument("item_id", type=int)
@click.argument("page", type=int)
@click.argument("degrees", type=click.Choice(["90", "180", "270"]))
def rotate(item_id: int, page: int, degrees: str) -> None:
    """Turn one page of a waiting file clockwise before it is assigned."""
    from api.inbox_edits import rotate_page

    print_json(rotate_page(get_settings(), item_id, page, int(degrees), actor=CLI_ACTOR).to_dict())


def register(main: click.Group) -> None:
    """Add this module's commands to the CLI."""
    main.add_command(inbox)
