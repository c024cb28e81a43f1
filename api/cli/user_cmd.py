"""`sohoa user add|list|deactivate|activate|password`: accounts of the web service, the first
admin among them; and the way back in when the only admin is locked out."""

from __future__ import annotations

import os

import click

from api.cli.actor import CLI_ACTOR
from api.cli.output import more_rows, paged, print_json
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
@paged("Accounts")
def list_users(as_json: bool, cursor: int | None, limit: int) -> None:
    """The accounts by unit then name, a page at a time (as /admin and GET /api/users):
    name, role, unit, signer profile, active; the next page's cursor on stderr."""
    from api.accounts import users_page

    found = users_page(get_settings(), cursor=cursor, limit=limit)
    for row in found.rows:
        if as_json:
            print_json(row)
        else:
            profile = f" [{row['signer_profile']}]" if row["signer_profile"] else ""
            click.echo(f"{row['username']}: {row['role']}, {row['unit']}{profile}")
    more_rows(found.next_cursor)


@user.command("deactivate")
@click.argument("username")
def deactivate(username: str) -> None:
    """Disable an account: its sessions and tokens stop working at once."""
    from api.accounts import set_user_active

    set_user_active(get_settings(), username, False, actor=CLI_ACTOR)
    click.echo(f"Đã vô hiệu hóa tài khoản {username}")


@user.command("activate")
@click.argument("username")
def activate(username: str) -> None:
    """Enable a disabled account again (it signs in anew)."""
    from api.accounts import set_user_active

    set_user_active(get_settings(), username, True, actor=CLI_ACTOR)
    click.echo(f"Đã kích hoạt lại tài khoản {username}")


@user.command("password")
@click.argument("username")
@click.option(
    "--password-env",
    default="SOHOA_NEW_PASSWORD",
    show_default=True,
    help="Variable holding the new password; unset: asked for on the terminal (twice).",
)
def password(username: str, password_env: str) -> None:
    """Set an account's password (a forgotten one, the only admin's included); every
    session and token of the user ends."""
    from api.accounts import reset_password

    new = os.environ.get(password_env) or click.prompt(
        "Mật khẩu mới", hide_input=True, confirmation_prompt=True
    )
    ended = reset_password(get_settings(), username, new, actor=CLI_ACTOR)
    click.echo(f"Đã đặt mật khẩu mới cho {username} ({ended} phiên đăng nhập đã đóng)")


def register(main: click.Group) -> None:
    """Add this module's commands to the CLI."""
    main.add_command(user)
