"""What the API answers about the office as a whole: its health and its figures."""

from __future__ import annotations

from typing import Any

from api.http.schemas_dossiers import Answer, Number


class Health(Answer):
    """Whether the service, its database and its queue answer."""

    status: str
    queues: Any
    documents: Any


class Rate(Answer):
    """A rate as a fraction: rate = numerator / denominator, rounded (null: nothing to rate)."""

    numerator: int
    denominator: int
    rate: Number | None


class PortalFigures(Answer):
    """The national portal's figures of the same unit and month, computed as it does
    (storage.portal, one field per PORTAL_RATE_NAMES, in its order)."""

    unit: str
    month: str
    on_time: Rate
    electronic_result: Rate
    digitization: Rate
    reuse: Rate
    population_data: Rate
    online: Rate
    direct: Rate
    postal: Rate
    online_payment: Rate
    dissatisfied: Rate
    satisfaction: Number | None


class StatsRow(Answer):
    """A unit's rates in a month (storage.stats, one field per RATE_NAMES, in its order);
    unit and month "*": the whole selection."""

    unit: str
    month: str
    digitization: Rate
    electronic_result: Rate
    reuse: Rate
    on_time: Rate
    portal: PortalFigures
