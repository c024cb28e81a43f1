"""Whether a dossier has every component its procedure requires: present, missing or
uncertain, each with the reason a clerk reads.

A required component is *present* when the clerk checked it against a national database
instead of taking the paper (storage.national_checks), or when a digitized document fills
it and its type is sure (a clerk set or confirmed it, or the classifier's calibrated
confidence reaches `TYPE_SURE_CONFIDENCE`). It is *uncertain* when its document is still
being digitized, when the type of the document filling it is not sure, or when it is empty
but a document the classifier could not type (`khac`) has it among its likeliest
candidates: a clerk must look. Otherwise it is *missing*. A dossier is complete when every
required component is present; only then may its result go to signing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from config import defaults, labels
from config.catalogue import OTHER_TYPE
from storage.enums import ComponentState, DocumentStatus
from storage.models import Component, Document, Dossier

CANDIDATES_CONSIDERED = 2
"""How many of a `khac` document's candidates may make an empty component uncertain."""


class Verdict(StrEnum):
    """What the checklist says of one required component."""

    PRESENT = "present"
    MISSING = "missing"
    UNCERTAIN = "uncertain"


@dataclass(frozen=True)
class ComponentCheck:
    """One required component's verdict and why."""

    component_id: int
    label: str
    expected_type: str
    verdict: Verdict
    reason: str
    """In Vietnamese, for the clerk's checklist."""
    documents: tuple[int, ...] = ()
    """The documents that fill it, or (uncertain, empty) that may be it."""


@dataclass(frozen=True)
class Completeness:
    """The checklist of a dossier's required components."""

    checks: tuple[ComponentCheck, ...] = field(default_factory=tuple)

    @property
    def complete(self) -> bool:
        """Every required component present."""
        return all(c.verdict is Verdict.PRESENT for c in self.checks)

    def labels(self, verdict: Verdict) -> list[str]:
        """Labels of the required components with this verdict."""
        return [c.label for c in self.checks if c.verdict is verdict]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, as the CLI and the API show it."""
        return {
            "complete": self.complete,
            "present": self.labels(Verdict.PRESENT),
            "missing": self.labels(Verdict.MISSING),
            "uncertain": self.labels(Verdict.UNCERTAIN),
            "checks": [
                {
                    "component_id": c.component_id,
                    "label": c.label,
                    "expected_type": c.expected_type,
                    "verdict": c.verdict.value,
                    "reason": c.reason,
                    "documents": list(c.documents),
                }
                for c in self.checks
            ],
        }


def _sure(document: Document) -> bool:
    if document.type_source == "clerk":
        return True
    return (document.type_confidence or 0.0) >= defaults.TYPE_SURE_CONFIDENCE


def _maybe(component: Component, untyped: list[Document]) -> list[Document]:
    """The `khac` documents whose likeliest candidates include the component's type."""
    return [
        d
        for d in untyped
        if any(
            code == component.expected_type
            for code, _p in (d.type_candidates or [])[:CANDIDATES_CONSIDERED]
        )
    ]


def _check(component: Component, untyped: list[Document], zone: ZoneInfo | None) -> ComponentCheck:
    digitized = [d for d in component.documents if d.status is DocumentStatus.DIGITIZED]
    ids = tuple(d.id for d in digitized)
    base = (component.id, component.label, component.expected_type)
    if component.national_source is not None:
        at = component.national_checked_at
        when = (at.astimezone(zone) if zone and at else at).isoformat() if at else ""
        reason = labels.national_check(component.national_source,
                                       component.national_reference or "",
                                       component.national_checked_by or "", when)  # fmt: skip
        return ComponentCheck(*base, Verdict.PRESENT, reason, ids)
    if any(_sure(d) for d in digitized):
        return ComponentCheck(*base, Verdict.PRESENT, "Đã có bản số hóa.", ids)
    if digitized:
        best = max(d.type_confidence or 0.0 for d in digitized)
        reason = f"Loại giấy tờ chưa chắc chắn (độ tin cậy {best:.0%}); cán bộ cần xác nhận."
        return ComponentCheck(*base, Verdict.UNCERTAIN, reason, ids)
    if component.state is ComponentState.RECEIVED:
        return ComponentCheck(*base, Verdict.UNCERTAIN, "Đang số hóa.")
    maybe = _maybe(component, untyped)
    if maybe:
        files = ", ".join(d.original_filename for d in maybe)
        reason = f"Có thể là giấy tờ chưa xác định loại: {files}; cán bộ cần xác nhận."
        return ComponentCheck(*base, Verdict.UNCERTAIN, reason, tuple(d.id for d in maybe))
    return ComponentCheck(*base, Verdict.MISSING, "Chưa nộp.")


def check_completeness(dossier: Dossier, zone: ZoneInfo | None = None) -> Completeness:
    """The checklist of `dossier`'s required components (times in `zone`: the office's)."""
    untyped = [
        d
        for d in dossier.documents
        if d.status is DocumentStatus.DIGITIZED and d.document_type == OTHER_TYPE
    ]
    return Completeness(tuple(_check(c, untyped, zone) for c in dossier.components if c.required))
