"""Stellic sections (contracts 1.9.4, 1.9.5, 1.9.7): the created section, its seat counts and class timings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Any, Self

from gateway.vendors.payload import (
    Payload,
    clock,
    day,
    integer,
    nested_list,
    obj,
    require_object,
    required_text,
    text,
    texts,
)

VENDOR = "stellic"


@dataclass(frozen=True, slots=True)
class StellicClassTiming:
    """One weekly meeting (ClassTimings); ``start_date``/``end_date`` bound date-limited timings."""

    day: str | None  # monday ... sunday
    start: time | None
    end: time | None
    room: str | None
    building: str | None
    start_date: date | None
    end_date: date | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(text(payload.get("day")), clock(payload.get("start")), clock(payload.get("end")),
                   text(payload.get("room")), text(payload.get("building")), day(payload.get("start_date")),
                   day(payload.get("end_date")))


@dataclass(frozen=True, slots=True)
class StellicInstructor:
    """A section instructor. The seed lost the item shape; these names are inferred."""

    username: str | None
    first_name: str | None
    last_name: str | None
    email: str | None
    role: str | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(*(text(payload.get(k)) for k in ("username", "first_name", "last_name", "email", "role")))


@dataclass(frozen=True, slots=True)
class StellicSeatCounts:
    """Section enrollment information (#7 answer, #9 items): seats and waitlist."""

    id: str | None
    max_enrollment: int | None
    available_enrollment: int | None
    max_waitlist: int | None
    waitlist: int | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        p = require_object(payload, VENDOR, "section enrollment information")
        return cls(text(p.get("id")), *(integer(p.get(k)) for k in ("max_enrollment", "available_enrollment",
                                                                    "max_waitlist", "waitlist")))


@dataclass(frozen=True, slots=True)
class StellicSection:
    """A section as ``POST .../catalog/section/{id}`` (#8) answers it. ``linked_section`` (e.g. "FA23-00123") is
    Stellic's own label; ``details`` (CourseSectionDetails, contents lost in the seed) is kept as sent."""

    id: str
    name: str | None
    external_id: str | None
    course: str | None
    campus: str | None
    term: str | None
    type: str | None
    start_date: date | None
    end_date: date | None
    linked_section: str | None
    linked_sections: tuple[str, ...]
    topic: str | None
    delivery_mode: str | None
    max_enrollment: int | None
    available_enrollment: int | None
    max_waitlist: int | None
    waitlist: int | None
    details: dict[str, Any]
    instructors: tuple[StellicInstructor, ...]
    timings: tuple[StellicClassTiming, ...]

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        """Raises VendorProtocolError when the payload is not an object or has no ``id``."""
        p = require_object(payload, VENDOR, "a section")
        return cls(
            id=required_text(p, "id", VENDOR, "a section"), name=text(p.get("name")),
            external_id=text(p.get("external_id")), course=text(p.get("course")), campus=text(p.get("campus")),
            term=text(p.get("term")), type=text(p.get("type")), start_date=day(p.get("start_date")),
            end_date=day(p.get("end_date")), linked_section=text(p.get("linked_section")),
            linked_sections=texts(p.get("linked_sections")), topic=text(p.get("topic")),
            delivery_mode=text(p.get("delivery_mode")), max_enrollment=integer(p.get("max_enrollment")),
            available_enrollment=integer(p.get("available_enrollment")),
            max_waitlist=integer(p.get("max_waitlist")), waitlist=integer(p.get("waitlist")),
            details=obj(p.get("details")),
            instructors=nested_list(StellicInstructor.from_payload, p.get("instructors")),
            timings=nested_list(StellicClassTiming.from_payload, p.get("timings")),
        )


@dataclass(frozen=True, slots=True)
class StellicSectionTimings:
    """``PUT .../catalog/section/{id}/timings`` (#12) answer, and the items of the bulk variant (#13)."""

    section: str | None
    timings: tuple[StellicClassTiming, ...]

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        p = require_object(payload, VENDOR, "section timings")
        return cls(text(p.get("section")), nested_list(StellicClassTiming.from_payload, p.get("timings")))
