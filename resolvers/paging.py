"""Opaque connection cursors over each vendor's own paging (page numbers, continuation keys)."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import Any, TypeVar

from gateway.errors import GatewayError
from gateway.vendors.dartmouth.client import DartmouthClient, rows
from gateway.vendors.routes import Route

T = TypeVar("T")


def encode_cursor(state: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(state, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> dict[str, Any]:
    """The state a cursor carries; BAD_USER_INPUT for one this gateway did not issue."""
    try:
        state = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise GatewayError("`after` is not a cursor this gateway issued", "BAD_USER_INPUT") from None
    if not isinstance(state, dict) or not isinstance(state.get("page"), int):
        raise GatewayError("`after` is not a cursor this gateway issued", "BAD_USER_INPUT")
    return state


def check_first(first: int, maximum: int = 1000) -> int:
    if not 1 <= first <= maximum:
        raise GatewayError(f"`first` must be between 1 and {maximum}", "BAD_USER_INPUT", argument="first")
    return first


async def dartmouth_page(client: DartmouthClient, route: Route, filters: dict[str, Any], first: int, after: str | None,
                          ttl: float, model: Callable[[Any], T]) -> tuple[list[T], dict[str, Any], int | None]:
    """One page of a Dartmouth collection, each record parsed by ``model`` (once per cached answer): the first
    page without a key, later ones on the same found set."""
    state = decode_cursor(after) if after else None
    size = int(state.get("size", first)) if state else check_first(first)
    query: dict[str, Any] = {**filters, "pagesize": size}
    page = 1
    if state:
        page = state["page"] + 1
        query.update(continuation_key=state["k"], page=page)
    reply = await client.get(route, params=query, ttl=ttl)
    total = reply.headers.get("x-total-count")
    next_state = {"page": page, "size": size, "k": reply.headers.get("x-request-id") or (state or {}).get("k")}
    return reply.parse_each(model, rows), next_state, int(total) if total and total.isdigit() else None
