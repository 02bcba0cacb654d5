"""Relay-style Node interface with opaque global IDs (`Type:key`, base64url-encoded); every Node is also a
federation entity keyed by that ID, so another subgraph can extend it."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any, TypeVar, dataclass_transform

import strawberry
from strawberry.types import Info
from strawberry.types.field import StrawberryField

from schema.detail import port

T = TypeVar("T")


@strawberry.interface(description="An object with a globally unique, opaque ID; fetch it again with `node(id:)`.")
class Node:
    id: strawberry.ID = strawberry.field(description="Opaque global ID; stable across requests. Source: gateway "
                                                     "(the type and the shared key or vendor id).")

    @classmethod
    async def resolve_reference(cls, info: Info[Any, Any], id: strawberry.ID) -> Any:
        """Federation ``_entities``: the object another subgraph refers to by its global ID (None if unknown)."""
        decoded = decode_id(id)
        name = cls.__strawberry_definition__.name  # type: ignore[attr-defined]
        if decoded is None or decoded[0] != name:
            return None
        return await port(info).entity(name, decoded[1], audit=getattr(info.context, "audit", None))


@dataclass_transform(order_default=True, kw_only_default=True, field_specifiers=(strawberry.field, StrawberryField))
def entity(*, description: str) -> Callable[[type[T]], type[T]]:
    """``@strawberry.type`` for a Node: a federation ``@key`` on its global ID."""
    return strawberry.federation.type(keys=["id"], description=description)


def encode_id(type_name: str, key: str) -> strawberry.ID:
    return strawberry.ID(base64.urlsafe_b64encode(f"{type_name}:{key}".encode()).decode().rstrip("="))


def decode_id(global_id: str) -> tuple[str, str] | None:
    """(type name, key), or None for an ID this gateway did not issue."""
    try:
        raw = base64.urlsafe_b64decode(global_id + "=" * (-len(global_id) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    type_name, sep, key = raw.partition(":")
    return (type_name, key) if sep and type_name and key else None


@strawberry.type(description="Relay paging state of a connection.")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="Whether another page follows. Exact, but for a HUBmis list (staff, students from HUBMIS) where "
                    "one HUBmis page (at most 100) cannot hold this page and one record more (always at `first: 100`): "
                    "then true whenever the page came full, and the next page may be empty. Source: gateway (over "
                    "the vendor's paging).")
    end_cursor: str | None = strawberry.field(description="Pass as `after` to get the next page. Source: gateway.")
    has_previous_page: bool = strawberry.field(
        description="Whether records come before this page: true when it starts after a cursor (`after`), as this "
                    "connection pages forward only (`first`, `after`). Source: gateway.")
    start_cursor: str | None = strawberry.field(
        description="The first edge's cursor; null when the page has no edges. Source: gateway.")
