"""The unit register: the province's units since 1 July 2025, who receives and who resolves."""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from config import labels
from config.errors import NotCompetent, UnknownUnit

AGENCY_CODE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")
"""V1V2V3.Z1Z2.Y1Y2.MX1X2, e.g. 000.00.12.H42: the agency part of the national dossier code
(config.identifiers; the structure of Circular 01/2018/TT-VPCP, still synced under Decree
118/2025/NĐ-CP)."""


class UnitLevel(StrEnum):
    """Where a unit stands in two-level local government (no district since 1 July 2025)."""

    PROVINCE = "province"
    """The province's People's Committee (Ủy ban nhân dân tỉnh/thành phố)."""
    DEPARTMENT = "department"
    """A provincial department or agency (Sở, ban, ngành) that resolves procedures."""
    CENTRE = "centre"
    """A public-service centre (Trung tâm Phục vụ hành chính công) of the province or a
    commune: it receives and returns, the competent body resolves."""
    COMMUNE = "commune"
    WARD = "ward"
    SPECIAL_ZONE = "special_zone"
    """Đặc khu: an island zone with a commune's powers."""


class UnitRole(StrEnum):
    """What a unit does with dossiers."""

    RECEIVE = "receive"
    RESOLVE = "resolve"
    BOTH = "both"


class Unit(BaseModel):
    """One unit of the register."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    """Stable identifier stored on dossiers, accounts and inbox folders."""
    name: str
    """The unit's name as printed (Vietnamese)."""
    level: UnitLevel
    parent: str | None = None
    """The unit it belongs to (a commune's centre: the commune; a department: the province)."""
    agency_code: str | None = None
    """The agency part of the dossier codes it gives out; required for a unit that receives,
    and its own: two units never share a serial space."""
    role: UnitRole = UnitRole.BOTH
    remote: bool = False
    """A mountain, island or remote commune: procedures with `remote_extra_days` take
    that much longer here."""

    @field_validator("agency_code")
    @classmethod
    def _check_agency_code(cls, value: str | None) -> str | None:
        if value is not None and not AGENCY_CODE.match(value):
            raise ValueError(f"agency code {value!r} is not in the form 000.00.12.H42")
        return value

    @model_validator(mode="after")
    def _receiver_has_agency_code(self) -> Unit:
        if self.receives and self.agency_code is None:
            raise ValueError(f"unit {self.code} receives dossiers but has no agency_code")
        return self

    @property
    def receives(self) -> bool:
        """Whether dossiers may be received here."""
        return self.role in (UnitRole.RECEIVE, UnitRole.BOTH)

    @property
    def resolves(self) -> bool:
        """Whether the unit may be a dossier's competent unit."""
        return self.role in (UnitRole.RESOLVE, UnitRole.BOTH)


def check_register(units: tuple[Unit, ...]) -> None:
    """Codes and agency codes unique, parents known: raises ValueError naming the first fault."""
    codes = [u.code for u in units]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise ValueError(f"units listed twice: {duplicates}")
    agencies = [u.agency_code for u in units if u.agency_code is not None]
    shared = sorted({a for a in agencies if agencies.count(a) > 1})
    if shared:
        raise ValueError(f"agency codes given to more than one unit: {shared}")
    for unit in units:
        if unit.parent is not None and unit.parent not in codes:
            raise ValueError(f"unit {unit.code} names an unknown parent {unit.parent!r}")


def find_unit(units: tuple[Unit, ...], code: str) -> Unit:
    """The unit with this code; UnknownUnit names the code and says where units are listed."""
    for unit in units:
        if unit.code == code:
            return unit
    raise UnknownUnit(f"unit {code!r} is not in the unit register (units.yaml)")


def unit_name(units: tuple[Unit, ...], code: str) -> str:
    """The unit's name as printed; the code itself for a unit the register no longer lists
    (a dossier received before the register changed)."""
    return next((u.name for u in units if u.code == code), code)


def receiving_unit(units: tuple[Unit, ...], code: str) -> Unit:
    """The unit, refused unless the register lets it receive dossiers."""
    unit = find_unit(units, code)
    if not unit.receives:
        raise UnknownUnit(f"unit {code!r} does not receive dossiers (role {unit.role})")
    return unit


def competent_unit(units: tuple[Unit, ...], code: str) -> Unit:
    """The unit, refused unless the register lets it resolve dossiers."""
    unit = find_unit(units, code)
    if not unit.resolves:
        raise UnknownUnit(f"unit {code!r} does not resolve dossiers (role {unit.role})")
    return unit


COMPETENT_LEVELS: dict[str, tuple[UnitLevel, ...]] = {
    "commune": (UnitLevel.COMMUNE, UnitLevel.WARD, UnitLevel.SPECIAL_ZONE),
    "province": (UnitLevel.PROVINCE, UnitLevel.DEPARTMENT),
}
"""Which unit levels resolve a procedure of each level (config.catalogue.PROCEDURE_LEVELS).
Law on the Organisation of Local Government 2025: a commune, ward or special zone's People's
Committee resolves commune-level procedures; the province's People's Committee or one of its
departments the provincial ones. A public-service centre receives and returns, and never
resolves in its own name."""


def province_of(units: tuple[Unit, ...], unit: Unit) -> str | None:
    """The code of the province a unit belongs to (itself if it is one), up its parents;
    None when the register does not say."""
    seen: set[str] = set()
    current: Unit | None = unit
    while current is not None and current.code not in seen:
        if current.level is UnitLevel.PROVINCE:
            return current.code
        seen.add(current.code)
        current = next((u for u in units if u.code == current.parent), None)
    return None


def competent_for(
    units: tuple[Unit, ...], code: str, procedure_level: str, receiving: str | None = None
) -> Unit:
    """The unit, refused unless it resolves dossiers (UnknownUnit), its level resolves
    procedures of `procedure_level` (NotCompetent: a commune-level procedure cannot be
    resolved by a provincial department, nor a provincial one by a commune), and it is in
    the receiving unit's province (NotCompetent; Decree 118/2025/NĐ-CP routes within the
    province)."""
    unit = competent_unit(units, code)
    if unit.level not in COMPETENT_LEVELS.get(procedure_level, ()):
        raise NotCompetent(
            f"unit {code!r} ({unit.level}) does not resolve {procedure_level}-level procedures",
            labels.not_competent(unit.name, unit.level.value, procedure_level),
        )
    if receiving is not None:
        home = province_of(units, find_unit(units, receiving))
        there = province_of(units, unit)
        if home is not None and there is not None and home != there:
            raise NotCompetent(
                f"unit {code!r} is in province {there}, the dossier was received in {home}",
                labels.other_province(unit.name),
            )
    return unit


def holder_at_reception(units: tuple[Unit, ...], receiver: Unit, procedure_level: str) -> Unit:
    """Who holds a dossier received without naming its competent unit: the receiving unit
    when it resolves; a centre that only receives hands it to its parent (a commune's centre
    receives for that commune, Decree 118/2025/NĐ-CP) when the parent resolves procedures of
    this level; otherwise UnknownUnit ("does not resolve"): the clerk must name one."""
    if receiver.resolves:
        return receiver
    parent = next((u for u in units if u.code == receiver.parent), None)
    if parent is not None and resolves_level(units, parent.code, procedure_level):
        return parent
    return competent_unit(units, receiver.code)


def resolves_level(units: tuple[Unit, ...], code: str, procedure_level: str) -> bool:
    """Whether the unit with this code resolves procedures of this level (False for a unit
    the register does not list): a dossier held by one that does not still has to be routed
    (received at a commune for a provincial department)."""
    unit = next((u for u in units if u.code == code), None)
    return (
        unit is not None
        and unit.resolves
        and unit.level in COMPETENT_LEVELS.get(procedure_level, ())
    )


def competent_candidates(units: tuple[Unit, ...], procedure_level: str) -> list[Unit]:
    """The units that may resolve a procedure of this level, in register order."""
    levels = COMPETENT_LEVELS.get(procedure_level, ())
    return [u for u in units if u.resolves and u.level in levels]
