"""`sohoa dossier review CODE`, `sohoa dossier sign CODE:DOCUMENT_ID:SHA256...` and
`sohoa dossier result CODE`: a dossier's result read, signed as read, and fetched signed."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from api.cli.actor import CLI_ACTOR
from api.cli.output import print_json
from api.cli.sign_cmd import agent_link, quiet_signing_libraries
from config import labels
from config.settings import get_settings


@click.command("sign")
@click.argument("results", nargs=-1, required=True, metavar="CODE:DOCUMENT_ID:SHA256...")
@click.option("--leader", help="The leader's signer profile [default: the unit's leader].")
@click.option(
    "--agent",
    "agent_url",
    help="The leader's signing agent (sohoa sign-agent): the leader's signatures of every "
    "dossier given are made now, in one batch, with one PIN entry; its pairing code from "
    "$SOHOA_AGENT_PAIRING or asked. The agent's certificate must be the leader profile's.",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per dossier.")
def sign(
    results: tuple[str, ...], leader: str | None, agent_url: str | None, as_json: bool
) -> None:
    """Queue the signatures of dossiers' results: the leader's (which certifies the
    result), then văn thư's number, date and organisation seal. A worker (`sohoa worker`)
    makes the ones whose keys the server holds; --agent makes the leader's now.

    Each result is named as it was reviewed (`sohoa dossier review CODE`): its dossier,
    its document id and the SHA-256 of its PDF; a result changed since is refused."""
    from api.sign_service import parse_seen
    from signing.flow.agent import owed_by_leader, sign_with_agent
    from signing.flow.results import queueable, request_dossier_signing, request_status
    from workers.connection import redis_connection
    from workers.jobs import JobKind, enqueue

    quiet_signing_libraries()

    settings = get_settings()
    seen = [parse_seen(r) for r in results]
    requests = {
        s.code: request_dossier_signing(settings, s, leader=leader, actor=CLI_ACTOR) for s in seen
    }
    if agent_url is not None:
        owed = [i for ids in requests.values() for i in owed_by_leader(settings, ids)]
        if owed:
            sign_with_agent(settings, owed, agent_link(agent_url))
    with redis_connection(settings) as conn:
        for ids in requests.values():
            for request_id in queueable(settings, ids):
                enqueue(conn, settings, JobKind.SIGN, request_id)
    for code, ids in requests.items():
        rows = request_status(settings, ids)
        if as_json:
            print_json({"code": code, "signatures": rows})
            continue
        click.echo(f"Hồ sơ {code}:")
        for row in rows:
            state = labels.signature_state(str(row["status"]))
            error = f" ({row['error']})" if row["error"] else ""
            what = f"{row['signer']} [{row['role']}, {row['level']}]"
            click.echo(f"  {int(str(row['position'])) + 1}. {what}: {state}{error}")


@click.command("review")
@click.argument("code")
def review(code: str) -> None:
    """Print the result a leader would sign now: first CODE:DOCUMENT_ID:SHA256 (what
    `sohoa dossier sign` takes), then the PDF to read before signing it."""
    from api.sign_service import result_to_review, seen_form

    shown, pdf = result_to_review(get_settings(), code)
    click.echo(seen_form(shown))
    click.echo(str(pdf))


@click.command("result")
@click.argument("code")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Where to write it.")
def result(code: str, out: Path | None) -> None:
    """Write the dossier's signed result to a file and print its path."""
    from api.sign_service import signed_result_file

    settings = get_settings()
    signed = signed_result_file(settings, code)
    target = out or settings.data_path / "out" / signed.filename
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(signed.path, target)
    target.chmod(0o644)
    click.echo(str(target))


def register(main: click.Group) -> None:
    """Add `review`, `sign` and `result` to the `dossier` group (registered after it)."""
    group = main.commands.get("dossier")
    if not isinstance(group, click.Group):
        raise RuntimeError("the dossier command group must be registered before its sign command")
    group.add_command(review)
    group.add_command(sign)
    group.add_command(result)
