"""The national portal's 766 figures on a fixture month whose every number is worked out by
hand below (no call into storage.portal finds an expected figure), beside sohoa's own."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from config.calendar import get_calendar
from config.catalogue import get_catalogue
from config.settings import Settings
from storage.db import Database
from storage.deadlines import receive_supplement, request_supplement
from storage.documents import add_document
from storage.dossiers import Intake, finish_dossier, receive_dossier
from storage.enums import Channel, DossierStatus, PaymentStatus, Rating
from storage.models import Dossier
from storage.outcomes import end_dossier, mark_processed, record_rating
from storage.portal import portal_rates
from storage.stats import unit_month_rates

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
BIRTH, BUSINESS, LAND = "1.001193", "1.001612", "1.004227"
NOW = datetime(2026, 4, 10, 9, 0, tzinfo=HANOI)


def _at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=HANOI)


def _dossier(
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


def _file(
    session: Session, dossier: Dossier, label: str, *, result_type: str | None = None
) -> None:
    """A digitized file: on the dossier's first component, or its result (`result_type`)."""
    document, _ = add_document(
        session, dossier, filename=f"{label}.pdf", sha256=label.ljust(64, "0")[:64], size=1,
        media_type="application/pdf", actor="clerk",
        component_id=None if result_type else dossier.components[0].id,
    )  # fmt: skip
    document.pdf_sha256, document.document_type = "f" * 64, result_type


def _fixture_month(session: Session, settings: Settings) -> None:
    """Seven dossiers of xa-hoa-binh, March 2026 (D7 received in February)."""
    d1 = _dossier(session, settings, BIRTH, _at(3, 2, 9), _at(3, 3, 17))
    _file(session, d1, "d1-scan")
    _file(session, d1, "d1-result", result_type="giay_khai_sinh")
    mark_processed(session, d1, at=_at(3, 3, 10), actor="leader")
    finish_dossier(session, d1, at=_at(3, 3, 16), actor="clerk")
    record_rating(session, d1, rating=Rating.SATISFIED, at=_at(3, 3, 16), actor="clerk")

    online = Intake(channel=Channel.ONLINE, payment=PaymentStatus.PAID_ONLINE)
    d2 = _dossier(session, settings, BUSINESS, _at(3, 4, 9), _at(3, 9, 17), intake=online)
    _file(session, d2, "d2-scan")
    _file(session, d2, "d2-result", result_type="giay_chung_nhan_ho_kinh_doanh")
    request_supplement(session, d2, reason="Thiếu biên bản họp", at=_at(3, 5, 9), actor="c")
    receive_supplement(session, d2, at=_at(3, 9, 9), actor="c", zone=HANOI,
                       calendar=get_calendar())  # fmt: skip
    mark_processed(session, d2, at=_at(3, 12, 10), actor="leader")
    finish_dossier(session, d2, at=_at(3, 12, 11), actor="clerk")
    record_rating(session, d2, rating=Rating.DISSATISFIED, at=_at(3, 12, 11), actor="clerk")

    d3 = _dossier(session, settings, BIRTH, _at(3, 10, 9), _at(3, 11, 17),
                  intake=Intake(channel=Channel.POSTAL))  # fmt: skip
    end_dossier(session, d3, state=DossierStatus.REFUSED, reason="Không thuộc thẩm quyền",
                at=_at(3, 11, 9), actor="clerk")  # fmt: skip

    d4 = _dossier(session, settings, LAND, _at(3, 16, 9), _at(3, 30, 17),
                  intake=Intake(national_data=("population",)))  # fmt: skip
    _file(session, d4, "d4-scan")

    d5 = _dossier(session, settings, BIRTH, _at(3, 20, 9), _at(3, 23, 17),
                  intake=Intake(national_data=("civil_status",)))  # fmt: skip
    request_supplement(session, d5, reason="Thiếu giấy chứng sinh", at=_at(3, 20, 10), actor="c")
    receive_supplement(session, d5, at=_at(3, 21, 9), actor="c", zone=HANOI,
                       calendar=get_calendar())  # fmt: skip
    request_supplement(session, d5, reason="Sai họ tên cha", at=_at(3, 23, 9), actor="c")

    d6 = _dossier(session, settings, BUSINESS, _at(3, 25, 9), _at(3, 30, 17), unit="ttphcc-tinh")
    end_dossier(session, d6, state=DossierStatus.WITHDRAWN, reason="Công dân rút hồ sơ",
                at=_at(3, 26, 9), actor="clerk")  # fmt: skip

    d7 = _dossier(session, settings, BIRTH, _at(2, 27, 9), _at(3, 2, 17))
    _file(session, d7, "d7-scan")
    mark_processed(session, d7, at=_at(3, 2, 16), actor="leader")
    finish_dossier(session, d7, at=_at(3, 3, 9), actor="clerk")


def _pairs(row: dict[str, object], names: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    return {n: (row[n]["numerator"], row[n]["denominator"]) for n in names}  # type: ignore[index]


def test_a_hand_computed_month_gives_the_portals_figures_and_sohoas(
    database: Database, settings: Settings
) -> None:
    """GIVEN March 2026 at xa-hoa-binh:
      D1 birth, direct; processed 3/3 10:00, returned 3/3 16:00, due 3/3 17:00; scan+result
      D2 business, online, paid online; due 9/3 17:00; supplement asked 5/3 09:00, brought
         9/3 09:00 (96 h; sohoa moves the appointment 2 working days to 11/3); processed
         12/3 10:00, returned 12/3 11:00; scan+result; rated dissatisfied
      D3 birth, postal; refused 11/3 09:00, due 11/3 17:00; no file
      D4 land, direct, population DB used; due 30/3 17:00; still open; scan only
      D5 birth, direct, civil-status DB used; due 23/3; supplement asked twice; waiting
      D6 business, received at the provincial centre for xa-hoa-binh; fee unpaid;
         withdrawn 26/3 09:00, due 30/3 17:00
      D7 birth received 27/2, due 2/3 17:00; processed 2/3 16:00, returned 3/3 09:00; scan
    THEN the portal (period March, judged on 10 April) counts:
      on_time 5/7: D1 3/3 10:00 <= 3/3 17:00; D2 12/3 10:00 - 96 h = 8/3 10:00 <= 9/3 17:00;
        D3 refused in time; D6 withdrawn in time; D7 processed 2/3 16:00 <= 17:00 (returned
        late does not matter); D4 open past 30/3 17:00 at the month's end: late; D5 two
        requests: late
      received in March (D1-D6) = 6: electronic_result 2/6 (D1, D2); digitization 2/6 (D1,
        D2; D4 has no result); reuse 2/6 (D4, D5 national data); population_data 1/6 (D4);
        online 1/6 (D2, with its electronic result); direct 4/6 (D1 D4 D5 D6); postal 1/6;
        online_payment 1/2 (fees: D2 paid online, D6 unpaid)
      dissatisfied 1/3 (returned in March: D1, D2, D7; D2 dissatisfied);
      satisfaction = 1 - (2/7 late) - 1/3 = 8/21
    AND sohoa's strict figures: finished (returned) in March D1, D2, D7: on_time 1/3 (D1;
      D2 returned 12/3 11:00 after its moved 11/3 17:00; D7 returned 3/3 after 2/3),
      digitization 0/3 and electronic_result 0/3 (nothing certified or signed), reuse 0/6
      (no component reused a digitization result)."""
    with database.session() as session:
        _fixture_month(session, settings)
    first, last = date(2026, 3, 1), date(2026, 3, 31)
    with database.session() as session:
        rows, total = portal_rates(session, HANOI, now=NOW, start=first, end=last)
        ours = unit_month_rates(session, HANOI, start=first, end=last)
        by_centre, _ = portal_rates(session, HANOI, by="receiving", now=NOW, start=first,
                                    end=last)  # fmt: skip
    assert [(r.unit, r.month) for r in rows] == [("xa-hoa-binh", "2026-03")]
    portal = rows[0].to_dict()
    assert _pairs(portal, tuple(rows[0].rates)) == {
        "on_time": (5, 7), "electronic_result": (2, 6), "digitization": (2, 6),
        "reuse": (2, 6), "population_data": (1, 6), "online": (1, 6), "direct": (4, 6),
        "postal": (1, 6), "online_payment": (1, 2), "dissatisfied": (1, 3),
    }  # fmt: skip
    assert portal["satisfaction"] == round(8 / 21, 4)
    assert total.to_dict() | {"unit": "xa-hoa-binh", "month": "2026-03"} == portal
    assert [(r.unit, r.month) for r in ours] == [("xa-hoa-binh", "2026-03")]
    strict = ("on_time", "digitization", "electronic_result", "reuse")
    assert _pairs(ours[0].to_dict(), strict) == {
        "on_time": (1, 3), "digitization": (0, 3), "electronic_result": (0, 3), "reuse": (0, 6),
    }  # fmt: skip
    centre = {r.unit: r.to_dict() for r in by_centre}
    assert set(centre) == {"ttphcc-tinh", "xa-hoa-binh"}
    assert _pairs(centre["ttphcc-tinh"], ("on_time", "direct", "online_payment")) == {
        "on_time": (1, 1), "direct": (1, 1), "online_payment": (0, 1),
    }  # fmt: skip
    assert centre["xa-hoa-binh"]["on_time"]["denominator"] == 6


def test_an_open_dossier_counts_once_in_the_whole_period_and_once_per_month(
    database: Database, settings: Settings
) -> None:
    """D4 alone, received 16 March, due 30 March, still open: judged at each month's end it
    is late in March (1 April is past 30 March) and in April; over both months together it
    counts once (late), so the total is not the sum of the months."""
    with database.session() as session:
        _dossier(session, settings, LAND, _at(3, 16, 9), _at(3, 30, 17))
    with database.session() as session:
        rows, total = portal_rates(session, HANOI, now=NOW, start=datetime(2026, 3, 1).date(),
                                   end=datetime(2026, 4, 30).date())  # fmt: skip
    assert [(r.month, r.rates["on_time"].denominator) for r in rows] == [
        ("2026-03", 1), ("2026-04", 1)
    ]
    assert (total.rates["on_time"].numerator, total.rates["on_time"].denominator) == (0, 1)
