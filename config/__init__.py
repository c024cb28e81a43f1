"""Settings, catalogues and the conventions every other package builds on."""

from __future__ import annotations

from config.errors import SohoaError
from config.settings import Settings, get_settings

__all__ = ["Settings", "SohoaError", "get_settings"]
