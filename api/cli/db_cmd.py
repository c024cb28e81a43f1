"""`sohoa db upgrade`: bringing the database schema to the latest migration."""

from __future__ import annotations

import click

from config.settings import get_settings
from storage.db import open_database


@click.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
def upgrade() -> None:
    """Apply pending migrations (sohoa also does this on first use)."""
    database = open_database(get_settings(), migrate=False)
    database.upgrade()
    click.echo(f"database at the latest schema ({database.dialect})")


def register(main: click.Group) -> None:
    """Add this module's commands to the CLI."""
    main.add_command(db)
