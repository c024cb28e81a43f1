"""Shared fixtures of the synthetic document tests: the font family and the provinces."""

from __future__ import annotations

import pytest

from config.catalogue import get_catalogue
from digitize.synthetic import FontFamily, default_family


@pytest.fixture(scope="session")
def family() -> FontFamily:
    """Liberation Serif where installed: the Times New Roman metrics offices print with."""
    return default_family()


@pytest.fixture(scope="session")
def provinces() -> set[str]:
    return set(get_catalogue().provinces)
