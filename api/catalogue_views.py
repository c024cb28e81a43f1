"""What an admin reads of the catalogues, never edits: the unit register, the procedure
catalogue and the signer profiles (keys named by their kind only, never a path, a URL or a
variable holding a secret)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from config import labels
from config.catalogue import get_catalogue
from config.errors import NotFound
from config.settings import Settings
from signing.profiles import signer_registry


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True)


class UnitRow(_Row):
    """A unit of the register."""

    code: str
    name: str
    level: str
    level_name: str
    """The level in Vietnamese."""
    parent: str | None
    agency_code: str | None
    """The agency part of the dossier codes it gives out (a receiving unit's)."""
    role: str
    """receive, resolve or both."""
    remote: bool


class ComponentRow(_Row):
    """A component a procedure's dossier is made of."""

    type: str
    label: str
    required: bool


class ProcedureRow(_Row):
    """A procedure of the catalogue."""

    code: str
    name: str
    level: str
    level_name: str
    processing_time: str
    """As the receipt prints it."""
    fee: int
    result_type: str
    result_name: str
    components: list[ComponentRow]


class SignerRow(_Row):
    """A signer profile: who signs, as what, for which unit, with which kind of key."""

    name: str
    role: str
    full_name: str
    title: str
    unit: str
    unit_code: str | None
    key_kind: str
    """pkcs12 (a key file), pkcs11 (a token on the server), agent (the leader's USB token),
    csc (a remote signing service) or plugin."""


class Catalogue(BaseModel):
    """The catalogues an admin reads."""

    units: list[UnitRow]
    procedures: list[ProcedureRow]
    signers: list[SignerRow]


def _type_name(code: str) -> str:
    try:
        return get_catalogue().document_type(code).name
    except NotFound:
        return code


def catalogue_view(settings: Settings) -> Catalogue:
    """The unit register, the procedures and the signer profiles, as configured now."""
    catalogue = get_catalogue()
    units = [
        UnitRow(code=u.code, name=u.name, level=u.level.value,
                level_name=labels.UNIT_LEVELS.get(u.level.value, u.level.value),
                parent=u.parent, agency_code=u.agency_code, role=u.role.value, remote=u.remote)
        for u in catalogue.units
    ]  # fmt: skip
    procedures = [
        ProcedureRow(code=p.code, name=p.name, level=p.level,
                     level_name=labels.PROCEDURE_LEVELS.get(p.level, p.level),
                     processing_time=p.processing_time(), fee=p.fee, result_type=p.result_type,
                     result_name=_type_name(p.result_type),
                     components=[ComponentRow(type=c.type, label=c.label, required=c.required)
                                 for c in p.components])
        for p in catalogue.procedures
    ]  # fmt: skip
    signers = [
        SignerRow(name=s.name, role=s.role.value, full_name=s.full_name, title=s.title,
                  unit=s.unit, unit_code=s.unit_code, key_kind=s.key.kind)
        for s in signer_registry(settings).profiles
    ]  # fmt: skip
    return Catalogue(units=units, procedures=procedures, signers=signers)
