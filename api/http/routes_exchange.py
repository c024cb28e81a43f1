"""API: the data-exchange feed for a provincial one-stop system's account (role exchange,
a bearer token from `sohoa exchange token`): its unit's messages, a page at a time, and
their acknowledgement."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from api.accounts import Principal
from api.exchange_views import acknowledge_feed, unit_feed
from api.http.auth import allow
from api.http.context import service
from api.http.policy import Action
from api.http.schemas_errors import ERRORS
from api.http.schemas_exchange import Acknowledged, FeedPage
from api.paging import next_link
from config import defaults

router = APIRouter(prefix="/api/exchange", tags=["exchange"], responses=ERRORS)


CURSOR = "The previous page's next cursor (none: after the last acknowledged message)."


class Acknowledgement(BaseModel):
    """The last message the system has stored: it and every earlier one are acknowledged."""

    through: int = Field(ge=1, description="The event id (`id`) of a message of the feed.")


@router.get("/feed", response_model=FeedPage)
def feed(
    request: Request,
    response: Response,
    principal: Annotated[Principal, allow(Action.EXCHANGE_READ)],
    cursor: Annotated[int | None, Query(ge=0, description=CURSOR)] = None,
    limit: Annotated[int, Query(ge=1, le=defaults.EXCHANGE_BATCH)] = defaults.LIST_PAGE_SIZE,
) -> dict[str, Any]:
    """The messages about the account's unit's dossiers, oldest first, a page at a time:
    `next_cursor` (and the `Link` header, rel="next") names the next page, null on the last.
    Without a cursor the feed starts after the last acknowledged message."""
    found = unit_feed(service(request).settings, principal, cursor=cursor, limit=limit)
    link = next_link("/api/exchange/feed", {"limit": str(limit)}, found.next_cursor)
    if link is not None:
        response.headers["Link"] = link
    return {
        "messages": found.messages,
        "next_cursor": found.next_cursor,
        "acknowledged": found.acknowledged,
    }


@router.post("/ack", response_model=Acknowledged)
def ack(
    body: Acknowledgement,
    request: Request,
    principal: Annotated[Principal, allow(Action.EXCHANGE_ACK)],
) -> dict[str, Any]:
    """Acknowledge the unit's messages up to `through` (a message of this feed, else 404):
    the feed asked without a cursor then starts after it. The position never moves back."""
    position = acknowledge_feed(service(request).settings, principal, body.through)
    return {"acknowledged": position}
