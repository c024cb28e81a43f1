"""What the API answers about the unit's backlog (api.worklists.backlog_view)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from api.http.schemas_dossiers import Answer


class Backlog(Answer):
    """Open dossiers overdue, due by the next working day, or waiting for a supplement,
    counted per unit and per leader, with the apology letters owed."""

    now: str
    items: list[dict[str, Any]] = Field(description="One per dossier, most urgent first.")
    units: dict[str, dict[str, int]]
    leaders: dict[str, dict[str, int]]
    apologies_due: list[str]
