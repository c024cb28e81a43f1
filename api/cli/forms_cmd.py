"""`sohoa dossier form CODE --form 01..06` and `sohoa book`: the office's printable forms
(Circular 03/2025/TT-VPCP as reported; see digitize.forms)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from config.settings import get_settings

_OUT = click.Path(dir_okay=False, path_type=Path)
_SLUG = {
    "01": "tiep-nhan",
    "02": "bo-sung",
    "03": "tu-choi",
    "04": "xin-loi",
    "05": "dung",
    "06": "kiem-soat",
}


def _write(out: Path, pdf: bytes) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(pdf)
    click.echo(str(out))


@click.command("form")
@click.argument("code")
@click.option(
    "--form",
    "number",
    required=True,
    type=click.Choice(sorted(_SLUG)),
    help="01 receipt, 02 supplement request, 03 refusal, 04 apology with a new date, "
    "05 notice of stopping, 06 control slip.",
)
@click.option(
    "--out", type=_OUT, default=None, help="PDF to write [default: DATA/out/<code>-<form>.pdf]."
)
def form(code: str, number: str, out: Path | None) -> None:
    """Print one of the dossier's forms, from what its event log recorded."""
    from api.forms import dossier_form

    settings = get_settings()
    pdf = dossier_form(settings, code, number)
    _write(out or settings.data_path / "out" / f"{code}-{number}-{_SLUG[number]}.pdf", pdf)


@click.command("book")
@click.option("--unit", required=True, help="The unit (its code in the unit register).")
@click.option("--from", "start", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--to", "end", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option(
    "--out",
    type=_OUT,
    default=None,
    help="PDF to write [default: DATA/out/so-theo-doi-<unit>.pdf].",
)
def book(unit: str, start: datetime, end: datetime, out: Path | None) -> None:
    """Print the unit's tracking book (sổ theo dõi hồ sơ, form 07): one row per dossier it
    received or resolves, received between the two days (inclusive)."""
    from api.forms import tracking_book

    settings = get_settings()
    pdf = tracking_book(settings, unit, start.date(), end.date())
    name = f"so-theo-doi-{unit}-{start:%Y%m%d}-{end:%Y%m%d}.pdf"
    _write(out or settings.data_path / "out" / name, pdf)


def register(main: click.Group) -> None:
    """Add `book`, and `form` to the `dossier` group."""
    main.add_command(book)
    group = main.commands.get("dossier")
    if not isinstance(group, click.Group):
        raise RuntimeError("the dossier command group must be registered first")
    group.add_command(form)
