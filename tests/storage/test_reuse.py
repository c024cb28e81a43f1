"""The citizens' document store: which results a later dossier may reuse, and why not."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from config.catalogue import get_catalogue
from config.errors import InvalidRequest
from config.settings import Settings
from storage.db import Database
from storage.digitization import (
    get_result,
    reuse_result,
    reused_dossier_ids,
    valid_results,
    validity_of,
)
from storage.dossiers import receive_dossier
from storage.models import Dossier
from tests.support.results import signed_result

PERSON = "036098001234"
OTHER = "036098009999"
DAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def _dossier(session: Session, settings: Settings, procedure: str, who: str, unit: str) -> Dossier:
    return receive_dossier(
        session, settings, procedure=get_catalogue().procedure(procedure),
        applicant_name="Trần Thị Mai", applicant_id_number=who, unit_code=unit,
        received_at=DAY, actor="clerk",
    )  # fmt: skip


def _certified(
    session: Session, dossier: Dossier, doc_type: str, issued: str | None, **read: str
) -> int:
    fields = {"issue_date": {"value": issued}} if issued else {}
    fields.update({name: {"value": value} for name, value in read.items()})
    sha256 = doc_type[:8].ljust(64, "0")
    return signed_result(session, dossier, doc_type, at=DAY, sha256=sha256, fields=fields).id


def test_validity_comes_from_the_catalogue_and_the_issue_date() -> None:
    assert validity_of("giay_khai_sinh", date(2010, 1, 1), date(2026, 3, 2)) is None
    assert validity_of("xac_nhan_tinh_trang_hon_nhan", date(2025, 8, 31), date(2026, 3, 2)) == (
        date(2026, 2, 28)  # six months, the end of a shorter month
    )
    assert validity_of("cccd", None, date(2026, 3, 2)) == date(2036, 3, 2)
    assert validity_of("to_khai_khai_sinh", None, date(2026, 3, 2)) == date(2026, 3, 2)


def test_a_card_is_valid_until_the_expiry_it_prints_not_a_fixed_term_from_issue(
    database: Database, settings: Settings
) -> None:
    """GIVEN ID cards issued in 2016 (ten years from issue ends in 2026) WHEN their printed
    validity was read (a date, "Không thời hạn") THEN the result lasts until that date or
    without limit; a card whose validity was not read keeps the catalogue's term."""
    assert validity_of("cccd", date(2016, 7, 22), DAY.date(), date(2041, 10, 7)) == date(
        2041, 10, 7
    )
    assert validity_of("to_khai_khai_sinh", None, DAY.date(), date(2041, 10, 7)) == DAY.date()
    with database.session() as session:
        dossier = _dossier(session, settings, "1.004227", PERSON, "xa-a")
        dated = _certified(session, dossier, "cccd", "2016-07-22", valid_until="2041-10-07")
        other = _dossier(session, settings, "1.004227", OTHER, "xa-a")
        unlimited = _certified(session, other, "cccd", "2016-07-22", valid_until="Không thời hạn")
        third = _dossier(session, settings, "1.004227", "036098005555", "xa-a")
        unread = _certified(session, third, "cccd", "2016-07-22")
        valid = {r: get_result(session, r).valid_until for r in (dated, unlimited, unread)}
    assert valid == {dated: date(2041, 10, 7), unlimited: None, unread: date(2026, 7, 22)}


def test_a_results_scope_is_as_printed_else_the_catalogues_else_nationwide(
    database: Database, settings: Settings
) -> None:
    """GIVEN a card whose document printed no scope and one whose scope was read WHEN each
    is certified THEN the first keeps config.defaults.VALIDITY_SCOPE, the second what was
    printed."""
    with database.session() as session:
        dossier = _dossier(session, settings, "1.004227", PERSON, "xa-a")
        plain = _certified(session, dossier, "cccd", "2016-07-22")
        other = _dossier(session, settings, "1.004227", OTHER, "xa-a")
        local = _certified(session, other, "cccd", "2016-07-22", scope="Tỉnh Mẫu")
        scopes = [get_result(session, r).data["scope"] for r in (plain, local)]
    assert scopes == ["Toàn quốc", "Tỉnh Mẫu"]


def test_only_the_applicants_valid_reusable_results_of_visible_units_are_reused(
    database: Database, settings: Settings
) -> None:
    with database.session() as session:
        first = _dossier(session, settings, "1.004227", PERSON, "xa-a")
        card = _certified(session, first, "cccd", None)
        land = _certified(session, first, "giay_chung_nhan_qsdd", "2019-05-01")
        form = _certified(session, first, "don_dang_ky_dat_dai", None)
        other = _dossier(session, settings, "1.004227", OTHER, "xa-a")
        _certified(session, other, "cccd", None)
        later = _dossier(session, settings, "1.004227", PERSON, "xa-a")
        offered = valid_results(session, PERSON, on=date(2026, 3, 3), units=["xa-a"])
        assert sorted(r.id for r in offered) == sorted([card, land])  # not the form
        assert valid_results(session, PERSON, on=date(2026, 3, 3), units=["xa-b"]) == []
        assert [r.id for r in valid_results(session, PERSON, on=date(2036, 3, 3), units=None)] == [
            land
        ]
        component = {c.expected_type: c for c in later.components}

        def refused(
            result_id: int,
            expected: str,
            *,
            units: list[str] | None = None,
            on: date = date(2026, 3, 3),
            kind: str = "cccd",
        ) -> None:
            with pytest.raises(InvalidRequest, match=expected):
                reuse_result(
                    session, later, component[kind].id, result_id, on=on, units=units, actor="clerk"
                )

        refused(card, "may not see", units=["xa-b"])
        refused(card, "expired", on=date(2036, 3, 3))
        refused(land, "expects a cccd")
        refused(form, "serves only the dossier", kind="don_dang_ky_dat_dai")
        stranger = _dossier(session, settings, "1.004227", OTHER, "xa-a")
        with pytest.raises(InvalidRequest, match="another person"):
            reuse_result(session, stranger, stranger.components[3].id, card, on=date(2026, 3, 3),
                         units=None, actor="clerk")  # fmt: skip
        reuse_result(session, later, component["cccd"].id, card, on=date(2026, 3, 3),
                     units=["xa-a"], actor="clerk")  # fmt: skip
        assert component["cccd"].result_id == card
        assert reused_dossier_ids(session, [first.id, later.id, other.id]) == {later.id}
