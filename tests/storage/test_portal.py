"""The national portal's 766 figures on a fixture month (tests.support.portal_month) whose
every number is worked out by hand below (no call into storage.portal finds an expected
figure), beside sohoa's own."""

from __future__ import annotations

from datetime import date, datetime

from config.settings import Settings
from storage.db import Database
from storage.portal import portal_rates
from storage.stats import unit_month_rates
from tests.support.portal_month import HANOI, LAND, NOW, at, fixture_month, month_dossier


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
        fixture_month(session, settings)
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
        month_dossier(session, settings, LAND, at(3, 16, 9), at(3, 30, 17))
    with database.session() as session:
        rows, total = portal_rates(session, HANOI, now=NOW, start=datetime(2026, 3, 1).date(),
                                   end=datetime(2026, 4, 30).date())  # fmt: skip
    assert [(r.month, r.rates["on_time"].denominator) for r in rows] == [
        ("2026-03", 1),
        ("2026-04", 1),
    ]
    assert (total.rates["on_time"].numerator, total.rates["on_time"].denominator) == (0, 1)
