"""`sohoa archive`, `sohoa fixity`, `sohoa retention`, `sohoa dispose`: the archivist's side."""

from __future__ import annotations

import getpass
import logging
from typing import Any

import click

from api.cli.actor import CLI_ACTOR
from api.cli.output import more_rows, paged, print_json
from config import labels
from config.errors import ExitCode
from config.retention import AccessRegime, Retention
from config.settings import get_settings


def _who(by: str | None) -> str:
    """Who acts: as given, else the account running the command (no accounts exist yet)."""
    return (by or getpass.getuser()).strip()


@click.command()
@click.argument("code")
@click.option(
    "--correction",
    metavar="REASON",
    help="Add a new version of an archived record, for this reason (đính chính).",
)
@click.option("--queue", "queued", is_flag=True, help="Queue it for a worker instead of now.")
@click.option("--by", help="Who archives it [default: the account running sohoa].")
@click.option("--json", "as_json", is_flag=True, help="The package as one JSON object.")
def archive(code: str, correction: str | None, queued: bool, by: str | None, as_json: bool) -> None:
    """Seal a dossier into an archival package: a BagIt bag with its replica.

    Every signature must verify, every PDF be PDF/A-2b and every required component be
    present; otherwise it is refused with all the reasons (exit 2)."""
    from api.cli.sign_cmd import quiet_signing_libraries
    from signing.flow.archive import run_archive
    from workers.connection import redis_connection
    from workers.jobs import JobKind, enqueue

    settings = get_settings()
    if queued:
        with redis_connection(settings) as conn:
            job = enqueue(conn, settings, JobKind.ARCHIVE, code, _who(by), correction)
        click.echo(f"queued {job} (sohoa worker)")
        return
    quiet_signing_libraries()
    if logging.getLogger().level > logging.DEBUG:  # a refusal lists every verdict's reasons
        logging.getLogger("pyhanko.sign.validation").setLevel(logging.ERROR)
    summary = run_archive(settings, code, actor=_who(by), correction=correction)
    if as_json:
        print_json(summary.to_dict())
        return
    retention = Retention.parse(summary.retention)
    until = f" (đến {summary.retain_until:%d/%m/%Y})" if summary.retain_until else ""
    click.echo(f"Đã nộp lưu {summary.record_code} (phiên bản {summary.version})")
    click.echo(f"  {summary.documents} tài liệu, {summary.pages} trang, {summary.files} tệp")
    access = AccessRegime(summary.access_regime).label_vi
    click.echo(f"  thời hạn bảo quản: {retention.label_vi}{until}; chế độ sử dụng: {access}")
    click.echo(f"  {summary.path}")
    click.echo(f"  bản sao: {summary.replica}")


@click.group()
def fixity() -> None:
    """Check the archive's packages, and look at and acknowledge fixity alerts."""


@fixity.command("check")
@click.option("--all", "everything", is_flag=True, help="Every package, not the nightly share.")
@click.option("--share", type=click.FloatRange(0, 1, min_open=True), help="Share to check.")
@click.option("--no-repair", is_flag=True, help="Report only; put nothing back.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per package.")
def check(everything: bool, share: float | None, no_repair: bool, as_json: bool) -> None:
    """Re-hash packages in both copies (the ones checked longest ago first), repair from
    the good copy, raise alerts. Exits 1 if a package could not be made whole."""
    from storage.archive.fixity import run_fixity
    from storage.archive.layout import ArchiveRoots
    from storage.db import open_database

    settings = get_settings()
    chosen = None if everything else (share or settings.fixity_share)
    reports = run_fixity(
        open_database(settings),
        ArchiveRoots.from_settings(settings),
        share=chosen,
        actor=CLI_ACTOR,
        repair=not no_repair,
    )
    for report in reports:
        if as_json:
            print_json(report.to_dict())
            continue
        state = "ok" if report.ok else ("repaired" if report.whole else "DAMAGED")
        click.echo(f"{report.record_code} v{report.version}: {state} ({report.files} files)")
        for finding in report.findings:
            fixed = "repaired" if finding.repaired else "NOT repaired"
            click.echo(f"  {finding.copy} {finding.kind} {finding.path} ({fixed})")
    if any(not r.whole for r in reports):
        raise SystemExit(ExitCode.FAILED)


@fixity.command("alerts")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per alert.")
@paged("Alerts")
def alerts(as_json: bool, cursor: int | None, limit: int) -> None:
    """Open alerts: files found changed, missing or unexpected, not acknowledged yet,
    newest first, a page at a time (as /archive and GET /api/archive/alerts); the next
    page's cursor on stderr."""
    from api.archive_service import alerts as open_alerts

    found = open_alerts(get_settings(), cursor=cursor, limit=limit)
    for alert in found.rows:
        if as_json:
            print_json(alert)
        else:
            click.echo(_alert_line(alert))
    more_rows(found.next_cursor)


@fixity.command("ack")
@click.argument("alert_ids", nargs=-1, type=int, required=True)
@click.option("--by", help="Who looked into them [default: the account running sohoa].")
@click.option("--note", help="What was found (logged on the record).")
def ack(alert_ids: tuple[int, ...], by: str | None, note: str | None) -> None:
    """Acknowledge alerts after looking into them; they leave `sohoa status`."""
    from api.archive_service import acknowledge

    done = acknowledge(get_settings(), list(alert_ids), by=_who(by), note=note)
    click.echo(f"{done} alert(s) acknowledged")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object per record.")
def retention(as_json: bool) -> None:
    """Records due for the archive within 30 days (or overdue), and records past their
    retention period."""
    from api.archive_service import retention_lists
    from config import defaults

    lists = retention_lists(get_settings())
    due, expired = lists["due_for_archive"], lists["past_retention"]
    if as_json:
        for row in due:
            print_json({"list": "due_for_archive", **row})
        for row in expired:
            print_json({"list": "past_retention", **row})
        return
    click.echo(f"Hồ sơ phải nộp lưu trong {defaults.RETENTION_NOTICE_DAYS} ngày tới: {len(due)}")
    for row in due:
        late = "QUÁ HẠN " if row["days_left"] < 0 else ""
        click.echo(f"  {row['code']}: {late}hạn {row['due_on']} ({row['days_left']} ngày)")
    click.echo(f"Hồ sơ hết thời hạn bảo quản: {len(expired)}")
    for row in expired:
        click.echo(
            f"  {row['code']} v{row['version']}: {row['retention']} năm, đến {row['retain_until']}"
        )


@click.command()
@click.argument("code")
@click.option("--decision", required=True, help="The disposal decision: number, date, issuer.")
@click.option("--by", "decided_by", required=True, help="Who decided the disposal.")
def dispose(code: str, decision: str, decided_by: str) -> None:
    """Destroy a record past its retention period, by a recorded decision. Its metadata,
    event log and a tombstone stay; its files and text are gone for good."""
    from api.archive_service import dispose as dispose_record

    settings = get_settings()
    done = dispose_record(
        settings, code, decision=decision, decided_by=decided_by, actor=_who(None)
    )
    click.echo(f"Đã hủy {done.record_code}: {done.versions} phiên bản, {done.blobs_deleted} tệp")


def _alert_line(alert: dict[str, Any]) -> str:
    fixed = "đã khôi phục" if alert["repaired"] else "CHƯA khôi phục"
    kind = labels.ALERT_KINDS.get(alert["kind"], alert["kind"])
    copy = labels.ARCHIVE_COPIES.get(alert["copy"], alert["copy"])
    return (
        f"  [{alert['id']}] {alert['record_code']} v{alert['version']} ({copy}): "
        f"{alert['path']} {kind}, {fixed}"
    )


def print_archive_status(view: dict[str, Any]) -> None:
    """The archive's lines of `sohoa status`."""
    packages = view["packages"]
    click.echo(
        f"archive: {packages['active']} records, {packages['superseded']} earlier versions, "
        f"{packages['disposed']} disposed; {view['bytes'] / 2**20:.1f} MB"
    )
    click.echo(f"fixity alerts open: {view['open_alerts']}")
    for alert in view["alerts"]:
        click.echo(_alert_line(alert))
    click.echo(
        f"retention: {view['due_for_archive']} due for the archive within 30 days "
        f"({view['overdue_for_archive']} overdue), {view['past_retention']} past retention"
    )


def register(main: click.Group) -> None:
    """Add this module's commands to the CLI."""
    for command in (archive, fixity, retention, dispose):
        main.add_command(command)
