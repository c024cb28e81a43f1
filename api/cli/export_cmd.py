"""`sohoa export CODE --out DIR`: an archived record's access copy, as a BagIt bag."""

from __future__ import annotations

import getpass
from pathlib import Path

import click

from api.cli.output import print_json
from config.settings import get_settings


@click.command()
@click.argument("code")
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory to write the bag to (new, or empty).",
)
@click.option("--reason", required=True, help="Why the record is retrieved (logged).")
@click.option("--by", help="Who retrieves it [default: the account running sohoa].")
@click.option("--combined", is_flag=True, help="Also one PDF of the whole record, in time order.")
@click.option("--version", "version", type=int, help="An earlier version of the record.")
@click.option("--json", "as_json", is_flag=True, help="The access copy as one JSON object.")
def export(
    *,
    code: str,
    out: Path,
    reason: str,
    by: str | None,
    combined: bool,
    version: int | None,
    as_json: bool,
) -> None:
    """Write an archived record's access copy: its PDFs (read back from the archive and
    checked against their sealed digests) and a metadata summary, as a BagIt bag. Who,
    when and why are logged on the record."""
    from api.archive_service import access_copy

    copy = access_copy(
        get_settings(),
        code,
        out.expanduser().resolve(),
        by=(by or getpass.getuser()),
        reason=reason,
        combined=combined,
        version=version,
    )
    if as_json:
        print_json(copy.to_dict())
        return
    click.echo(copy.path)
    for name in copy.files:
        click.echo(f"  {name}")


def register(main: click.Group) -> None:
    """Add this module's commands to the CLI."""
    main.add_command(export)
