"""A citizen with a still-valid digitization result in a unit, and a new dossier of theirs
whose ID card component that result may serve, made without OCR or a signing key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from api.services import open_dossier
from config.catalogue import get_catalogue
from config.settings import Settings
from storage.db import open_database
from storage.dossiers import get_dossier, receive_dossier
from tests.support.results import signed_result

EARLIER = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Reusable:
    """A dossier with a missing ID card component, and the applicant's earlier card."""

    code: str
    component: int
    result: str
    """The earlier result's code."""
    id_number: str

    @property
    def path(self) -> str:
        """CODE/components/ID, as the reuse routes name the component."""
        return f"{self.code}/components/{self.component}"


def reusable_card(settings: Settings, unit: str, id_number: str, *, seed: int = 0) -> Reusable:
    """The applicant `id_number`'s ID card digitized and signed by the clerk in an earlier
    dossier of `unit`, and a new dossier of theirs in `unit` still missing the card."""
    procedure = get_catalogue().procedure("1.001193")
    with open_database(settings).session() as session:
        earlier = receive_dossier(
            session, settings, procedure=procedure, applicant_name="Trần Thị Mai",
            applicant_id_number=id_number, unit_code=unit, received_at=EARLIER, actor="test",
        )  # fmt: skip
        result_code = signed_result(
            session, earlier, "cccd", at=EARLIER, sha256=f"{seed:064x}",
            fields={"id_number": {"value": id_number}},
        ).code  # fmt: skip
    code = open_dossier(
        settings, procedure_code="1.001193", applicant_name="Trần Thị Mai",
        applicant_id_number=id_number, unit_code=unit, actor="test",
    )  # fmt: skip
    with open_database(settings).session(readonly=True) as session:
        component = next(
            c.id for c in get_dossier(session, code).components if c.expected_type == "cccd"
        )
    return Reusable(code, component, result_code, id_number)
