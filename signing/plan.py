"""From a dossier and the signing policy to its signatures in order, and from a signer
profile and a role in the workflow to the options of one signature."""

from __future__ import annotations

from collections.abc import Mapping

from config.errors import InvalidRequest
from config.settings import Settings
from signing.levels import PadesLevel
from signing.pades import SignOptions
from signing.profiles import Role, SignerProfile, key_path, signer_registry, signing_policy
from signing.stamps import StampContent, StampKind
from storage.completeness import Verdict, check_completeness
from storage.models import Dossier
from storage.signatures import PlannedSignature

FIELD_NAMES = {
    Role.LEADER: "lanh_dao",
    Role.DRAFTER: "chuyen_vien",
    Role.ORGANISATION: "co_quan",
    Role.CLERK: "mot_cua",
}
"""Signature field per role: the seal's field is reserved by the leader's signature."""

COPY_FIELD = "ban_sao"
"""Signature field of an organisation's electronic copy."""

DIGITIZED_FIELD = "ban_so_hoa"
"""Signature field of the clerk's signature on a digitization result."""

REASONS = {
    Role.LEADER: "Phê duyệt và ký ban hành",
    Role.DRAFTER: "Ký nháy (người soạn thảo)",
    Role.ORGANISATION: "Ký số của cơ quan, tổ chức",
    Role.CLERK: "Ký số của công chức Bộ phận Một cửa",
}


def stamp_for(profile: SignerProfile, settings: Settings, copy_type: str | None) -> StampContent:
    """The stamp a profile's signature shows: its image, name, title and unit."""
    if copy_type is not None:
        return StampContent(StampKind.COPY, profile.unit, copy_type=copy_type)
    if profile.role is Role.ORGANISATION:
        image = key_path(settings, profile.seal_image) if profile.seal_image else None
        return StampContent(StampKind.SEAL, profile.full_name, image=image)
    image = key_path(settings, profile.signature_image) if profile.signature_image else None
    return StampContent(StampKind.PERSON, profile.full_name, profile.title, profile.unit, image)


def options_for(
    profile: SignerProfile,
    settings: Settings,
    level: PadesLevel,
    *,
    copy_type: str | None = None,
    fill: Mapping[str, str] | None = None,
) -> SignOptions:
    """A profile's signature: the leader's certifies (when first) and prepares the number,
    date and seal fields; the organisation's fills them and goes into the seal's field."""
    if copy_type is not None:
        return SignOptions(
            level=level,
            stamp=stamp_for(profile, settings, copy_type),
            field_name=COPY_FIELD,
            reason=f"{copy_type} (bản sao điện tử)",
            location=profile.location,
        )
    leader = profile.role is Role.LEADER
    return SignOptions(
        level=level,
        stamp=stamp_for(profile, settings, None),
        field_name=FIELD_NAMES[profile.role],
        reason=REASONS[profile.role],
        location=profile.location,
        issue_fields=leader,
        reserve_seal=FIELD_NAMES[Role.ORGANISATION] if leader else None,
        fill=dict(fill or {}),
    )


def digitization_options(profile: SignerProfile, level: PadesLevel, code: str) -> SignOptions:
    """The clerk's personal signature on a digitization result: the notice top left of
    page 1 (who, when, "bản số hóa" and the result's code); it does not certify, so the
    organisation may still sign a copy of it later."""
    return SignOptions(
        level=level,
        stamp=StampContent(StampKind.DIGITIZED, profile.full_name, copy_type=code),
        field_name=DIGITIZED_FIELD,
        certify=False,
        reason=f"Số hóa bản giấy, kết quả số hóa {code}",
        location=profile.location,
    )


def key_file_options(level: PadesLevel) -> SignOptions:
    """A signature with a bare key file: the stamp names the certificate's holder."""
    return SignOptions(
        level=level,
        stamp=StampContent(StampKind.PERSON, ""),
        field_name="chu_ky",
        issue_fields=False,
    )


def plan_for(dossier: Dossier, settings: Settings, leader: str | None) -> list[PlannedSignature]:
    """The signing order of the policy, with the named leader (or the unit's) and seal."""
    registry = signer_registry(settings)
    plan = []
    for role in signing_policy(settings).workflow:
        if role is Role.LEADER and leader is not None:
            profile = registry.get(leader)
            if profile.role is not Role.LEADER:
                raise InvalidRequest(f"profile {leader!r} is a {profile.role.value}, not a leader")
        else:
            profile = registry.for_role(role, dossier.unit_code)
        plan.append(PlannedSignature(role.value, profile.name, profile.full_name))
    return plan


def require_complete(dossier: Dossier) -> None:
    """A result is signed only for a dossier whose required components are all present."""
    checklist = check_completeness(dossier)
    if not checklist.complete:
        open_items = [
            f"{c.label} ({c.verdict.value}: {c.reason})"
            for c in checklist.checks
            if c.verdict is not Verdict.PRESENT
        ]
        raise InvalidRequest(f"dossier {dossier.code} is not complete: " + "; ".join(open_items))
