"""`sohoa stats`: the national index's digitization figures per unit and month."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Any

import click

from api.cli.output import print_json
from config.settings import get_settings

_TITLES_VI = {
    "digitization": "Số hóa",
    "electronic_result": "Kết quả điện tử",
    "reuse": "Tái sử dụng",
    "on_time": "Đúng hạn",
}


def _cell(rate: dict[str, Any]) -> str:
    value = "-" if rate["rate"] is None else f"{rate['rate'] * 100:.2f}%"
    return f"{rate['numerator']}/{rate['denominator']} ({value})"


def _write_csv(rows: list[dict[str, Any]]) -> None:
    from api.views import stats_csv

    sys.stdout.write(stats_csv(rows))


@click.command()
@click.option("--unit", help="Only this unit's dossiers.")
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), help="From this day.")
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), help="To this day (included).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per unit and month.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV with a header line.")
def stats(
    unit: str | None,
    date_from: datetime | None,
    date_to: datetime | None,
    as_json: bool,
    as_csv: bool,
) -> None:
    """Digitization, electronic result, reuse and on-time rates per unit and month, each as
    numerator/denominator, as the national index (Decision 766/QĐ-TTg) defines them.

    Received dossiers count in the month they were received (reuse); finished ones (result
    returned) in the month they finished (digitization, electronic result, on time). The
    last row, unit "*" and month "*", is the whole selection. With --json, one line per
    row: unit, month and per rate {numerator, denominator, rate}.
    """
    from api.views import stats_view

    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    rows = stats_view(
        get_settings(),
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
        click.echo("Đơn vị · tháng: " + " · ".join(_TITLES_VI.values()))
        for row in rows:
            cells = " · ".join(f"{_cell(row[name])}" for name in _TITLES_VI)
            click.echo(f"{row['unit']} · {row['month']}: {cells}")


def register(main: click.Group) -> None:
    """Add `stats` to the command line."""
    main.add_command(stats)
