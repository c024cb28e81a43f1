"""Vietnamese identifiers: dossier codes, digitization-result codes and personal ID numbers
(CCCD).

DOMAIN: the dossier code's structure (agency code, reception day, the day's serial) is the
one Circular 01/2018/TT-VPCP gave under Decree 61/2018 and the national portal still syncs
dossiers by since Decree 118/2025/NĐ-CP; Circular 03/2025/TT-VPCP's own wording on dossier
codes was not at hand. It is not a setting: the portal identifies every province's dossiers
by one structure, so a change would be a change of this module, not of one office. The
agency part is each receiving unit's own (units.yaml)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

DOSSIER_CODE = re.compile(r"(\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})-(\d{2})(\d{2})(\d{2})-(\d{4})")
"""V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX, e.g. 000.00.12.H42-250314-0012 (the national
structure: see the module's DOMAIN note)."""

UNIT_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
"""A unit's code (xa-hoa-binh, huyen-dong-anh): letters, digits, dot, dash and underscore,
not starting with a dot, at most 64 characters. It names the unit's inbox folder, so it can
never be a path: no separator, never "." or ".."."""

_CENTURY_SEX = {
    "0": (1900, "nam"),
    "1": (1900, "nữ"),
    "2": (2000, "nam"),
    "3": (2000, "nữ"),
    "4": (2100, "nam"),
    "5": (2100, "nữ"),
}


def format_dossier_code(agency_code: str, day: date, serial: int) -> str:
    """The code of the serial-th dossier an agency received on a day."""
    return f"{agency_code}-{day:%y%m%d}-{serial:04d}"


def format_digitization_code(dossier_code: str, serial: int) -> str:
    """The code of the serial-th digitization result made in a dossier: the dossier code,
    a dot and the serial on two digits or more (000.00.12.H42-250314-0012.03). DOMAIN.md
    gives no format for Circular 01/2023/TT-VPCP's code; this one is unique, says which
    dossier the paper was handed in with, and sorts in the order results were made."""
    return f"{dossier_code}.{serial:02d}"


def format_owner_digitization_code(id_number: str, paper_type: str, serial: int) -> str:
    """The code of the serial-th digitization result of one paper type owned by one person:
    their personal ID number, the type's national paper-type code and the serial on two
    digits or more (001301012345.KS.02), the catalogue's "owner" scheme. DOMAIN: reported
    as the national scheme; the paper-type codes come from the office's catalogue."""
    return f"{id_number}.{paper_type}.{serial:02d}"


def is_dossier_code(text: str) -> bool:
    """Whether text is exactly one well-formed dossier code with a real date."""
    match = DOSSIER_CODE.fullmatch(text)
    if match is None:
        return False
    _, yy, mm, dd, _ = match.groups()
    try:
        date(2000 + int(yy), int(mm), int(dd))
    except ValueError:
        return False
    return True


def is_unit_code(text: str) -> bool:
    """Whether text is a well-formed unit code (UNIT_CODE)."""
    return UNIT_CODE.fullmatch(text) is not None


def id_number_birth(id_number: str) -> tuple[int, str] | None:
    """(birth year, sex) encoded in a 12-digit personal ID number, or None if malformed."""
    if len(id_number) != 12 or not id_number.isdigit() or id_number[3] not in _CENTURY_SEX:
        return None
    century, sex = _CENTURY_SEX[id_number[3]]
    return century + int(id_number[4:6]), sex


def is_valid_id_number(id_number: str, provinces: Mapping[str, str]) -> bool:
    """Whether a personal ID number has a known province code and century/sex digit."""
    return id_number_birth(id_number) is not None and id_number[:3] in provinces
