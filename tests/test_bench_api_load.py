"""The API load benchmark opens its dossiers where the product lets a clerk open them: at
units the register lists as receiving (it once used made-up units and measured nothing)."""

from __future__ import annotations

from bench.api_load import UNITS, _communes
from config.catalogue import get_catalogue


def test_the_load_opens_dossiers_at_receiving_units_of_the_register() -> None:
    units = _communes(UNITS)
    assert len(set(units)) == UNITS
    for code in units:
        assert get_catalogue().unit(code).receives, code
