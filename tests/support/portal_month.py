"""A fixture month worked out by hand: seven dossiers of xa-hoa-binh in March 2026 whose
portal and strict figures tests/storage/test_portal.py computes in its docstring, so that the
storage functions, `sohoa stats` and the dashboard are all checked against the same numbers."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from config.calendar import get_calendar
from config.catalogue import get_catalogue
from config.settings import Settings
from storage.deadlines import receive_supplement, request_supplement
from storage.documents import add_document
from storage.dossiers import Intake, finish_dossier, receive_dossier
from storage.enums import Channel, DossierStatus, PaymentStatus, Rating
from storage.models import Dossier
from storage.outcomes import end_dossier, mark_processed, record_rating

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
BIRTH, BUSINESS, LAND = "1.001193", "1.001612", "1.004227"
NOW = datetime(2026, 4, 10, 9, 0, tzinfo=HANOI)

PORTAL_MARCH = {
    "on_time": (5, 7), "electronic_result": (2, 6), "digitization": (2, 6), "reuse": (2, 6),
    "population_data": (1, 6), "online": (1, 6), "direct": (4, 6), "postal": (1, 6),
    "online_payment": (1, 2), "dissatisfied": (1, 3),
}  # fmt: skip
"""The portal's figures of xa-hoa-binh in March 2026, (numerator, denominator), as worked out
by hand in tests/storage/test_portal.py's docstring; satisfaction 8/21."""
STRICT_MARCH = {
    "on_time": (1, 3), "digitization": (0, 3), "electronic_result": (0, 3), "reuse": (0, 6),
}  # fmt: skip
"""sohoa's stricter figures of the same month, worked out there too."""


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of 2026, office time."""
    return datetime(2026, month, day, hour, minute, tzinfo=HANOI)


def month_dossier(
    session: Session, settings: Settings, procedure: str, received: datetime,
    appointment: datetime, *, unit: str = "xa-hoa-binh", intake: Intake | None = None,
) -> Dossier:  # fmt: skip
    """A dossier whose receipt promised `appointment` (set here, so the deadline rules of
    storage.deadlines do not enter the hand computation)."""
    dossier = receive_dossier(
        session, settings, procedure=get_catalogue().procedure(procedure),
        applicant_name="Phạm Thị Mai", applicant_id_number=None, unit_code=unit,
        received_at=received, actor="clerk", intake=intake,
        competent_unit_code=None if unit == "xa-hoa-binh" else "xa-hoa-binh",
    )  # fmt: skip
    dossier.appointment_at = dossier.first_appointment_at = appointment
    return dossier


def attach(
    session: Session, dossier: Dossier, label: str, *, result_type: str | None = None
) -> None:
    """A digitized file: on the dossier's first component, or its result (`result_type`)."""
    document, _ = add_document(
        session, dossier, filename=f"{label}.pdf", sha256=label.ljust(64, "0")[:64], size=1,
        media_type="application/pdf", actor="clerk",
        component_id=None if result_type else dossier.components[0].id,
    )  # fmt: skip
    document.pdf_sha256, document.document_type = "f" * 64, result_type


def fixture_month(session: Session, settings: Settings) -> None:
    """Seven dossiers of xa-hoa-binh, March 2026 (D7 received in February)."""
    d1 = month_dossier(session, settings, BIRTH, at(3, 2, 9), at(3, 3, 17))
    attach(session, d1, "d1-scan")
    attach(session, d1, "d1-result", result_type="giay_khai_sinh")
    mark_processed(session, d1, at=at(3, 3, 10), actor="leader")
    finish_dossier(session, d1, at=at(3, 3, 16), actor="clerk")
    record_rating(session, d1, rating=Rating.SATISFIED, at=at(3, 3, 16), actor="clerk")

    online = Intake(channel=Channel.ONLINE, payment=PaymentStatus.PAID_ONLINE)
    d2 = month_dossier(session, settings, BUSINESS, at(3, 4, 9), at(3, 9, 17), intake=online)
    attach(session, d2, "d2-scan")
    attach(session, d2, "d2-result", result_type="giay_chung_nhan_ho_kinh_doanh")
    request_supplement(session, d2, reason="Thiếu biên bản họp", at=at(3, 5, 9), actor="c")
    receive_supplement(session, d2, at=at(3, 9, 9), actor="c", zone=HANOI,
                       calendar=get_calendar())  # fmt: skip
    mark_processed(session, d2, at=at(3, 12, 10), actor="leader")
    finish_dossier(session, d2, at=at(3, 12, 11), actor="clerk")
    record_rating(session, d2, rating=Rating.DISSATISFIED, at=at(3, 12, 11), actor="clerk")

    d3 = month_dossier(session, settings, BIRTH, at(3, 10, 9), at(3, 11, 17),
                  intake=Intake(channel=Channel.POSTAL))  # fmt: skip
    end_dossier(session, d3, state=DossierStatus.REFUSED, reason="Không thuộc thẩm quyền",
                at=at(3, 11, 9), actor="clerk")  # fmt: skip

    d4 = month_dossier(session, settings, LAND, at(3, 16, 9), at(3, 30, 17),
                  intake=Intake(national_data=("population",)))  # fmt: skip
    attach(session, d4, "d4-scan")

    d5 = month_dossier(session, settings, BIRTH, at(3, 20, 9), at(3, 23, 17),
                  intake=Intake(national_data=("civil_status",)))  # fmt: skip
    request_supplement(session, d5, reason="Thiếu giấy chứng sinh", at=at(3, 20, 10), actor="c")
    receive_supplement(session, d5, at=at(3, 21, 9), actor="c", zone=HANOI,
                       calendar=get_calendar())  # fmt: skip
    request_supplement(session, d5, reason="Sai họ tên cha", at=at(3, 23, 9), actor="c")

    d6 = month_dossier(session, settings, BUSINESS, at(3, 25, 9), at(3, 30, 17), unit="ttphcc-tinh")
    end_dossier(session, d6, state=DossierStatus.WITHDRAWN, reason="Công dân rút hồ sơ",
                at=at(3, 26, 9), actor="clerk")  # fmt: skip

    d7 = month_dossier(session, settings, BIRTH, at(2, 27, 9), at(3, 2, 17))
    attach(session, d7, "d7-scan")
    mark_processed(session, d7, at=at(3, 2, 16), actor="leader")
    finish_dossier(session, d7, at=at(3, 3, 9), actor="clerk")
