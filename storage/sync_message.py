"""The message a provincial one-stop system or the national portal syncs per dossier state
change: one documented JSON schema (`SyncMessage`, `sohoa exchange schema`).

The national portal computes the 766 index from synced data (on time by the time processing
finished, supplement time subtracted, refused/withdrawn/stopped dossiers counted as finished,
reuse, channel), so each message carries what those figures need, as the dossier stood right
after the change: both units (Decree 118/2025/NĐ-CP: received anywhere in the province,
resolved by the competent body), reception, appointment, processing finished, return, end
state, channel, digitized and reused components with file links, and the result's number
and link. It rides in the outbox beside the webhooks' message (`"sync"` in each payload):
same cursor, same feed, same deliveries. Field names are sohoa's; a mapping onto a
province's own API is the receiver's adapter (their specifications are not public).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA: Final = "sohoa.dossier-sync/1"
"""The schema's name and version; a change that is not an addition makes a new version."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


class SyncComponent(_Frozen):
    """One component of the dossier (thành phần hồ sơ)."""

    id: int
    document_type: str | None
    """Catalogue code of the document type expected (cccd, to_khai_khai_sinh...)."""
    required: bool
    digitized: bool
    """A signed digitization result serves it (scanned here, or reused)."""
    reused: bool
    """It is served by an earlier dossier's digitization result (Decision 766: reuse)."""
    national_source: str | None = None
    """The national database it was checked against instead of a paper (population,
    civil_status, vneid); None: not checked (Decision 766 record 4.3 counts it as reuse)."""
    result_code: str | None
    """The digitization result's code (dossier code + serial, or the owner scheme)."""
    paper_type: str | None = None
    """The paper type's national code (catalogue national_code), where the office set it."""
    valid_until: str | None = None
    """The last day the digitization result may be reused (the card's printed expiry...);
    None: without limit, or not digitized."""
    scope: str | None = None
    """Where the paper is valid (printed, else the catalogue's, else "Toàn quốc")."""
    file: str | None
    """Link to the result's signed PDF/A (content-addressed, for authorised systems)."""


class SyncResult(_Frozen):
    """The dossier's result document (kết quả giải quyết)."""

    number: str | None
    """Its number and symbol as văn thư issued it ("05/QĐ-UBND"), once numbered."""
    signed: bool
    file: str | None
    """Link to the signed result PDF."""


class SyncMessage(_Frozen):
    """One dossier state change, as a provincial system or the national portal syncs it."""

    schema_: Literal["sohoa.dossier-sync/1"] = Field(SCHEMA, alias="schema")
    message_id: int
    """Unique and increasing (the event id): a receiver keeps the last one it applied."""
    type: str
    """received, routed, component_digitized, component_checked, supplement_requested,
    supplement_received, processed, result_signed, returned, ended, archived."""
    at: datetime
    """When the change happened (ISO 8601 with offset)."""
    dossier_code: str
    """National dossier code (receiving unit's agency code, date, serial)."""
    procedure_code: str
    """Procedure code on the national catalogue (1.001193)."""
    receiving_unit: str
    """Unit that received the dossier (units.yaml code)."""
    competent_unit: str
    """Unit that resolves it, after any routing."""
    channel: str
    """direct, online or postal."""
    status: str
    """The dossier's status after the change."""
    received_at: datetime
    rules: str
    """The one-stop rules it was received under ("ND118-2025": Decree 118/2025/NĐ-CP)."""
    appointment_at: datetime | None
    """The appointment as it stands (moved by supplements)."""
    processed_at: datetime | None
    """When processing finished (the portal's on-time moment), if it has."""
    returned_at: datetime | None
    """When the result was returned to the citizen, if it was."""
    end_state: str | None
    """refused, withdrawn or stopped: ended without a result (counted as finished)."""
    end_reason: str | None
    national_data: list[str]
    """National databases used instead of papers (population, civil status, VNeID)."""
    digitized: bool
    """Every required component is digitized or checked against a national database."""
    reused: bool
    """A component reused an earlier result, or national data was used."""
    components: list[SyncComponent]
    result: SyncResult | None

    model_config = ConfigDict(
        frozen=True, extra="forbid", use_attribute_docstrings=True, populate_by_name=True
    )


def sync_message(
    event_id: int, kind: str, at: datetime, snapshot: dict[str, Any]
) -> dict[str, Any]:
    """The JSON-ready sync message of one published event, from the dossier snapshot
    (storage.exchange.dossier_snapshot) as it stood right after it."""
    components = [
        SyncComponent.model_validate({name: c[name] for name in SyncComponent.model_fields})
        for c in snapshot["components"]
    ]
    result = snapshot["result"]
    message = SyncMessage(
        message_id=event_id,
        type=kind,
        at=at,
        dossier_code=snapshot["code"],
        procedure_code=snapshot["procedure_code"],
        receiving_unit=snapshot["unit"],
        competent_unit=snapshot["competent_unit"],
        channel=snapshot["channel"],
        status=snapshot["status"],
        received_at=snapshot["received_at"],
        rules=snapshot["rules"],
        appointment_at=snapshot["appointment_at"],
        processed_at=snapshot["processed_at"],
        returned_at=snapshot["finished_at"],
        end_state=snapshot["end_state"],
        end_reason=snapshot["end_reason"],
        national_data=list(snapshot["national_data"]),
        digitized=all(c.digitized or c.national_source for c in components if c.required),
        reused=any(c.reused for c in components) or bool(snapshot["national_data"]),
        components=components,
        result=SyncResult(**result) if result else None,
    )
    return message.model_dump(mode="json", by_alias=True)


def sync_schema() -> dict[str, Any]:
    """The JSON Schema of SyncMessage, field docstrings as descriptions."""
    return SyncMessage.model_json_schema(by_alias=True)
