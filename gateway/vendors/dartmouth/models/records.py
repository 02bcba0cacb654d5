"""Dartmouth holds (D15), hold types (D14), value lists (D13, D14) and async tasks (D6) as frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Self
from urllib.parse import unquote, urlsplit

from gateway.vendors.payload import Payload, day, flag, moment, require_object, required_text, text

VENDOR = "dartmouth"


@dataclass(frozen=True, slots=True)
class DartmouthHold:
    """One student hold. The holds API exists but its path and payload are unpublished: these fields are inferred."""

    id: str
    netid: str | None
    hold_type_id: str | None
    hold_type_code: str | None
    short_description: str | None
    description: str | None
    note: str | None
    from_date: date | None
    to_date: date | None
    is_active: bool | None
    cache_date: datetime | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        """Raises VendorProtocolError when the payload is not an object or has no ``id``."""
        p = require_object(payload, VENDOR, "a hold")
        type_id = text(p.get("hold_type_id")) or text(p.get("hold_type_code"))
        return cls(id=required_text(p, "id", VENDOR, "a hold"), netid=text(p.get("netid")), hold_type_id=type_id,
                   hold_type_code=text(p.get("hold_type_code")) or type_id,
                   short_description=text(p.get("short_description")), description=text(p.get("description")),
                   note=text(p.get("note")), from_date=day(p.get("from_date")), to_date=day(p.get("to_date")),
                   is_active=flag(p.get("is_active")), cache_date=moment(p.get("cache_date")))


@dataclass(frozen=True, slots=True)
class DartmouthHoldType:
    """``GET /api/academic/hold_types/{id}``."""

    id: str
    short_description: str | None
    long_description: str | None
    category: str | None
    resolution: str | None
    resolution_url: str | None
    guid: str | None
    cache_date: datetime | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        """Raises VendorProtocolError when the payload is not an object or has no ``id``."""
        p = require_object(payload, VENDOR, "a hold type")
        return cls(id=required_text(p, "id", VENDOR, "a hold type"),
                   short_description=text(p.get("short_description")),
                   long_description=text(p.get("long_description")), category=text(p.get("category")),
                   resolution=text(p.get("resolution")), resolution_url=text(p.get("resolution_url")),
                   guid=text(p.get("guid")), cache_date=moment(p.get("cache_date")))


@dataclass(frozen=True, slots=True)
class DartmouthValue:
    """An entry of a value list: schools, student statuses and types, admission types, section types."""

    id: str
    name: str | None
    is_active: bool | None
    cache_date: datetime | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        """Raises VendorProtocolError when the payload is not an object or has no ``id``."""
        p = require_object(payload, VENDOR, "a value list entry")
        return cls(required_text(p, "id", VENDOR, "a value list entry"), text(p.get("name")),
                   flag(p.get("is_active")), moment(p.get("cache_date")))


@dataclass(frozen=True, slots=True)
class DartmouthTask:
    """``GET /api/tasks/{id}``: an accepted PATCH settling to ``complete`` or ``error`` (seed 004).

    ``path`` (the updated resource's URL) and ``message`` are null while the task is ``accepted``.
    """

    id: str
    status: str  # accepted | complete | error
    path: str | None
    message: str | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        """Raises VendorProtocolError when the payload is not an object or lacks ``id`` or ``status``."""
        p = require_object(payload, VENDOR, "a task")
        return cls(required_text(p, "id", VENDOR, "a task"), required_text(p, "status", VENDOR, "a task"),
                   text(p.get("path")), text(p.get("message")))

    @property
    def done(self) -> bool:
        return self.status != "accepted"

    @property
    def succeeded(self) -> bool:
        return self.status == "complete"

    @property
    def resource_id(self) -> str | None:
        """The last segment of ``path``: the id of the enrollment the task updated (or failed to)."""
        if not self.path:
            return None
        return unquote(urlsplit(self.path).path.rstrip("/").rsplit("/", 1)[-1]) or None
