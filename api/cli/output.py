"""Terminal output: JSON lines on stdout, progress on stderr (a bar, or plain lines)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


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
