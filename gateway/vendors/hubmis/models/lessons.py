"""HUBmis session attendance and timetables (contracts 2.6, 2.7.9) as frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Self

from gateway.vendors.hubmis.models.people import HubmisPersonRef, HubmisRef
from gateway.vendors.payload import (
    Payload,
    clock,
    day,
    flag,
    integer,
    moment,
    nested,
    nested_list,
    require_object,
    required_int,
    text,
)

VENDOR = "hubmis"


@dataclass(frozen=True, slots=True)
class HubmisAttendanceCode:
    """A DfE session code (``/`` present am, ``\\`` present pm, ``L`` late...); ``meaning`` and ``display`` come
    with ``GET /api/v1/attendance-codes`` only."""

    id: int | None
    code: str | None
    description: str | None
    meaning: str | None = None
    display: bool | None = None
    is_active: bool | None = None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(integer(payload.get("id")), text(payload.get("code")), text(payload.get("description")),
                   text(payload.get("meaning")), flag(payload.get("display")), flag(payload.get("is_active")))


@dataclass(frozen=True, slots=True)
class HubmisAttendanceMark:
    """An item of ``GET /api/v1/students/{id}/attendance``: one am or pm registration mark."""

    id: int
    date: date | None
    date_time: datetime | None
    attendance_session: str | None  # am | pm
    attendance_code: HubmisAttendanceCode | None
    description: str | None
    minutes_late: int | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        """Raises VendorProtocolError when the payload is not an object or has no integer ``id``."""
        p = require_object(payload, VENDOR, "an attendance mark")
        when = moment(p.get("date_time"))
        return cls(required_int(p, "id", VENDOR, "an attendance mark"), day(p.get("date")) or day(when), when,
                   text(p.get("attendance_session")),
                   nested(HubmisAttendanceCode.from_payload, p.get("attendance_code")), text(p.get("description")),
                   integer(p.get("minutes_late")))


@dataclass(frozen=True, slots=True)
class HubmisPeriod:
    """A period of the school day; times are school-local."""

    id: int | None
    name: str | None
    time_from: time | None
    time_to: time | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(integer(payload.get("id")), text(payload.get("name")), clock(payload.get("time_from")),
                   clock(payload.get("time_to")))


@dataclass(frozen=True, slots=True)
class HubmisTimetablePeriod:
    """An item of a person's ``{timetables: [...]}`` (weekly) or ``{calendar: [...]}`` (dated: ``date``, ``start``
    and ``end`` set, in UTC)."""

    id: int
    timetable: HubmisRef | None
    day: str | None  # monday ... friday
    period: HubmisPeriod | None
    subject_set: HubmisRef | None
    subject: HubmisRef | None
    rooms: tuple[HubmisRef, ...]
    staff: tuple[HubmisPersonRef, ...]
    date: date | None = None
    start: datetime | None = None
    end: datetime | None = None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        """Raises VendorProtocolError when the payload is not an object or has no integer ``id``."""
        p = require_object(payload, VENDOR, "a timetable period")
        return cls(required_int(p, "id", VENDOR, "a timetable period"),
                   nested(HubmisRef.from_payload, p.get("timetable")), text(p.get("day")),
                   nested(HubmisPeriod.from_payload, p.get("period")),
                   nested(HubmisRef.from_payload, p.get("subject_set")),
                   nested(HubmisRef.from_payload, p.get("subject")),
                   nested_list(HubmisRef.from_payload, p.get("rooms")),
                   nested_list(HubmisPersonRef.from_payload, p.get("staff")), day(p.get("date")),
                   moment(p.get("start")), moment(p.get("end")))
