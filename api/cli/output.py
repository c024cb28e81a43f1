"""Terminal output: JSON lines on stdout, progress on stderr (a bar, or plain lines)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from config import defaults, labels

_Command = TypeVar("_Command", bound=Callable[..., Any])


def paged(rows: str) -> Callable[[_Command], _Command]:
    """`--cursor` and `--limit` for a command listing `rows` a page at a time, as the
    pages and the API do (api.paging); the command prints the next cursor with
    `more_rows`."""

    def decorate(command: _Command) -> _Command:
        limit = click.option(
            "--limit",
            type=click.IntRange(1, defaults.LIST_PAGE_MAX),
            default=defaults.LIST_PAGE_SIZE,
            show_default=True,
            help=f"{rows} per page.",
        )
        cursor = click.option(
            "--cursor", type=int, help="Start after this row (the cursor printed last)."
        )
        return cursor(limit(command))

    return decorate


def more_rows(next_cursor: int | None) -> None:
    """On stderr, how to see the next page, when there is one."""
    if next_cursor is not None:
        click.echo(labels.MORE_ROWS.format(cursor=next_cursor), err=True)


def print_json(data: Any) -> None:
    """One JSON object on one line of stdout, non-ASCII kept readable."""
    click.echo(json.dumps(data, ensure_ascii=False, default=str))


class Reporter(Protocol):
    """Tells the person at the terminal how a batch is going."""

    def advance(self, item: str, outcome: str) -> None:
        """One item is done with this outcome."""
        ...


class _Lines:
    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0

    def advance(self, item: str, outcome: str) -> None:
        self.done += 1
        click.echo(f"[{self.done}/{self.total}] {item}: {outcome}", err=True)


class _Bar:
    def __init__(self, progress: Progress, task: Any) -> None:
        self.progress = progress
        self.task = task

    def advance(self, item: str, outcome: str) -> None:
        self.progress.update(self.task, advance=1, description=f"{item}: {outcome}")


@contextmanager
def progress(total: int, description: str) -> Iterator[Reporter]:
    """A progress bar on stderr when it is a terminal; plain lines when it is not."""
    if not sys.stderr.isatty():
        yield _Lines(total)
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=False,
    ) as bar:
        yield _Bar(bar, bar.add_task(description, total=total))
