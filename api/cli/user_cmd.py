"""`sohoa user add|list`: accounts of the web service, the first admin among them."""

from __future__ import annotations

import os

import click

from api.cli.actor import CLI_ACTOR
from api.cli.output import print_json
from config.settings import get_settings

ROLES = ("clerk", "leader", "archivist", "admin")


@click.group()
def user() -> None:
    """Accounts of the web service (`sohoa serve`)."""


@user.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the user does.")
@click.option("--unit", help="The user's unit [default: SOHOA_UNIT_CODE].")
@click.option("--name", "full_name", help="Full name as shown on pages [default: USERNAME].")
@click.option("--signer-profile", help="For a leader: the signer profile they sign with.")
@click.option(
    "--password-env",
    default="SOHOA_NEW_PASSWORD",
    show_default=True,
    help="Variable holding the password; unset: asked for on the terminal (twice).",
)
def add(
    *,
    username: str,
    role: str,
    unit: str | None,
    full_name: str | None,
    signer_profile: str | None,
    password_env: str,
) -> None:
    """Make an account; `sohoa user add admin --role admin` makes the first admin, who then
    makes the others on the web pages."""
    from api.accounts import create_user
    from storage.enums import UserRole

    settings = get_settings()
    password = os.environ.get(password_env) or click.prompt(
        "Mật khẩu", hide_input=True, confirmation_prompt=True
    )
    made = create_user(
        settings,
        username=username,
        password=password,
        full_name=full_name or username,
        role=UserRole(role),
        unit_code=unit or settings.unit_code,
        signer_profile=signer_profile,
        actor=CLI_ACTOR,
    )
    click.echo(f"Đã tạo tài khoản {made.username} ({made.role.value}, {made.unit_code})")


@user.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per account.")
def list_users(as_json: bool) -> None:
    """Every account: name, role, unit, signer profile, active."""
    from storage.accounts import list_users as stored_users
    from storage.db import open_database

    with open_database(get_settings()).session(readonly=True) as session:
        rows = [
            {
                "username": u.username,
                "full_name": u.full_name,
                "role": u.role.value,
                "unit": u.unit_code,
                "signer_profile": u.signer_profile,
                "active": u.active,
            }
            for u in stored_users(session)
        ]
    for row in rows:
        if as_json:
            print_json(row)
        else:
            profile = f" [{row['signer_profile']}]" if row["signer_profile"] else ""
            click.echo(f"{row['username']}: {row['role']}, {row['unit']}{profile}")


def register(main: click.Group) -> None:
    """Add this module's commands to the CLI."""
    main.add_command(user)
