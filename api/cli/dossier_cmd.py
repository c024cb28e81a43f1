"""`sohoa dossier new|add|show|receipt|route`: receiving a dossier and its scans."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import click

from api.cli.actor import CLI_ACTOR
from api.cli.output import print_json, progress
from api.dossier_views import local_dossier_view
from api.services import (
    add_file,
    check_late_entry,
    end_without_result,
    open_dossier,
    pay_fees,
    rate_service,
    return_result,
    route,
)
from config import labels
from config.catalogue import get_catalogue
from config.errors import ExitCode
from config.settings import get_settings
from config.units import unit_name
from storage.dossiers import Intake
from storage.enums import Channel, DataSource, DossierStatus, PaymentStatus, Rating
from storage.types import utcnow
from workers.connection import redis_connection

_RECEIVED_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
"""How `--received-at` is typed: office time, to the minute."""
_STATE_MARK = {"digitized": "x", "received": "~", "failed": "!", "missing": " "}


@click.group()
def dossier() -> None:
    """Receive dossiers, add their scanned components, and look at them."""


@dossier.command("new")
@click.option("--procedure", "procedure_code", required=True, help="Procedure code, e.g. 1.001193.")
@click.option("--applicant", required=True, help="The applicant's full name.")
@click.option("--id-number", help="The applicant's 12-digit personal ID number.")
@click.option("--unit", help="Unit receiving the dossier [default: $SOHOA_UNIT_CODE].")
@click.option("--competent", help="Competent unit that resolves it [default: the receiving unit].")
@click.option(
    "--channel",
    type=click.Choice([c.value for c in Channel]),
    default="direct",
    show_default=True,
    help="How the dossier came in.",
)
@click.option("--fee", type=int, help="Fees due in đồng [default: the procedure's].")
@click.option("--paid", type=click.Choice(["online", "direct"]), help="Fees already paid, how.")
@click.option(
    "--data-from",
    "data_from",
    multiple=True,
    type=click.Choice([s.value for s in DataSource]),
    help="National data used instead of papers; repeat for several.",
)
@click.option(
    "--received-at",
    "received_at",
    type=click.DateTime(_RECEIVED_FORMATS),
    help="When a paper dossier was really received, entered afterwards (office time, "
    "e.g. 2026-03-05T16:30; at most LATE_ENTRY_DAYS back) [default: now].",
)
def new(  # noqa: PLR0917 - one parameter per option, as click passes them
    procedure_code: str,
    applicant: str,
    id_number: str | None,
    unit: str | None,
    competent: str | None,
    channel: str,
    fee: int | None,
    paid: str | None,
    data_from: tuple[str, ...],
    received_at: datetime | None,
) -> None:
    """Open a dossier and print its national dossier code (the receiving unit's agency code
    and its own daily serial). Units come from the unit register (units.yaml)."""
    intake = Intake(
        channel=Channel(channel),
        fee_amount=fee,
        payment=_PAID[paid] if paid else None,
        national_data=data_from,
    )
    settings = get_settings()
    when = received_at.replace(tzinfo=settings.zone) if received_at else None
    if when is not None:
        check_late_entry(when, utcnow())
    code = open_dossier(
        settings,
        procedure_code=procedure_code,
        applicant_name=applicant,
        applicant_id_number=id_number,
        unit_code=unit,
        actor=CLI_ACTOR,
        competent_unit_code=competent,
        intake=intake,
        received_at=when,
    )
    click.echo(code)


@dossier.command("route")
@click.argument("code")
@click.option("--to", "to", required=True, help="The competent unit's code (units.yaml).")
@click.option("--reason", help="Why it goes there.")
def route_(code: str, to: str, reason: str | None) -> None:
    """Send the dossier to the competent unit that resolves it (Decree 118/2025/NĐ-CP);
    the receiving unit and the dossier code stay."""
    previous = route(get_settings(), code, to=to, reason=reason, actor=CLI_ACTOR)
    units = get_catalogue().units
    click.echo(labels.routed(code, unit_name(units, previous), unit_name(units, to.strip())))


@dossier.command("add")
@click.argument("code")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file on stdout.")
def add(code: str, files: tuple[Path, ...], as_json: bool) -> None:
    """Store files in a dossier and queue them for digitization (run `sohoa worker`).

    Every file is stored before any job runs. A file that is not a document is refused
    with its reason; the others go on. Exits 1 if any file was refused.
    """
    settings = get_settings()
    refused = 0
    with redis_connection(settings) as conn, progress(len(files), "store") as reporter:
        for path in files:
            result = add_file(settings, conn, code, path, name=None, actor=CLI_ACTOR)
            refused += result.status == "rejected"
            outcome = labels.FILE_OUTCOMES.get(result.status, result.status)
            if as_json:
                print_json(result.to_dict())
            else:
                detail = (
                    result.error["message"] if result.error else f"tài liệu {result.document_id}"
                )
                click.echo(f"{path}: {outcome} ({detail})")
            reporter.advance(path.name, outcome)
    if refused:
        raise SystemExit(ExitCode.FAILED)


_PAID = {"online": PaymentStatus.PAID_ONLINE, "direct": PaymentStatus.PAID_DIRECT}
_RATING = click.Choice([r.value for r in Rating])


@dossier.command("return")
@click.argument("code")
@click.option("--rating", type=_RATING, help="The citizen's rating of the service.")
@click.option("--json", "as_json", is_flag=True, help="The outcome as one JSON object.")
def return_(code: str, rating: str | None, as_json: bool) -> None:
    """Record that the result was returned to the citizen: the dossier is finished now."""
    outcome = return_result(
        get_settings(), code, actor=CLI_ACTOR, rating=Rating(rating) if rating else None
    )
    if as_json:
        print_json(outcome)
    else:
        when = "đúng hạn" if outcome["on_time"] else "QUÁ HẠN"
        click.echo(f"{code}: đã trả kết quả lúc {outcome['finished_at'][:16]} ({when})")


@dossier.command("rate")
@click.argument("code")
@click.option("--rating", type=_RATING, required=True, help="The citizen's rating.")
def rate(code: str, rating: str) -> None:
    """Record the citizen's rating of the service, after the result was returned."""
    rate_service(get_settings(), code, Rating(rating), actor=CLI_ACTOR)
    click.echo(f"{code}: đã ghi nhận đánh giá")


@dossier.command("pay")
@click.argument("code")
@click.option(
    "--how",
    type=click.Choice(["online", "direct"]),
    required=True,
    help="Paid online (national portal or the province's gateway) or at the counter.",
)
def pay(code: str, how: str) -> None:
    """Record that the dossier's fees were paid."""
    pay_fees(get_settings(), code, _PAID[how], actor=CLI_ACTOR)
    click.echo(f"{code}: đã thu phí, lệ phí")


_ENDINGS = {
    "refuse": (DossierStatus.REFUSED, "đã từ chối"),
    "withdraw": (DossierStatus.WITHDRAWN, "công dân đã rút hồ sơ"),
    "stop": (DossierStatus.STOPPED, "đã dừng xử lý"),
}


def _ending(name: str) -> click.Command:
    state, done = _ENDINGS[name]

    @click.command(name)
    @click.argument("code")
    @click.option("--reason", required=True, help="The reason told to the citizen (Vietnamese).")
    def command(code: str, reason: str) -> None:
        outcome = end_without_result(get_settings(), code, state, reason=reason, actor=CLI_ACTOR)
        click.echo(f"{code}: {done} lúc {outcome['ended_at'][:16]}")

    command.help = (
        f"End the dossier as {state.value}, with its reason (Circular 03/2025/TT-VPCP forms: "
        "03 refusal, 05 notice of stopping); the portal counts it as finished."
    )
    return command


for _name in _ENDINGS:
    dossier.add_command(_ending(_name))


def _print_dossier(view: dict[str, Any]) -> None:
    echo = click.echo
    echo(f"Hồ sơ {view['code']} · {view['procedure']['name']} ({view['procedure']['code']})")
    applicant = view["applicant"]
    id_part = f" · số định danh {applicant['id_number']}" if applicant["id_number"] else ""
    echo(f"Người nộp: {applicant['name']}{id_part}")
    echo(f"{labels.RECEIVING_UNIT}: {view['unit_name']}")
    if view["competent_unit"] != view["unit"]:
        echo(f"{labels.COMPETENT_UNIT}: {view['competent_unit_name']}")
    if view["needs_routing"]:
        echo(labels.COUNTER_FORMS["needs_routing"])
    appointment = (view["appointment_at"] or "-")[:16]
    status = labels.state(view["status"])
    echo(f"Tiếp nhận: {view['received_at'][:16]} · hẹn trả: {appointment} · {status}")
    documents = {d["id"]: d for d in view["documents"]}
    echo("Thành phần hồ sơ:")
    for component in view["components"]:
        need = "bắt buộc" if component["required"] else "không bắt buộc"
        state = component["state"]
        label = labels.component_state(state)
        check = component["national_check"]
        if check is not None:
            source = labels.data_source(check["source"])
            when = (check["at"] or "")[:16]
            label = (f"{labels.NATIONAL_CHECKED}, {source}, mã {check['reference']} "
                     f"({check['by']}, {when})")  # fmt: skip
        echo(f"  [{'x' if check else _STATE_MARK[state]}] {component['label']} ({need}): {label}")
        result = component["result"]
        if result is not None:
            source = f", dùng lại từ hồ sơ {result['reused_from']}" if result["reused_from"] else ""
            state = labels.CERTIFICATION_STATES.get(result["status"], result["status"])
            echo(f"      kết quả số hóa {result['code']} ({state}{source})")
        for doc_id in component["documents"]:
            _print_document(documents[doc_id])
    for doc_id in view["unassigned_documents"]:
        _print_document(documents[doc_id])
    for doc_id in view["stacks"]:
        stack = documents[doc_id]
        parts = ", ".join(str(p) for p in stack["parts"])
        echo(f"  Tệp {stack['file']} [{doc_id}], {stack['pages']} trang, tách thành: {parts}")
    completeness = view["completeness"]
    if completeness["complete"]:
        echo("Đủ thành phần bắt buộc.")
    for check in completeness["checks"]:
        if check["verdict"] != "present":
            verdict = labels.CHECKS[check["verdict"]]
            echo(f"{verdict}: {check['label']} — {check['reason']}")


def _print_document(doc: dict[str, Any]) -> None:
    echo = click.echo
    if doc["status"] == "digitized":
        conf = f"{doc['type_confidence']:.2f}" if doc["type_confidence"] is not None else "-"
        kind = "PDF/A-2b" if doc["pdfa"] else "PDF"
        summary = f"{doc['document_type']} ({conf}), {doc['pages']} trang, {kind}"
        echo(f"      [{doc['id']}] {doc['file']} -> {summary}: {doc['pdf']}")
        if doc["fields"]:
            fields = ", ".join(f"{labels.field(k)}: {v}" for k, v in doc["fields"].items())
            echo("        " + fields)
        if doc.get("to_complete"):
            asked = ", ".join(f"{labels.field(k)} ({v})" for k, v in doc["to_complete"].items())
            echo(f"        viết tay, chưa đọc được, cần nhập: {asked}")
        if doc["page_flags"]:
            flags = ", ".join(labels.flag(f) for f in doc["page_flags"])
            echo(f"        cần xem lại: {flags}")
        echo(f"        «{doc['excerpt'] or ''}»")
    elif doc["status"] == "failed":
        error = labels.error(doc["error"]["code"], doc["error"]["message"])
        echo(f"      {doc['file']}: lỗi {doc['error']['code']}: {error}")
    else:
        echo(f"      {doc['file']}: {labels.state(doc['status'])}")


@dossier.command("show")
@click.argument("code")
@click.option("--json", "as_json", is_flag=True, help="The dossier as one JSON object.")
def show(code: str, as_json: bool) -> None:
    """Show a dossier: its components, digitized documents and what is still missing."""
    settings = get_settings()
    view = local_dossier_view(settings, code)
    if as_json:
        print_json(view)
    else:
        _print_dossier(view)


@dossier.command()
@click.argument("code")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="PDF to write [default: DATA/out/<code>-tiep-nhan.pdf].",
)
def receipt(code: str, out: Path | None) -> None:
    """Print the dossier's receipt (giấy tiếp nhận) with its QR code: put it on top of the
    stack when scanning to the unit's inbox, and the pages file themselves."""
    from api.receipts import dossier_receipt

    settings = get_settings()
    out = out or settings.data_path / "out" / f"{code}-tiep-nhan.pdf"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(dossier_receipt(settings, code))
    click.echo(str(out))


def register(main: click.Group) -> None:
    """Add this module's commands to the CLI."""
    main.add_command(dossier)
