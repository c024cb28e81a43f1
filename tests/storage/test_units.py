"""The unit register: who receives, who resolves, whose agency code a dossier code carries,
and routing a dossier to its competent unit (Decree 118/2025/NĐ-CP)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.cli import main
from api.dossier_views import dossier_view
from api.services import open_dossier
from config.catalogue import PROCEDURE_LEVELS, get_catalogue, load_catalogue
from config.errors import ConfigurationError, InvalidRequest, NotCompetent, UnknownUnit
from config.settings import Settings
from config.units import COMPETENT_LEVELS, Unit, UnitLevel, UnitRole, competent_for
from storage.db import Database
from storage.dossiers import get_dossier, receive_dossier, route_dossier
from storage.enums import EventKind
from storage.events import events_of_dossier
from storage.models import Dossier

MONDAY = datetime(2026, 3, 16, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội


def _receive(db: Database, settings: Settings, unit: str, competent: str | None = None) -> str:
    with db.session() as session:
        return receive_dossier(
            session,
            settings,
            procedure=get_catalogue().procedure("1.001193"),
            applicant_name="Trần Thị Lan",
            applicant_id_number=None,
            unit_code=unit,
            received_at=MONDAY,
            actor="clerk",
            competent_unit_code=competent,
        ).code


def test_two_communes_number_their_dossiers_each_in_their_own_series(
    database: Database, settings: Settings
) -> None:
    """GIVEN two communes receiving on the same day WHEN each receives a dossier THEN each
    code carries its own agency code and starts at serial 0001 (no shared serial space)."""
    first = _receive(database, settings, "xa-hoa-binh")
    second = _receive(database, settings, "xa-tan-phu")
    again = _receive(database, settings, "xa-hoa-binh")
    assert first == "000.00.11.H01-260316-0001"
    assert second == "000.00.12.H01-260316-0001"
    assert again == "000.00.11.H01-260316-0002"
    with database.session() as session:
        dossier = get_dossier(session, first)
        assert (dossier.unit_code, dossier.competent_unit_code) == ("xa-hoa-binh", "xa-hoa-binh")


def test_unknown_units_and_wrong_roles_are_refused_by_name(
    database: Database, settings: Settings
) -> None:
    with pytest.raises(UnknownUnit, match="'huyen-dong-anh' is not in the unit register"):
        _receive(database, settings, "huyen-dong-anh")
    with pytest.raises(UnknownUnit, match="does not receive"):
        _receive(database, settings, "so-tu-phap")
    # a centre that only receives must name the competent unit
    with pytest.raises(UnknownUnit, match="does not resolve"):
        _receive(database, settings, "ttphcc-tinh")
    code = _receive(database, settings, "ttphcc-tinh", competent="xa-thuy-an")
    assert code.startswith("000.00.00.H01-")
    with database.session() as session:
        assert session.query(Dossier).count() == 1
        assert get_dossier(session, code).competent_unit_code == "xa-thuy-an"


def test_a_communes_centre_receives_for_its_commune_until_routed(settings: Settings) -> None:
    """GIVEN Xã Mẫu's public-service centre (receives only, parent the commune) WHEN it
    receives a birth registration naming no competent unit THEN the dossier code carries the
    centre's agency code and the commune holds it; routed to another commune of the province
    it goes there, the centre stays its receiving unit and the CLI names both units."""
    code = open_dossier(settings, procedure_code="1.001193", applicant_name="Trần Thị Lan",
                        applicant_id_number=None, unit_code="ttphcc-xa-mau",
                        actor="test")  # fmt: skip
    assert code.startswith("000.00.10.H01-")
    view = dossier_view(settings, code)
    assert (view["unit"], view["competent_unit"]) == ("ttphcc-xa-mau", "demo")
    runner = CliRunner()
    moved = runner.invoke(main, ["dossier", "route", code, "--to", "xa-hoa-binh"])
    assert moved.output.strip() == (f"{code}: đã chuyển từ Ủy ban nhân dân xã Mẫu "
                                    "đến Ủy ban nhân dân xã Hòa Bình")  # fmt: skip
    shown = runner.invoke(main, ["dossier", "show", code])
    assert shown.exit_code == 0, shown.output
    assert "Nơi tiếp nhận: Trung tâm Phục vụ hành chính công xã Mẫu" in shown.output
    assert "Cơ quan giải quyết: Ủy ban nhân dân xã Hòa Bình" in shown.output
    view = dossier_view(settings, code)
    assert (view["unit_name"], view["competent_unit_name"]) == (
        "Trung tâm Phục vụ hành chính công xã Mẫu", "Ủy ban nhân dân xã Hòa Bình")  # fmt: skip
    # a provincial procedure: the commune does not resolve it, so the centre must name one
    with pytest.raises(UnknownUnit, match="does not resolve"):
        open_dossier(settings, procedure_code="1.004227", applicant_name="Lê Văn Hùng",
                     applicant_id_number=None, unit_code="ttphcc-xa-mau",
                     actor="test")  # fmt: skip


def test_routing_moves_the_competent_unit_and_logs_where_from(
    database: Database, settings: Settings
) -> None:
    code = _receive(database, settings, "phuong-an-khanh")
    with database.session() as session:
        dossier = get_dossier(session, code)
        with pytest.raises(UnknownUnit):
            route_dossier(session, dossier, to="nowhere", reason=None, at=MONDAY, actor="c")
        with pytest.raises(InvalidRequest, match="already at"):
            route_dossier(session, dossier, to="phuong-an-khanh", reason=None, at=MONDAY, actor="c")
        route_dossier(session, dossier, to="xa-thuy-an", reason="Nơi cư trú của mẹ",
                      at=MONDAY, actor="clerk")  # fmt: skip
    with database.session() as session:
        dossier = get_dossier(session, code)
        assert (dossier.unit_code, dossier.competent_unit_code) == ("phuong-an-khanh", "xa-thuy-an")
        routed = [e for e in events_of_dossier(session, dossier.id)
                  if e.kind == EventKind.DOSSIER_ROUTED.value]  # fmt: skip
        assert [(e.data["from"], e.data["to"]) for e in routed] == [
            ("phuong-an-khanh", "xa-thuy-an")
        ]


def test_a_commune_level_procedure_cannot_be_routed_to_a_provincial_department(
    database: Database, settings: Settings
) -> None:
    """GIVEN a birth registration (commune level) WHEN it is routed to the provincial
    justice department, the province's committee or a centre THEN each is refused with a
    Vietnamese reason naming the unit and the level, and nothing moves; a commune, ward or
    special zone of the province may take it."""
    code = _receive(database, settings, "phuong-an-khanh")
    with database.session() as session:
        dossier = get_dossier(session, code)
        for unit in ("so-tu-phap", "tinh-mau"):
            with pytest.raises(NotCompetent) as refused:
                route_dossier(session, dossier, to=unit, reason=None, at=MONDAY, actor="c")
            assert "không có thẩm quyền giải quyết thủ tục cấp xã" in refused.value.hint_vi
            assert refused.value.code == "not_competent"
        with pytest.raises(UnknownUnit, match="does not resolve"):  # a centre never resolves
            route_dossier(session, dossier, to="ttphcc-tinh", reason=None, at=MONDAY, actor="c")
        assert dossier.competent_unit_code == "phuong-an-khanh"
        route_dossier(session, dossier, to="dac-khu-mau", reason=None, at=MONDAY, actor="c")
        assert dossier.competent_unit_code == "dac-khu-mau"


def test_a_provincial_procedure_goes_to_a_department_not_to_a_commune(
    database: Database, settings: Settings
) -> None:
    """GIVEN a land registration (province level) received at a commune WHEN it is routed
    to another commune THEN refused; to the land registration office it goes. Named at
    reception, a unit of the wrong level is refused just the same."""
    with database.session() as session:
        land = get_catalogue().procedure("1.004227")
        dossier = receive_dossier(session, settings, procedure=land, applicant_name="Lê Văn Hùng",
                                  applicant_id_number=None, unit_code="xa-hoa-binh",
                                  received_at=MONDAY, actor="clerk")  # fmt: skip
        with pytest.raises(NotCompetent) as refused:
            route_dossier(session, dossier, to="xa-tan-phu", reason=None, at=MONDAY, actor="c")
        assert "thủ tục cấp tỉnh" in refused.value.hint_vi
        route_dossier(session, dossier, to="vpdk-dat-dai", reason=None, at=MONDAY, actor="c")
        assert dossier.competent_unit_code == "vpdk-dat-dai"
    with pytest.raises(NotCompetent):
        _receive(database, settings, "ttphcc-tinh", competent="so-tu-phap")  # birth: commune


def test_a_dossier_is_not_routed_out_of_its_province(tmp_path: Path) -> None:
    """GIVEN a register holding two provinces WHEN a commune of one is named competent for a
    dossier received in the other THEN refused (Decree 118/2025: within the province)."""
    units = (
        Unit(code="t1", name="Tỉnh Một", level=UnitLevel.PROVINCE, role=UnitRole.RESOLVE),
        Unit(code="t2", name="Tỉnh Hai", level=UnitLevel.PROVINCE, role=UnitRole.RESOLVE),
        Unit(code="x1", name="Xã Một", level=UnitLevel.COMMUNE, parent="t1",
             agency_code="000.00.01.H01"),
        Unit(code="x2", name="Xã Hai", level=UnitLevel.COMMUNE, parent="t2",
             agency_code="000.00.02.H01"),
    )  # fmt: skip
    assert competent_for(units, "x1", "commune", "x1").code == "x1"
    with pytest.raises(NotCompetent) as refused:
        competent_for(units, "x2", "commune", "x1")
    assert "thuộc tỉnh khác" in refused.value.hint_vi
    assert set(COMPETENT_LEVELS) == set(PROCEDURE_LEVELS)


def test_the_route_command_sends_a_dossier_on(settings: Settings) -> None:
    code = open_dossier(settings, procedure_code="1.004227", applicant_name="Lê Văn Hùng",
                        applicant_id_number=None, unit_code="xa-hoa-binh",
                        actor="test")  # fmt: skip
    runner = CliRunner()
    held = runner.invoke(main, ["dossier", "show", code])  # a commune holds a provincial one
    assert dossier_view(settings, code)["needs_routing"] is True
    assert "không có thẩm quyền giải quyết thủ tục này" in held.output
    moved = runner.invoke(main, ["dossier", "route", code, "--to", "vpdk-dat-dai"])
    assert moved.exit_code == 0, moved.output
    assert dossier_view(settings, code)["needs_routing"] is False
    assert moved.output.strip() == (f"{code}: đã chuyển từ Ủy ban nhân dân xã Hòa Bình "
                                    "đến Văn phòng Đăng ký đất đai tỉnh Mẫu")  # fmt: skip
    unknown = runner.invoke(main, ["dossier", "route", code, "--to", "huyen-cu"])
    assert unknown.exit_code == 2 and "huyen-cu" in unknown.output


def test_a_catalogue_with_district_procedures_is_refused(tmp_path: Path) -> None:
    shipped = Path(__file__).parents[2] / "config" / "data" / "procedures.yaml"
    text = shipped.read_text(encoding="utf-8").replace("level: commune", "level: district", 1)
    (tmp_path / "procedures.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigurationError, match="districts were abolished"):
        load_catalogue(tmp_path)


def test_a_register_with_a_shared_agency_code_is_refused(tmp_path: Path) -> None:
    (tmp_path / "units.yaml").write_text(
        "units:\n"
        "  - {code: a, name: A, level: commune, agency_code: 000.00.01.H01}\n"
        "  - {code: b, name: B, level: commune, agency_code: 000.00.01.H01}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigurationError, match="more than one unit"):
        load_catalogue(tmp_path)
