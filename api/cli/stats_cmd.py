"""`sohoa stats`: the national index's figures per unit and month, sohoa's and the portal's."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Any

import click

from api.cli.output import print_json
from config import labels
from config.catalogue import get_catalogue
from config.settings import get_settings
from config.units import unit_name


def _cell(rate: dict[str, Any]) -> str:
    value = "-" if rate["rate"] is None else f"{rate['rate'] * 100:.2f}%"
    return f"{rate['numerator']}/{rate['denominator']} ({value})"


def _unit_for(username: str, asked: str | None) -> str | None:
    """The unit the account may read figures of, as the web's policy says (NotFound for an
    account that does not exist or is inactive, or for another unit than a leader's own)."""
    from api.accounts import active_principal
    from api.http.policy import Action, asked_unit

    return asked_unit(active_principal(get_settings(), username), Action.STATS_READ, asked)


def _write_csv(rows: list[dict[str, Any]]) -> None:
    from api.office_views import figures_csv

    sys.stdout.write(figures_csv(rows))


def _unit(code: str) -> str:
    """The unit's name as printed ("*", the total, stays)."""
    return unit_name(get_catalogue().units, code)


def _print_text(rows: list[dict[str, Any]]) -> None:
    click.echo("Đơn vị · tháng: " + " · ".join(labels.RATES_SHORT.values()))
    for row in rows:
        cells = " · ".join(f"{_cell(row[name])}" for name in labels.RATES_SHORT)
        click.echo(f"{_unit(row['unit'])} · {row['month']}: {cells}")
    click.echo(f"{labels.PORTAL_HEADING}:")
    for row in rows:
        portal = row["portal"]
        figures = labels.PORTAL_FIGURES.items()
        cells = " · ".join(f"{title} {_cell(portal[name])}" for name, title in figures)
        liked = portal["satisfaction"]
        mood = "-" if liked is None else f"{liked * 100:.2f}%"
        click.echo(f"{_unit(row['unit'])} · {row['month']}: {cells} · {labels.SATISFACTION} {mood}")


@click.command()
@click.option("--unit", help="Only this unit's dossiers.")
@click.option(
    "--by",
    type=click.Choice(["competent", "receiving"]),
    default="competent",
    show_default=True,
    help="Group by the competent unit or the receiving centre.",
)
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), help="From this day.")
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), help="To this day (included).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per unit and month.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV with a header line.")
@click.option(
    "--as",
    "as_user",
    metavar="USERNAME",
    help="Only what this account may see (a leader: their own unit) [default: the operator's "
    "view, every unit].",
)
def stats(
    *,
    unit: str | None,
    by: str,
    date_from: datetime | None,
    date_to: datetime | None,
    as_json: bool,
    as_csv: bool,
    as_user: str | None,
) -> None:
    """The national index's figures (Decision 766/QĐ-TTg) per unit and month, each as
    numerator/denominator, in two sets: sohoa's stricter ones (digitization, electronic
    result, reuse, on time: received dossiers count in their month of reception, finished
    ones in the month their result was returned) and the national portal's, computed as it
    does from synced data (storage.portal; on time judged when processing finished, open
    dossiers past their appointment late, supplement time subtracted; channels, online
    payment, satisfaction). The last row, unit "*" and month "*", is the whole selection.
    With --json, one line per row: unit, month, per sohoa rate {numerator, denominator,
    rate}, and "portal" with the portal's figures.
    With --as, the web's policy applies: a leader's figures are their own unit's, another
    unit is not found.
    """
    from api.office_views import figures_view

    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    if as_user is not None:
        unit = _unit_for(as_user, unit)
    rows = figures_view(
        get_settings(),
        by=by,
        unit=unit,
        start=date_from.date() if date_from else None,
        end=date_to.date() if date_to else None,
    )
    if as_json:
        for row in rows:
            print_json(row)
    elif as_csv:
        _write_csv(rows)
    else:
        _print_text(rows)


def register(main: click.Group) -> None:
    """Add `stats` to the command line."""
    main.add_command(stats)
