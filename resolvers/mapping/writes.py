"""Pure mappings of Stellic write answers to the schema's payload types (no I/O, no ``info``)."""

from __future__ import annotations

import json
from typing import Any

import strawberry

from gateway.vendors.stellic.models import (
    StellicClassTiming as StellicTimingModel,
)
from gateway.vendors.stellic.models import (
    StellicHoldResult,
    StellicRegistrationTime,
    StellicSeatCounts,
)
from gateway.vendors.stellic.models import (
    StellicSection as StellicSectionModel,
)
from schema.inputs_write import RegistrationType
from schema.mutations import HoldActivity, RegistrationTime, StellicClassTiming, StellicSeats, StellicSection


def _json(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def seats_from_stellic(seats: StellicSeatCounts | StellicSectionModel) -> StellicSeats:
    return StellicSeats(max_enrollment=seats.max_enrollment, available_enrollment=seats.available_enrollment,
                        max_waitlist=seats.max_waitlist, waitlist=seats.waitlist)


def timing_from_stellic(timing: StellicTimingModel) -> StellicClassTiming:
    return StellicClassTiming(day=timing.day, start=timing.start, end=timing.end, room=timing.room,
                              building=timing.building, start_date=timing.start_date, end_date=timing.end_date)


def section_from_stellic(section: StellicSectionModel) -> StellicSection:
    """Instructors and details keep Stellic's shape (the seed lost their contents), as JSON."""
    return StellicSection(
        id=strawberry.ID(section.id), name=section.name, external_id=section.external_id, course=section.course,
        campus=section.campus, term=section.term, type=section.type, start_date=section.start_date,
        end_date=section.end_date, linked_section=section.linked_section,
        linked_sections=list(section.linked_sections), topic=section.topic, delivery_mode=section.delivery_mode,
        seats=seats_from_stellic(section), details=_json(section.details),
        instructors=_json([{k: v for k, v in vars_of(i).items() if v is not None} for i in section.instructors]),
        timings=[timing_from_stellic(t) for t in section.timings])


def vars_of(model: Any) -> dict[str, Any]:
    return {name: getattr(model, name) for name in model.__dataclass_fields__}


def activities_from_stellic(hold: StellicHoldResult) -> list[HoldActivity]:
    return [HoldActivity(activity=a.activity, effect=a.effect) for a in hold.activities]


def registration_time_from_stellic(rt: StellicRegistrationTime) -> RegistrationTime:
    kind = rt.registration_type
    return RegistrationTime(
        id=strawberry.ID(rt.registration_time_id),
        registration_type=RegistrationType(kind) if kind in {str(t.value) for t in RegistrationType} else None,
        timestamp=rt.timestamp, end_timestamp=rt.end_timestamp, student_username=rt.student_username,
        usem=None if rt.usem is None else _json(vars_of(rt.usem)))
