"""`sohoa backup OUT` and `sohoa restore IN`: everything sohoa keeps, out and back."""

from __future__ import annotations

from pathlib import Path

import click

from api.cli.output import print_json
from config.settings import get_settings


@click.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="The summary as one JSON object.")
def backup(out: Path, as_json: bool) -> None:
    """Write a consistent backup to OUT (a new or empty directory) while sohoa runs: the
    database (one snapshot), the blobs and both archive copies, as a BagIt bag with a
    SHA-256 manifest. Keep it on another disk or machine."""
    from storage.backup.snapshot import make_backup

    summary = make_backup(get_settings(), out.expanduser().resolve())
    if as_json:
        print_json(summary.to_dict())
        return
    click.echo(summary.path)
    click.echo(
        f"  {sum(summary.rows.values())} rows, {summary.blobs} blobs, "
        f"{summary.archive_files} archive files; audit trail "
        f"{'intact' if summary.audit_intact else 'BROKEN'}, "
        f"{summary.audit_entries} entries, head {summary.audit_head}"
    )


@click.command()
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="The summary as one JSON object.")
def restore(source: Path, as_json: bool) -> None:
    """Restore a backup onto a fresh deployment (the configured data directory, database,
    blob store and archive must all be empty), then check the audit trail and re-hash
    every archived package in both copies."""
    from storage.backup.restore import restore_backup

    summary = restore_backup(get_settings(), source.expanduser().resolve())
    if as_json:
        print_json(summary.to_dict())
        return
    click.echo(
        f"restored {sum(summary.rows.values())} rows, {summary.blobs} blobs, "
        f"{summary.archive_files} archive files; audit trail intact "
        f"({summary.audit_entries} entries); {summary.packages_checked} packages re-hashed, "
        f"{summary.fixity_findings} findings"
    )


def register(main: click.Group) -> None:
    """Add this module's commands to the CLI."""
    main.add_command(backup)
    main.add_command(restore)
