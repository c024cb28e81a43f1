"""Signer profiles and the signing policy, read from signers.yaml and signing.yaml.

A profile says who signs (name, title, unit), in which role (leader, deputy, drafter, the
organisation's seal), with which key, and with which stamp images. The policy says which
PAdES level a result gets (by procedure, then document type) and the order of signatures.
Both ship as examples in config/data and are replaced by files in SOHOA_CATALOGUE_DIR.
"""

from __future__ import annotations

import functools
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from config import defaults
from config.errors import ConfigurationError
from config.settings import Settings
from config.text import nfc
from signing.errors import UnknownProfile
from signing.levels import PadesLevel


class Role(StrEnum):
    """What a signature stands for on a result, in Decree 30/2020's order."""

    DRAFTER = "drafter"
    """The specialist's initials on the draft (ký nháy)."""
    LEADER = "leader"
    """The leader who approves the result (chủ tịch, phó chủ tịch...)."""
    ORGANISATION = "organisation"
    """The organisation's seal signature, applied by văn thư."""
    CLERK = "clerk"
    """The one-stop clerk who digitizes papers and signs the digitization results."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Pkcs12Key(_Frozen):
    """A key file (.p12/.pfx): passphrase from SOHOA_SIGN_PASSPHRASE(_FILE)."""

    kind: Literal["pkcs12"] = "pkcs12"
    path: Path
    passphrase_env: str | None = None
    """A variable holding this key's own passphrase, if it differs from the default."""


class Pkcs11Key(_Frozen):
    """A token or HSM on the server: PIN from SOHOA_TOKEN_PIN(_FILE)."""

    kind: Literal["pkcs11"] = "pkcs11"
    token_label: str
    key_label: str
    cert_label: str | None = None
    module: Path | None = None
    """The PKCS#11 library; unset: SOHOA_PKCS11_MODULE."""
    pin_env: str | None = None


class AgentKey(_Frozen):
    """The leader's own USB token, on the leader's computer, used through sohoa sign-agent."""

    kind: Literal["agent"] = "agent"
    certificate: Path
    """The leader's certificate (PEM, chain after it): the server prepares with it, and a
    signing agent presenting any other certificate (another SHA-256 fingerprint) signs
    nothing for this profile. A key file profile (pkcs12) is checked against its own."""
    agent_url: str | None = None
    """Where the leader's agent listens, when the server may call it directly."""


class CscKey(_Frozen):
    """A remote signing service speaking the Cloud Signature Consortium API (v1)."""

    kind: Literal["csc"] = "csc"
    service_url: str
    credential_id: str
    token_env: str
    """Variable holding the OAuth access token for the service."""
    pin_env: str | None = None
    """Variable holding the credential's PIN, for credentials/authorize."""


class PluginKey(_Frozen):
    """A KeySource class named `module:Class` (an HSM vendor's adapter, or a test double)."""

    kind: Literal["plugin"] = "plugin"
    factory: str


KeySpec = Annotated[
    Pkcs12Key | Pkcs11Key | AgentKey | CscKey | PluginKey, Field(discriminator="kind")
]


class SignerProfile(_Frozen):
    """Who signs, as what, with which key and stamp images."""

    name: str
    """Stable identifier used on the command line and in the database."""
    role: Role
    full_name: str
    title: str = ""
    """The title as printed over the signature, e.g. "Chủ tịch", "Phó Chủ tịch"."""
    unit: str
    """The organisation the signer acts for."""
    unit_code: str | None = None
    """Unit (SOHOA_UNIT_CODE) whose results this profile signs by default."""
    key: KeySpec
    signature_image: Path | None = None
    seal_image: Path | None = None
    location: str | None = None


class SigningPolicy(_Frozen):
    """PAdES levels and the order of signatures on results."""

    default_level: PadesLevel = PadesLevel(defaults.PADES_LEVEL)
    document_types: dict[str, PadesLevel] = Field(default_factory=dict)
    procedures: dict[str, PadesLevel] = Field(default_factory=dict)
    workflow: tuple[Role, ...] = (Role.LEADER, Role.ORGANISATION)
    """Roles in signing order; the first signature certifies the document."""
    number_symbols: dict[str, str] = Field(default_factory=dict)
    """By document type: the symbol after a result's number ("15/QĐ-UBND")."""
    digitization_level: PadesLevel | None = None
    """The clerk's signature on digitization results; None: default_level."""

    def level_for(self, procedure_code: str | None, document_type: str | None) -> PadesLevel:
        """The procedure's level, else the document type's, else the default."""
        if procedure_code and procedure_code in self.procedures:
            return self.procedures[procedure_code]
        if document_type and document_type in self.document_types:
            return self.document_types[document_type]
        return self.default_level


class SignerRegistry(_Frozen):
    """Every configured signer profile."""

    profiles: tuple[SignerProfile, ...]

    def get(self, name: str) -> SignerProfile:
        """The profile by name; UnknownProfile lists the ones that exist."""
        for profile in self.profiles:
            if profile.name == name:
                return profile
        known = ", ".join(p.name for p in self.profiles) or "none"
        raise UnknownProfile(f"no signer profile named {name!r} (configured: {known})")

    def for_role(self, role: Role, unit_code: str | None) -> SignerProfile:
        """The unit's profile for a role (the first listed); any unit's if none is the unit's."""
        candidates = [p for p in self.profiles if p.role is role]
        for profile in candidates:
            if profile.unit_code == unit_code:
                return profile
        if candidates:
            return candidates[0]
        raise UnknownProfile(f"no signer profile has the role {role.value!r}")


def _read(name: str, override_dir: Path | None) -> object:
    if override_dir is not None and (override_dir / name).is_file():
        text = (override_dir / name).read_text(encoding="utf-8")
    else:
        text = resources.files("config").joinpath("data", name).read_text(encoding="utf-8")
    return yaml.safe_load(nfc(text))


@functools.cache
def _load(override_dir: Path | None) -> tuple[SignerRegistry, SigningPolicy]:
    try:
        signers = _read("signers.yaml", override_dir)
        policy = _read("signing.yaml", override_dir)
        assert isinstance(signers, dict) and isinstance(policy, dict)
        return SignerRegistry(profiles=signers["profiles"]), SigningPolicy(**policy)
    except (OSError, KeyError, TypeError, AssertionError, yaml.YAMLError, ValidationError) as e:
        raise ConfigurationError(f"signers.yaml or signing.yaml cannot be used: {e}") from e


def signer_registry(settings: Settings) -> SignerRegistry:
    """The signer profiles of this deployment."""
    return _load(settings.catalogue_dir)[0]


def signing_policy(settings: Settings) -> SigningPolicy:
    """The signing policy of this deployment."""
    return _load(settings.catalogue_dir)[1]


def key_path(settings: Settings, path: Path) -> Path:
    """A profile's relative path taken from the key directory."""
    return path if path.is_absolute() else settings.key_path / path


def clerk_profile(settings: Settings, unit_code: str) -> SignerProfile:
    """The unit's clerk who signs its digitization results (signers.yaml, role clerk).

    The key is the unit's clerk's, whoever is signed in; the profile is recorded on each
    result, so who signed stays known."""
    profile = signer_registry(settings).for_role(Role.CLERK, unit_code)
    if isinstance(profile.key, AgentKey):
        raise ConfigurationError(
            f"signer profile {profile.name}: a clerk signs on the server (pkcs12, pkcs11, "
            "csc), not through the leader's signing agent"
        )
    return profile
