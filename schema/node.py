"""Relay-style Node interface with opaque global IDs (`Type:key`, base64url-encoded)."""

from __future__ import annotations

import base64
import binascii

import strawberry


@strawberry.interface(description="An object with a globally unique, opaque ID; fetch it again with `node(id:)`.")
class Node:
    id: strawberry.ID = strawberry.field(description="Opaque global ID; stable across requests.")


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
    has_next_page: bool = strawberry.field(description="Whether another page follows.")
    end_cursor: str | None = strawberry.field(description="Pass as `after` to get the next page.")
