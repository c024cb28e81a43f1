"""`sohoa backlog` and the dossier commands of deadlines and reuse: supplement, resume,
apologize, documents, reuse, check-national."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click

from api.cli.actor import CLI_ACTOR
from api.cli.output import print_json
from config import labels
from config.catalogue import get_catalogue
from config.defaults import SUPPLEMENT_REQUEST_WORKING_DAYS
from config.settings import get_settings
from config.units import unit_name
from storage.enums import DataSource


@click.command("supplement")
@click.argument("code")
@click.option("--reason", required=True, help="What the citizen must bring (Vietnamese).")
def supplement(code: str, reason: str) -> None:
    """The citizen must supplement the dossier: its processing time stops counting now."""
    from api.services import ask_supplement

    outcome = ask_supplement(get_settings(), code, reason=reason, actor=CLI_ACTOR)
    click.echo(f"{code}: chờ công dân bổ sung từ {outcome['paused_at'][:16]}")
    warning = outcome["warning"]
    if warning and warning["repeated"]:
        click.echo(f"CẢNH BÁO: yêu cầu bổ sung lần {warning['request']} (chỉ được yêu cầu một "
                   "lần); Cổng DVC quốc gia tính hồ sơ này là trễ hạn.", err=True)  # fmt: skip
    elif warning:
        click.echo(f"CẢNH BÁO: yêu cầu bổ sung sau {warning['working_days_after_receipt']} ngày "
                   f"làm việc kể từ khi tiếp nhận (quá {SUPPLEMENT_REQUEST_WORKING_DAYS} ngày "
                   "làm việc).", err=True)  # fmt: skip


@click.command("resume")
@click.argument("code")
def resume(code: str) -> None:
    """The supplement arrived: the clock runs again; the appointment moves by the working
    days the dossier waited."""
    from api.services import supplement_arrived

    outcome = supplement_arrived(get_settings(), code, actor=CLI_ACTOR)
    click.echo(
        f"{code}: đã bổ sung sau {outcome['paused_working_days']} ngày làm việc; "
        f"hẹn trả mới: {(outcome['appointment_at'] or '-')[:16]}"
    )


@click.command("apologize")
@click.argument("code")
@click.option("--reason", required=True, help="Why the result is late.")
@click.option(
    "--new-date", required=True, type=click.DateTime(["%Y-%m-%d"]), help="The new date promised."
)
@click.option("--json", "as_json", is_flag=True, help="The letter's fields and text as JSON.")
def apologize(code: str, reason: str, new_date: datetime, as_json: bool) -> None:
    """Record a dossier's apology letter and print it ("Phiếu xin lỗi và hẹn lại ngày trả
    kết quả"): allowed once the dossier is due within the configured working days
    (config.defaults.APOLOGY_WORKING_DAYS_BEFORE) or overdue."""
    from api.services import apologize as record

    letter = record(get_settings(), code, reason=reason, new_date=new_date.date(), actor=CLI_ACTOR)
    if as_json:
        print_json(letter)
    else:
        click.echo(letter["text"])


@click.command("documents")
@click.argument("code")
@click.option("--unit", "units", multiple=True, help="Units whose results the clerk may see "
              "[default: the dossier's own unit]; repeat for several, or '*' for all.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="The list as one JSON object.")
def documents(code: str, units: tuple[str, ...], as_json: bool) -> None:
    """The applicant's still-valid digitized documents, to reuse instead of rescanning."""
    from api.dossier_views import citizen_documents_view, dossier_view

    settings = get_settings()
    view = citizen_documents_view(settings, code, units=_units(settings, code, units, dossier_view))
    if as_json:
        print_json(view)
        return
    if not view["documents"]:
        click.echo("Không có giấy tờ đã số hóa còn hiệu lực của người nộp.")
    for doc in view["documents"]:
        until = doc["valid_until"] or "không thời hạn"
        serves = ", ".join(str(c) for c in doc["components"]) or "-"
        click.echo(
            f"{doc['code']}: {doc['type_name']} (hồ sơ {doc['dossier']}, hiệu lực đến {until}; "
            f"dùng cho thành phần {serves})"
        )


@click.command("reuse")
@click.argument("code")
@click.option("--component", "component_id", required=True, type=int, help="Component id.")
@click.option("--result", "result_code", required=True, help="The digitization result's code.")
@click.option("--unit", "units", multiple=True, help="As for `documents`.")
def reuse(code: str, component_id: int, result_code: str, units: tuple[str, ...]) -> None:
    """Serve a component with the applicant's earlier digitization result: nothing is
    scanned or copied; the event log records the reuse."""
    from api.dossier_views import dossier_view
    from api.services import reuse_document

    settings = get_settings()
    outcome = reuse_document(
        settings,
        code,
        component_id=component_id,
        result_code=result_code,
        actor=CLI_ACTOR,
        units=_units(settings, code, units, dossier_view),
    )
    click.echo(f"{code}: thành phần {outcome['component_id']} dùng lại {outcome['result']}")


@click.command("check-national")
@click.argument("code")
@click.option("--component", "component_id", required=True, type=int, help="Component id.")
@click.option(
    "--source",
    required=True,
    type=click.Choice([s.value for s in DataSource]),
    help="The database checked: population, civil_status, or vneid (shown by the "
    "citizen in the VNeID app).",
)
@click.option(
    "--reference",
    required=True,
    help="The looked-up record's reference, as the database or VNeID showed it.",
)
def check_national_(code: str, component_id: int, source: str, reference: str) -> None:
    """Record that a component's paper was checked against a national database instead of
    being taken: the checklist counts it present, the portal's figures as data reuse."""
    from api.services import check_national

    outcome = check_national(get_settings(), code, component_id=component_id, source=source,
                             reference=reference, actor=CLI_ACTOR)  # fmt: skip
    click.echo(
        f"{code}: thành phần {outcome['component_id']} {labels.NATIONAL_CHECKED}: "
        f"{labels.data_source(source)} · mã {outcome['reference']}"
    )


def _units(settings: Any, code: str, units: tuple[str, ...], view: Any) -> list[str] | None:
    if "*" in units:
        return None
    return list(units) if units else [view(settings, code)["unit"]]


@click.command("backlog")
@click.option("--unit", help="Only this unit's dossiers.")
@click.option("--leader", help="Only dossiers whose result this leader (full name) signs.")
@click.option("--json", "as_json", is_flag=True, help="Everything as one JSON object.")
def backlog(unit: str | None, leader: str | None, as_json: bool) -> None:
    """Open dossiers overdue, due by the end of the next working day, or waiting for the
    citizen's supplement, with counts per unit and per leader. Overdue dossiers whose
    apology letter is not recorded yet are flagged (`sohoa dossier apologize`)."""
    from api.worklists import backlog_view

    view = backlog_view(get_settings(), unit=unit, leader=leader)
    if as_json:
        print_json(view)
        return
    units = get_catalogue().units
    for item in view["items"]:
        late = (
            f", trễ {item['overdue_working_days']} ngày làm việc"
            if item["state"] == "overdue"
            else ""
        )
        letter = " · CẦN THƯ XIN LỖI" if item["apology_due"] else ""
        if item.get("at_risk"):
            letter = " · NGUY CƠ TRỄ HẠN (có thể gửi thư xin lỗi)"
        where = unit_name(units, item["unit"])
        click.echo(
            f"[{labels.BACKLOG[item['state']]}] {item['code']} · {where} · "
            f"hẹn {item['appointment_at'][:16]}{late} · lãnh đạo {item['leader'] or '-'}{letter}"
        )
    for title, table in (("Đơn vị", view["units"]), ("Lãnh đạo", view["leaders"])):
        for key, counts in sorted(table.items()):
            name = unit_name(units, key) if title == "Đơn vị" else key
            click.echo(
                f"{title} {name}: quá hạn {counts['overdue']}, đến hạn {counts['due_soon']}, "
                f"chờ bổ sung {counts['waiting_supplement']}"
            )


def register(main: click.Group) -> None:
    """Add `backlog`, and the deadline and reuse commands to the `dossier` group."""
    main.add_command(backlog)
    group = main.commands.get("dossier")
    if not isinstance(group, click.Group):
        raise RuntimeError("the dossier command group must be registered first")
    for command in (supplement, resume, apologize, documents, reuse, check_national_):
        group.add_command(command)
