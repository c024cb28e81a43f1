"""`sohoa worker` and `sohoa status`: running the queues and looking at them."""

from __future__ import annotations

import socket
import sys

import click

from api.cli.archive_cmd import print_archive_status
from api.cli.output import print_json
from api.office_views import archive_view, queue_view
from config.settings import get_settings
from workers.connection import redis_connection
from workers.queues import all_queues, worker_order, worker_queues


@click.command()
@click.option("--burst", is_flag=True, help="Exit once no job is queued or waiting for a retry.")
@click.option(
    "--queue",
    "queue_names",
    multiple=True,
    type=click.Choice(all_queues()),
    help=(
        f"Queues to work, in priority order [default: {', '.join(worker_order())}]; "
        "`digitize` includes its urgent lane, taken first."
    ),
)
@click.option(
    "--except",
    "skipped",
    multiple=True,
    type=click.Choice(all_queues()),
    help="Work every queue but these (and their lanes): a queue added later is served too.",
)
@click.option(
    "--alive",
    is_flag=True,
    help="Exit 0 if a worker of this host is registered and running, else 1 (health checks).",
)
def worker(
    burst: bool, queue_names: tuple[str, ...], skipped: tuple[str, ...], alive: bool
) -> None:
    """Run a worker on the job queues. SIGTERM stops it once the job in hand is done, or
    puts that job back on its queue after SOHOA_WORKER_STOP_GRACE seconds."""
    from workers.worker import run_worker, worker_alive

    settings = get_settings()
    queues = worker_queues(queue_names, skipped)
    with redis_connection(settings) as conn:
        if alive:
            sys.exit(0 if worker_alive(conn, socket.gethostname()) else 1)
        run_worker(conn, settings, queues=queues, burst=burst)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="The status as one JSON object.")
def status(as_json: bool) -> None:
    """Queue depths, failed jobs and documents that could not be digitized."""
    settings = get_settings()
    with redis_connection(settings) as conn:
        view = queue_view(settings, conn)
    view["archive"] = archive_view(settings)
    if as_json:
        print_json(view)
        return
    click.echo(f"{'queue':<12} {'queued':>7} {'started':>8} {'retrying':>9} {'failed':>7}")
    for name, counts in view["queues"].items():
        numbers = (counts["queued"], counts["started"], counts["scheduled"], counts["failed"])
        click.echo(
            f"{name:<12} "
            + " ".join(f"{n:>{w}}" for n, w in zip(numbers, (7, 8, 9, 7), strict=True))
        )
    docs = view["documents"]
    click.echo("documents: " + ", ".join(f"{k} {v}" for k, v in docs.items()))
    for failure in view["recent_failures"]:
        click.echo(
            f"  failed document {failure['document_id']} {failure['file']}: {failure['message']}"
        )
    print_archive_status(view["archive"])


def register(main: click.Group) -> None:
    """Add this module's commands to the CLI."""
    main.add_command(worker)
    main.add_command(status)
