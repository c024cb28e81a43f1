"""Digitization result codes in the catalogue's scheme: per dossier (the default) or per
owner and national paper type."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from config.catalogue import get_catalogue
from config.settings import Settings, get_settings
from storage.db import Database
from storage.digitization import get_result
from tests.storage.test_reuse import OTHER, PERSON, _certified, _dossier

SHIPPED = Path(__file__).parents[2] / "config" / "data" / "document_types.yaml"
TEST_CARD_CODE = "TEST-CCCD"
"""A made-up national paper-type code: the test's own, not the national list's."""


@pytest.fixture
def owner_scheme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A catalogue directory whose document types use the owner scheme and give the ID card
    (only) a national code."""
    folder = tmp_path / "catalogue"
    folder.mkdir()
    text = SHIPPED.read_text(encoding="utf-8")
    text = text.replace("digitization_code: dossier", "digitization_code: owner", 1)
    text = text.replace(
        "  - code: cccd\n", f"  - code: cccd\n    national_code: {TEST_CARD_CODE}\n", 1
    )
    (folder / "document_types.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("SOHOA_CATALOGUE_DIR", str(folder))
    get_settings.cache_clear()
    get_catalogue.cache_clear()
    yield
    monkeypatch.delenv("SOHOA_CATALOGUE_DIR")
    get_settings.cache_clear()
    get_catalogue.cache_clear()


def test_results_are_coded_per_dossier_by_default(database: Database, settings: Settings) -> None:
    assert get_catalogue().digitization_code == "dossier"
    assert all(t.national_code is None for t in get_catalogue().document_types)
    with database.session() as session:
        dossier = _dossier(session, settings, "1.004227", PERSON, "xa-a")
        card = get_result(session, _certified(session, dossier, "cccd", None))
        assert card.code == f"{dossier.code}.01"


def test_the_owner_scheme_codes_by_id_number_and_national_type_and_falls_back(
    owner_scheme: None, database: Database
) -> None:
    """GIVEN the owner scheme and a national code for the ID card only WHEN two dossiers of
    one citizen and one of another have their cards certified, and a land certificate too
    THEN the cards read <ID number>.<national code>.<NN>, counted per owner and type across
    dossiers, and the land certificate (no national code) keeps the dossier form."""
    settings = get_settings()
    with database.session() as session:
        first = _dossier(session, settings, "1.004227", PERSON, "xa-a")
        card = get_result(session, _certified(session, first, "cccd", None))
        land = get_result(session, _certified(session, first, "giay_chung_nhan_qsdd", None))
        assert card.code == f"{PERSON}.{TEST_CARD_CODE}.01"
        assert land.code == f"{first.code}.02"
        again = _dossier(session, settings, "1.004227", PERSON, "xa-a")
        renewed = get_result(session, _certified(session, again, "cccd", None))
        assert renewed.code == f"{PERSON}.{TEST_CARD_CODE}.02"
        other = _dossier(session, settings, "1.004227", OTHER, "xa-a")
        assert get_result(session, _certified(session, other, "cccd", None)).code == (
            f"{OTHER}.{TEST_CARD_CODE}.01"
        )
