"""Trust anchor sets by role: which roots a leader's, a seal's, a clerk's signature and a
timestamp may chain to (trust.yaml).

Decree 68/2024/NĐ-CP: state bodies sign official documents with official-duty certificates
of the government CA (Ban Cơ yếu Chính phủ, VGCA), leaders' and seals' included. Decree
23/2025/NĐ-CP: public CAs chain to the national root (NEAC) and serve everyone else. A valid
chain is not enough: a leader's signature that chains only to a public CA is not an
official-duty signature, and verification says so (Verdict.WRONG_TRUST_SET). Timestamp
authorities are their own set. A deployment whose signers' sets list no certificate, a role
trust.yaml does not list and a signature whose role is unknown (a field sohoa did not
create) are checked against every trusted root (SOHOA_TRUST_ROOTS and the sets), as before.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml
from asn1crypto import x509
from pydantic import BaseModel, ConfigDict, ValidationError

from config.errors import ConfigurationError
from config.settings import Settings
from config.text import nfc
from signing.plan import COPY_FIELD, DIGITIZED_FIELD, FIELD_NAMES
from signing.profiles import Role
from signing.trust import load_trust_roots

TIMESTAMP_SET = "timestamp"
"""The set every signature timestamp and document timestamp must chain to, when configured."""

FIELD_ROLES: Mapping[str, Role] = {
    **{name: role for role, name in FIELD_NAMES.items()},
    COPY_FIELD: Role.ORGANISATION,
    DIGITIZED_FIELD: Role.CLERK,
}
"""The role of each signature field sohoa creates (signing.plan)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TrustSetSpec(_Frozen):
    """One set of trust.yaml: what it is and where its root certificates are."""

    name: str
    """What the set is, in Vietnamese, for reports."""
    files: tuple[Path, ...] = ()
    """PEM/DER files or folders of them; relative paths from trust.yaml's folder."""


class TrustConfig(_Frozen):
    """trust.yaml: the sets, and which sets each role's signatures may chain to."""

    sets: dict[str, TrustSetSpec]
    roles: dict[Role, tuple[str, ...]]


@dataclass(frozen=True)
class TrustSets:
    """Loaded sets: their roots (DER bytes, for lookup) and names, and the roles' sets.
    Empty (the default) checks nothing."""

    roots: Mapping[str, frozenset[bytes]] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)
    roles: Mapping[Role, tuple[str, ...]] = field(default_factory=dict)
    certificates: tuple[x509.Certificate, ...] = ()
    """Every set's roots, which validation must also trust."""

    def sets_of(self, root: x509.Certificate | None) -> list[str]:
        """The sets a root certificate belongs to, in configured order."""
        der = root.dump() if root is not None else None
        return [name for name, ders in self.roots.items() if der in ders]

    def signer_problem(self, field_name: str, root: x509.Certificate | None) -> str | None:
        """Why a signature in this field may not chain to this root, else None: once any
        signers' set has roots, a role's signature must chain to one of its role's sets."""
        role = FIELD_ROLES.get(field_name)
        configured = any(ders for name, ders in self.roots.items() if name != TIMESTAMP_SET)
        if role is None or root is None or not configured or role not in self.roles:
            return None
        allowed = self.roles[role]
        if set(self.sets_of(root)) & set(allowed):
            return None
        wanted = " or ".join(self.names.get(s, s) for s in allowed)
        return f"wrong trust set: a {role} signature must chain to {wanted}"

    def timestamp_problem(self, root: x509.Certificate | None) -> str | None:
        """Why a timestamp may not chain to this root (the timestamp set is configured and
        the root is not in it), else None."""
        if not self.roots.get(TIMESTAMP_SET) or root is None:
            return None
        if TIMESTAMP_SET in self.sets_of(root):
            return None
        return f"wrong trust set: a timestamp must chain to {self.names[TIMESTAMP_SET]}"


def build_trust_sets(config: TrustConfig, base: Path | None) -> TrustSets:
    """Load every set's certificates (relative files from `base`)."""
    roots: dict[str, frozenset[bytes]] = {}
    certificates: list[x509.Certificate] = []
    for name, spec in config.sets.items():
        paths = [p if p.is_absolute() or base is None else base / p for p in spec.files]
        loaded = load_trust_roots(paths)
        roots[name] = frozenset(c.dump() for c in loaded)
        certificates.extend(loaded)
    unknown = {s for sets in config.roles.values() for s in sets} - set(config.sets)
    if unknown:
        raise ConfigurationError(f"trust.yaml: roles name sets it does not define: {unknown}")
    names = {name: spec.name for name, spec in config.sets.items()}
    return TrustSets(roots, names, dict(config.roles), tuple(certificates))


@functools.cache
def _load(override_dir: Path | None) -> TrustSets:
    if override_dir is not None and (override_dir / "trust.yaml").is_file():
        base: Path | None = override_dir
        text = (override_dir / "trust.yaml").read_text(encoding="utf-8")
    else:
        base = None  # the shipped file lists no certificates
        text = resources.files("config").joinpath("data", "trust.yaml").read_text("utf-8")
    try:
        config = TrustConfig.model_validate(yaml.safe_load(nfc(text)))
    except (yaml.YAMLError, ValidationError) as e:
        raise ConfigurationError(f"trust.yaml cannot be used: {e}") from e
    return build_trust_sets(config, base)


def trust_sets(settings: Settings) -> TrustSets:
    """This deployment's trust sets (trust.yaml in SOHOA_CATALOGUE_DIR, else the shipped
    one, whose sets are empty)."""
    return _load(settings.catalogue_dir)
