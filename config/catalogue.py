"""The catalogues in YAML: document types, procedures and their components, provinces, units."""

from __future__ import annotations

import functools
import re
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from config import defaults
from config.errors import ConfigurationError, NotFound
from config.settings import get_settings
from config.text import nfc
from config.units import Unit, check_register, find_unit

OTHER_TYPE = "khac"
"""The type of anything the catalogue does not describe; the classifier says so, not guesses."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


NationalSource = Literal["population", "civil_status", "vneid"]
"""storage.enums.DataSource's values (config imports no other sohoa package; a test keeps
them equal)."""


class DocumentType(_Frozen):
    """One kind of paper a one-stop office sees."""

    code: str
    """Stable identifier stored on documents."""
    name: str
    """The title as printed, in Vietnamese."""
    titles: tuple[str, ...] = ()
    """Printed title variants that identify the type when they head a page."""
    keywords: tuple[str, ...] = ()
    """Phrases typical of the type's body text."""
    abbreviations: tuple[str, ...] = ()
    """The type's abbreviation in an official document's symbol ("QĐ" in "Số: 12/QĐ-UBND";
    Decree 30/2020 Appendix III)."""
    result: bool = False
    """Whether the office issues this type as a procedure's result."""
    reusable: bool = False
    """Whether a digitization result of this type may serve the same citizen's later
    dossiers (an ID card, a birth certificate; not a form filled for one dossier)."""
    number_book: str | None = None
    """The book a result of this type takes its number from (civil-status results: the
    civil-status book, "Số: …, Quyển số: …"); None: the văn thư's register."""
    valid_months: int | None = Field(default=None, gt=0)
    """How long a reusable result stays valid from its issue date (or, when none was read,
    the day it was digitized); None: without limit."""
    national_code: str | None = Field(default=None, pattern=r"^[0-9A-Za-z_-]+$")
    """The paper type's code in the national catalogue of digitization results, used by
    the "owner" scheme of digitization result codes. DOMAIN: sohoa ships none (the national
    list was not available and codes are never guessed); the office fills them in."""
    scope: str | None = None
    """Where a paper of this type is valid (phạm vi sử dụng, Circular 01/2023/TT-VPCP's
    "scope where any"), when the document does not print one; None: config.defaults.
    VALIDITY_SCOPE."""
    national_sources: tuple[NationalSource, ...] = ()
    """National databases a clerk may check this paper against instead of taking it (its
    data shown in VNeID, or looked up in the population or civil-status database): the
    component is then satisfied and the dossier counts as reusing national data. DOMAIN:
    no official list of which paper each database replaces was found; document_types.yaml
    ships today's reading and the office may change it."""


class ComponentSpec(_Frozen):
    """One component a procedure's dossier is made of."""

    type: str
    """Expected document type code."""
    label: str
    """What the clerk asks the citizen for, in Vietnamese."""
    required: bool = True
    """Whether the dossier is incomplete without it."""


class ExcludedPeriod(_Frozen):
    """A period the law leaves out of the processing time (public posting, a field survey,
    an appraisal): the appointment moves by it."""

    label: str
    """What it is, in Vietnamese (e.g. "Niêm yết công khai")."""
    days: int = Field(gt=0)
    calendar_days: bool = False
    """Counted in calendar days (else working days)."""


class Deadline(_Frozen):
    """How a procedure's processing time is counted (Procedure.processing_days is the
    amount for the day units)."""

    unit: Literal["working_days", "working_hours", "calendar_days", "same_day"] = "working_days"
    hours: int | None = Field(default=None, gt=0)
    """The amount for `working_hours`."""
    cutoff: str | None = None
    """For `same_day`: received after this time (HH:MM, office time) it is due the next
    working day; None: config.defaults.SAME_DAY_CUTOFF."""
    remote_extra_days: int = Field(default=0, ge=0)
    """Working days added where the receiving or competent unit is remote (units.yaml
    `remote`: mountain, island, remote communes)."""
    excluded: tuple[ExcludedPeriod, ...] = ()

    @model_validator(mode="after")
    def _hours_for_hours(self) -> Deadline:
        if (self.unit == "working_hours") != (self.hours is not None):
            raise ValueError("`hours` is given exactly when the unit is working_hours")
        if self.cutoff is not None and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", self.cutoff):
            raise ValueError(f"cutoff {self.cutoff!r} is not HH:MM")
        return self


class Procedure(_Frozen):
    """An administrative procedure from the national catalogue."""

    code: str
    """Code on the national catalogue, e.g. 1.001193."""
    name: str
    level: str = "commune"
    """Which level of government resolves it: commune or province. Districts were abolished
    on 1 July 2025; a catalogue still saying `district` is refused with that reason."""
    processing_days: int = Field(ge=0)
    """Days from reception to the appointment date, counted as `deadline.unit` says
    (working days unless told otherwise; 0 for same-day procedures)."""
    deadline: Deadline = Deadline()
    result_type: str
    """Document type of the result the office issues."""
    electronic_result: bool = True
    """Whether the result must have an electronic (signed) file for the dossier to count as
    digitized (DOMAIN.md: "where required")."""
    paper_result: bool = True
    """Whether the procedure's result is a paper document ("yêu cầu trả kết quả bằng văn
    bản, giấy tờ"): only such dossiers count in the portal's electronic-result figure."""
    fee: int = Field(default=0, ge=0)
    """Fees and charges due, in đồng (0: none); a dossier may record another amount."""
    components: tuple[ComponentSpec, ...]

    def processing_time(self) -> str:
        """The processing time as a receipt prints it (Circular 03/2025/TT-VPCP form 01):
        "Trong ngày" with its cut-off for a same-day procedure (not "00 ngày làm việc"),
        else the amount with its unit, numbers below 10 with a leading zero."""
        deadline = self.deadline
        if deadline.unit == "same_day":
            hour, minute = (deadline.cutoff or defaults.SAME_DAY_CUTOFF).split(":")
            return (
                f"Trong ngày (hồ sơ nhận sau {hour} giờ {minute} phút được trả trong ngày "
                "làm việc tiếp theo)"
            )
        if deadline.unit == "working_hours":
            return f"{deadline.hours:02d} giờ làm việc"
        days = "ngày" if deadline.unit == "calendar_days" else "ngày làm việc"
        return f"{self.processing_days:02d} {days}"

    @model_validator(mode="after")
    def _two_levels(self) -> Procedure:
        if self.level == "district":
            raise ValueError(
                f"procedure {self.code} has level district: districts were abolished on "
                "1 July 2025; use commune or province"
            )
        if self.level not in PROCEDURE_LEVELS:
            raise ValueError(f"procedure {self.code}: level must be one of {PROCEDURE_LEVELS}")
        return self


PROCEDURE_LEVELS = ("commune", "province")
"""The levels that resolve procedures in two-level local government."""


class Catalogue(_Frozen):
    """All catalogues, cross-checked: every type a procedure names exists."""

    document_types: tuple[DocumentType, ...]
    procedures: tuple[Procedure, ...]
    provinces: dict[str, str]
    units: tuple[Unit, ...] = ()
    digitization_code: Literal["dossier", "owner"] = "dossier"
    """How digitization results are coded (document_types.yaml, key digitization_code):
    "dossier" <dossier code>.<NN>; "owner" <owner ID number>.<national paper-type
    code>.<NN>, falling back to "dossier" for a result whose owner or type's national code
    is unknown (config.identifiers)."""

    @model_validator(mode="after")
    def _check_references(self) -> Catalogue:
        check_register(self.units)
        known = {t.code for t in self.document_types}
        if OTHER_TYPE not in known:
            raise ValueError(f"the document type catalogue must include {OTHER_TYPE!r}")
        for proc in self.procedures:
            names = [proc.result_type, *(c.type for c in proc.components)]
            unknown = sorted(set(names) - known)
            if unknown:
                raise ValueError(f"procedure {proc.code} names unknown types {unknown}")
        return self

    def document_type(self, code: str) -> DocumentType:
        """The type with this code; NotFound names the code."""
        for doc_type in self.document_types:
            if doc_type.code == code:
                return doc_type
        raise NotFound(f"document type {code!r} is not in the catalogue")

    def unit(self, code: str) -> Unit:
        """The unit of the register with this code; UnknownUnit names the code."""
        return find_unit(self.units, code)

    def procedure(self, code: str) -> Procedure:
        """The procedure with this code; NotFound lists the ones that exist."""
        for proc in self.procedures:
            if proc.code == code:
                return proc
        known = ", ".join(p.code for p in self.procedures)
        raise NotFound(f"procedure {code!r} is not in the catalogue (known: {known})")


def _read_yaml(name: str, override_dir: Path | None) -> Any:
    if override_dir is not None and (override_dir / name).is_file():
        text = (override_dir / name).read_text(encoding="utf-8")
    else:
        text = resources.files("config").joinpath("data", name).read_text(encoding="utf-8")
    return yaml.safe_load(nfc(text))


def load_catalogue(override_dir: Path | None = None) -> Catalogue:
    """Read and validate the catalogues, from override_dir where a file exists there."""
    try:
        types = _read_yaml("document_types.yaml", override_dir)
        return Catalogue(
            document_types=types["document_types"],
            digitization_code=types.get("digitization_code", "dossier"),
            procedures=_read_yaml("procedures.yaml", override_dir)["procedures"],
            provinces={
                str(k): v
                for k, v in _read_yaml("provinces.yaml", override_dir)["provinces"].items()
            },
            units=_read_yaml("units.yaml", override_dir)["units"],
        )
    except (OSError, KeyError, TypeError, yaml.YAMLError, ValidationError) as e:
        raise ConfigurationError(f"catalogue files cannot be used: {e}") from e


@functools.cache
def get_catalogue() -> Catalogue:
    """The process's catalogue, loaded once from the settings' catalogue_dir or the defaults."""
    return load_catalogue(get_settings().catalogue_dir)
