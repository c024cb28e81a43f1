"""The unit register: the province's units since 1 July 2025, who receives and who resolves."""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from config.errors import UnknownUnit

AGENCY_CODE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")
"""V1V2V3.Z1Z2.Y1Y2.MX1X2 (Circular 01/2018/TT-VPCP), e.g. 000.00.12.H42."""


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
