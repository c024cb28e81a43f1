"""What the API answers a provincial system pulling the exchange feed: a page of messages
(storage.exchange builds each) and where its acknowledgements stand."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from api.http.schemas_dossiers import Answer


class ExchangeMessage(Answer):
    """One published state change of a dossier; `id` is its event's id, the cursor."""

    id: int
    type: str = Field(description="received, component_digitized, result_signed, returned...")
    event: str
    at: str
    dossier: dict[str, Any] = Field(description="The dossier as it stood right after the event.")
    sync: dict[str, Any] | None = Field(
        default=None,
        description="The same moment in the sync schema (`sohoa exchange schema`); null in "
        "messages the outbox held before the schema existed.",
    )


class FeedPage(Answer):
    """A page of the unit's feed."""

    messages: list[ExchangeMessage]
    next_cursor: int | None = Field(description="Ask with it for the next page; null: last.")
    acknowledged: int = Field(description="The last message acknowledged (0: none).")


class Acknowledged(Answer):
    """Where the account's acknowledgements stand."""

    acknowledged: int
