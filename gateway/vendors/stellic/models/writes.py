"""Answers of Stellic Partner API writes (contracts 1.6, 1.9): status, per-item, delete and hold results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Self

from gateway.vendors.payload import (
    Payload,
    day,
    flag,
    integer,
    moment,
    nested,
    obj,
    records,
    require_object,
    required_text,
    text,
)

VENDOR = "stellic"


@dataclass(frozen=True, slots=True)
class StellicItemError:
    """One entry of an ``errors`` array. Stellic documents no shape; ``index`` (the body item), ``field`` and
    ``message`` are read when present, and a bare string is the message."""

    index: int | None
    field: str | None
    message: str | None

    @classmethod
    def from_payload(cls, payload: Any) -> Self:
        if not isinstance(payload, dict):
            return cls(None, None, text(payload))
        message = text(payload.get("message")) or text(payload.get("error")) or text(payload.get("detail"))
        return cls(integer(payload.get("index")), text(payload.get("field")), message)


def _errors(value: Any) -> tuple[StellicItemError, ...]:
    return tuple(StellicItemError.from_payload(e) for e in value) if isinstance(value, list) else ()


@dataclass(frozen=True, slots=True)
class StellicItemResults:
    """``{success: [...], errors: [...]}``: per-item results of array writes (course and section enrollments, bulk
    seat counts and timings). ``success`` holds the applied records as sent; a 400's ``detail`` has this shape too."""

    success: tuple[dict[str, Any], ...]
    errors: tuple[StellicItemError, ...]

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        p = require_object(payload, VENDOR, "per-item results")
        return cls(tuple(records(p.get("success"))), _errors(p.get("errors")))

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True, slots=True)
class StellicStatusResult:
    """``{status: "success", state: {...}[, errors: [...]]}``: program enrollment, profile, tags, schools, departments.
    ``state`` (the record as Stellic now holds it; contents lost in the seed) is kept as sent."""

    status: str | None
    state: dict[str, Any]
    errors: tuple[StellicItemError, ...]

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        p = require_object(payload, VENDOR, "a write result")
        return cls(text(p.get("status")), obj(p.get("state")), _errors(p.get("errors")))

    @property
    def ok(self) -> bool:
        return self.status == "success" and not self.errors


@dataclass(frozen=True, slots=True)
class StellicDeleteResult:
    """``{success: true[, errors: []]}``: section enrollment, restriction and registration time deletes."""

    success: bool
    errors: tuple[StellicItemError, ...]

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        p = require_object(payload, VENDOR, "a delete result")
        return cls(flag(p.get("success")) is True, _errors(p.get("errors")))


@dataclass(frozen=True, slots=True)
class StellicHoldActivity:
    """What a hold blocks. The seed lost the item shape; ``activity`` and ``effect`` are inferred."""

    activity: str | None
    effect: str | None

    @classmethod
    def from_payload(cls, payload: Any) -> Self:
        if not isinstance(payload, dict):
            return cls(text(payload), None)
        return cls(text(payload.get("activity")) or text(payload.get("name")), text(payload.get("effect")))


@dataclass(frozen=True, slots=True)
class StellicHoldResult:
    """A hold create, update or delete (#26-#28). On update, ``fields_updated`` names what changed and ``failed``
    what could not (None when everything was updated); create and delete carry ``note`` instead."""

    success: bool
    title: str | None
    description: str | None
    activities: tuple[StellicHoldActivity, ...]
    note: str | None
    fields_updated: dict[str, Any]
    failed: dict[str, Any] | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        p = require_object(payload, VENDOR, "a hold result")
        activities = p.get("activities")
        failed = p.get("failed")
        return cls(flag(p.get("success")) is True, text(p.get("title")), text(p.get("description")),
                   tuple(StellicHoldActivity.from_payload(a) for a in activities)
                   if isinstance(activities, list) else (),
                   text(p.get("note")), obj(p.get("fields_updated")), failed if isinstance(failed, dict) else None)


@dataclass(frozen=True, slots=True)
class StellicUsem:
    """A registration time's ``usem`` ("user semester"; contents lost in the seed, inferred)."""

    id: str | None
    semester: str | None
    year: int | None
    name: str | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(text(payload.get("id")), text(payload.get("semester")), integer(payload.get("year")),
                   text(payload.get("name")))


@dataclass(frozen=True, slots=True)
class StellicRegistrationTime:
    """A registration time (#29, #30). The id is text here although #30/#31 type it as an integer; the timestamps
    (``YYYY-MM-DD HH:MM``) are documented as UTC, so they parse as aware UTC datetimes."""

    registration_time_id: str
    registration_type: str | None  # registration | preregistration
    timestamp: datetime | None
    end_timestamp: datetime | None
    student_username: str | None
    usem: StellicUsem | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        """Raises VendorProtocolError without ``registration_time_id``."""
        p = require_object(payload, VENDOR, "a registration time")
        return cls(required_text(p, "registration_time_id", VENDOR, "a registration time"),
                   text(p.get("registration_type")), moment(p.get("timestamp"), assume_utc=True),
                   moment(p.get("end_timestamp"), assume_utc=True), text(p.get("student_username")),
                   nested(StellicUsem.from_payload, p.get("usem")))


@dataclass(frozen=True, slots=True)
class StellicSectionRestriction:
    """A section restriction (#10), as echoed back. ``student_sets`` items are ``{<type>: value}`` and kept as sent."""

    section: str | None
    type: str | None
    operator: str | None  # eq | neq | info
    student_sets: tuple[dict[str, Any], ...]
    action: str | None
    note: str | None
    reserve_capacity: str | None
    start_date: date | None
    end_date: date | None
    rqrmnt_group: str | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        p = require_object(payload, VENDOR, "a section restriction")
        return cls(text(p.get("section")), text(p.get("type")), text(p.get("operator")),
                   tuple(records(p.get("student_sets"))), text(p.get("action")), text(p.get("note")),
                   text(p.get("reserve_capacity")), day(p.get("start_date")), day(p.get("end_date")),
                   text(p.get("rqrmnt_group")))


def item_errors(payload: Any) -> tuple[StellicItemError, ...]:
    """The ``errors`` of any Stellic answer (for instance a 400's detail); none when it has no such array."""
    return _errors(payload.get("errors")) if isinstance(payload, dict) else ()

