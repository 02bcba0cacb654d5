"""Stellic sections: create (#8), seat counts (#7, #9), timings (#12, #13), restrictions (#10, #11).

The gateway reads sections from Dartmouth, never from Stellic, so these writes leave no cached read stale.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from resolvers.mapping.writes import seats_from_stellic, section_from_stellic, timing_from_stellic
from resolvers.mutations.arguments import (
    BULK_SEATS,
    BULK_TIMINGS,
    NEW_RESTRICTION_ID,
    RESTRICTION,
    RESTRICTION_ID,
    SEATS,
    SECTION,
    SECTION_ID,
    TIMINGS,
)
from resolvers.mutations.common import Checks, Path, as_json, attempt, batch, body_of, camel, not_applied, upstreams
from schema.inputs_write import (
    ClassTimingInput,
    RestrictionAction,
    SeatCountsInput,
    SectionInput,
    SectionRestrictionInput,
    SectionSeatsInput,
    SectionTimingsInput,
)
from schema.mutations import SectionPayload, StellicBatchPayload, StellicWritePayload, UserError

SEAT_FIELDS = ("max_enrollment", "available_enrollment", "max_waitlist", "waitlist")
RESERVED_ONLY = ("reserve_capacity", "start_date", "end_date", "rqrmnt_group")
MAX_SECTION_ID = 50  # a restriction's `section` (seed 000, 1.9.6)


def _refused(section_id: str | None, errors: list[UserError]) -> SectionPayload:
    return SectionPayload(success=False, section_id=None if section_id is None else strawberry.ID(section_id),
                          section=None, seats=None, timings=None, user_errors=errors)


def _seats(checks: Checks, base: Path, seats: SeatCountsInput | SectionInput) -> None:
    for name in SEAT_FIELDS:
        checks.not_negative([*base, camel(name)], getattr(seats, name))


def _timings(checks: Checks, base: Path, timings: list[ClassTimingInput]) -> None:
    for i, timing in enumerate(timings):
        checks.texts([*base, i], timing, ("room", "building"))
        checks.in_order([*base, i, "end"], timing.start, timing.end, "start", strict=True)
        checks.in_order([*base, i, "endDate"], timing.start_date, timing.end_date, "startDate")


async def create_section(info: Info[Any, Any], input: Annotated[SectionInput, SECTION]) -> SectionPayload:
    """``POST .../catalog/section/{id}`` (#8); ``id`` is ``input.id``, else the external id."""
    section_id = str(input.id if input.id is not None else input.external_id)
    checks = Checks()
    checks.texts(["input"], input, ("id", "name", "external_id", "course", "campus", "term", "type"))
    checks.in_order(["input", "endDate"], input.start_date, input.end_date, "startDate")
    _seats(checks, ["input"], input)
    _timings(checks, ["input", "timings"], input.timings or [])
    for i, linked in enumerate(input.linked_sections or []):
        checks.text(["input", "linkedSections", i], linked)
    if not checks.ok:
        return _refused(section_id, checks.errors)
    body = body_of(input)
    body.pop("id", None)
    created, errors = await attempt(upstreams(info).stellic.create_section(section_id, body), root=["input"],
                                    renames={"id": ["input", "id"]})
    if created is None:
        return _refused(section_id, errors)
    section = section_from_stellic(created)
    return SectionPayload(success=True, section_id=section.id, section=section, seats=section.seats,
                          timings=section.timings, user_errors=[])


async def update_section_seats(info: Info[Any, Any], section_id: Annotated[strawberry.ID, SECTION_ID],
                               seats: Annotated[SeatCountsInput, SEATS]) -> SectionPayload:
    """``PATCH .../catalog/section/{id}/enrollment_info`` (#7): the counts given change, the rest stay."""
    checks = Checks()
    checks.text(["sectionId"], section_id)
    _seats(checks, ["seats"], seats)
    if not body_of(seats):
        checks.add(["seats"], "give at least one count", "REQUIRED")
    if not checks.ok:
        return _refused(section_id, checks.errors)
    answer, errors = await attempt(upstreams(info).stellic.update_section_enrollment_info(section_id, body_of(seats)),
                                   root=["seats"], renames={"id": ["sectionId"]})
    if answer is None:
        return _refused(section_id, errors)
    return SectionPayload(success=True, section_id=strawberry.ID(answer.id or section_id), section=None,
                          seats=seats_from_stellic(answer), timings=None, user_errors=[])


async def bulk_update_section_seats(info: Info[Any, Any],
                                    updates: Annotated[list[SectionSeatsInput], BULK_SEATS]) -> StellicBatchPayload:
    """``PATCH .../catalog/sections/enrollment_info`` (#9): atomic, so one refused item applies none."""
    checks = Checks()
    checks.not_empty(["updates"], updates)
    for i, update in enumerate(updates):
        checks.text(["updates", i, "id"], update.id)
        _seats(checks, ["updates", i], update)
        if len(body_of(update)) < 2:
            checks.add(["updates", i], "give at least one count", "REQUIRED")
    checks.unique(["updates"], [u.id for u in updates], "id")
    body = [body_of(u) for u in updates]
    checks.body_size(["updates"], body)
    if not checks.ok:
        return batch(len(updates), None, checks.errors)
    results, refused = await attempt(upstreams(info).stellic.bulk_update_section_enrollment_info(body),
                                     items=["updates"])
    return batch(len(updates), results, refused, items=["updates"])


async def replace_section_timings(info: Info[Any, Any], section_id: Annotated[strawberry.ID, SECTION_ID],
                                  timings: Annotated[list[ClassTimingInput], TIMINGS]) -> SectionPayload:
    """``PUT .../catalog/section/{id}/timings`` (#12): the section meets exactly at ``timings`` (none: cleared)."""
    checks = Checks()
    checks.text(["sectionId"], section_id)
    _timings(checks, ["timings"], timings)
    if not checks.ok:
        return _refused(section_id, checks.errors)
    answer, errors = await attempt(upstreams(info).stellic.update_section_timings(
        section_id, [body_of(t) for t in timings]), items=["timings"], renames={"id": ["sectionId"]})
    if answer is None:
        return _refused(section_id, errors)
    return SectionPayload(success=True, section_id=strawberry.ID(answer.section or section_id), section=None,
                          seats=None, timings=[timing_from_stellic(t) for t in answer.timings], user_errors=[])


async def bulk_replace_section_timings(info: Info[Any, Any],
                                       updates: Annotated[list[SectionTimingsInput], BULK_TIMINGS],
                                       ) -> StellicBatchPayload:
    """``PUT .../catalog/sections/timings`` (#13): atomic, so one refused item applies none."""
    checks = Checks()
    checks.not_empty(["updates"], updates)
    for i, update in enumerate(updates):
        checks.text(["updates", i, "section"], update.section)
        _timings(checks, ["updates", i, "timings"], update.timings)
    checks.unique(["updates"], [u.section for u in updates], "section")
    body = [body_of(u) for u in updates]
    checks.body_size(["updates"], body)
    if not checks.ok:
        return batch(len(updates), None, checks.errors)
    results, refused = await attempt(upstreams(info).stellic.bulk_update_section_timings(body), items=["updates"])
    return batch(len(updates), results, refused, items=["updates"])


def _student_sets(checks: Checks, input: SectionRestrictionInput) -> list[dict[str, Any]]:
    """Each set as Stellic takes it: ``{<type>: value}``; a bare value is wrapped in its type."""
    kind, out = str(input.type.value), []  # str: the member's value, described by strawberry.enum_value
    for i, entry in enumerate(input.student_sets):
        if isinstance(entry, str | int | float) and not isinstance(entry, bool) and str(entry).strip():
            out.append({kind: entry})
        elif isinstance(entry, dict) and list(entry) == [kind]:
            out.append(entry)
        else:
            checks.add(["input", "studentSets", i], f"must be a value, or an object with the single key {kind!r}")
    return out


async def create_section_restriction(info: Info[Any, Any], id: Annotated[strawberry.ID, NEW_RESTRICTION_ID],
                                     input: Annotated[SectionRestrictionInput, RESTRICTION]) -> StellicWritePayload:
    """``POST .../catalog/section_restriction/{id}`` (#10); Stellic echoes the restriction as ``state``."""
    checks = Checks()
    checks.text(["id"], id)
    checks.text(["input", "section"], input.section)
    if len(input.section) > MAX_SECTION_ID:
        checks.add(["input", "section"], f"must be at most {MAX_SECTION_ID} characters", "OUT_OF_RANGE")
    checks.not_empty(["input", "studentSets"], input.student_sets)
    sets = _student_sets(checks, input)
    if input.action is not RestrictionAction.RESERVED_SEATS:
        for name in RESERVED_ONLY:
            if getattr(input, name) is not None:
                checks.add(["input", camel(name)], "applies only to the RESERVED_SEATS action")
    checks.not_negative(["input", "reserveCapacity"], input.reserve_capacity)
    checks.in_order(["input", "endDate"], input.start_date, input.end_date, "startDate")
    if not checks.ok:
        return StellicWritePayload(success=False, status=None, state=None, user_errors=checks.errors)
    body = {**body_of(input), "student_sets": sets}
    if input.reserve_capacity is not None:
        body["reserve_capacity"] = str(input.reserve_capacity)  # Stellic types it as a string
    echo, errors = await attempt(upstreams(info).stellic.create_section_restriction(id, body), root=["input"],
                                 renames={"id": ["id"]})
    state = None if echo is None else as_json({k: getattr(echo, k) for k in echo.__dataclass_fields__})
    return StellicWritePayload(success=echo is not None, status=None, state=state, user_errors=errors)


async def delete_section_restriction(info: Info[Any, Any],
                                     id: Annotated[strawberry.ID, RESTRICTION_ID]) -> StellicWritePayload:
    """``DELETE .../catalog/section_restriction/{id}`` (#11)."""
    checks = Checks()
    checks.text(["id"], id)
    if not checks.ok:
        return StellicWritePayload(success=False, status=None, state=None, user_errors=checks.errors)
    result, errors = await attempt(upstreams(info).stellic.delete_section_restriction(id), renames={"id": ["id"]})
    return StellicWritePayload(success=result is not None and result.success, status=None, state=None,
                               user_errors=errors + not_applied(result))
