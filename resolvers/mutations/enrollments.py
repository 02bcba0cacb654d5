"""Stellic course enrollments (#2, a full replace per term) and section enrollments (#3-#6).

Both change what Stellic's audit and planner say about the student, so their cached reads are forgotten;
a write that does not say whose enrollment it changed (a delete by id) forgets every student's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from gateway.vendors.stellic.models import StellicItemResults
from resolvers.mutations.arguments import (
    COURSE_ENROLLMENTS,
    NEW_SECTION_ENROLLMENT_ID,
    PATH_USERNAME,
    SECTION_ENROLLMENT,
    SECTION_ENROLLMENT_FULL,
    SECTION_ENROLLMENT_ID,
    SECTION_ENROLLMENT_PATCH,
    TERM_ID,
)
from resolvers.mutations.common import Checks, attempt, batch, body_of, not_applied, upstreams
from resolvers.mutations.hiding import as_seen, items_as_seen
from schema.inputs_write import (
    CourseEnrollmentFields,
    CourseEnrollmentInput,
    SectionEnrollmentInput,
    SectionEnrollmentPatch,
)
from schema.mutations import StellicBatchPayload, StellicWritePayload

PATH_PARAMS = {"username": ["username"], "term_id": ["termId"]}


def _course_fields(checks: Checks, base: list[str | int], item: CourseEnrollmentFields) -> None:
    checks.not_negative([*base, "units"], item.units)


async def _forget(info: Info[Any, Any], usernames: Sequence[str | None]) -> None:
    stellic = upstreams(info).stellic
    for username in dict.fromkeys(usernames):
        await stellic.invalidate_student_reads(username)


def _usernames(results: StellicItemResults | None, *given: str | None) -> list[str | None]:
    found = [str(r["student_username"]) for r in (results.success if results else ()) if r.get("student_username")]
    return [u for u in (*given, *found) if u] or [None]


async def replace_course_enrollments(info: Info[Any, Any], username: Annotated[str, PATH_USERNAME],
                                     term_id: Annotated[str, TERM_ID],
                                     enrollments: Annotated[list[CourseEnrollmentInput], COURSE_ENROLLMENTS],
                                     ) -> StellicBatchPayload:
    """``PUT .../students/{username}/terms/{term_id}/course_enrollments`` (#2): the term's courses become exactly
    ``enrollments``; an empty list removes them all. Stellic answers item by item."""
    checks = Checks()
    checks.text(["username"], username)
    checks.text(["termId"], term_id)
    for i, item in enumerate(enrollments):
        checks.text(["enrollments", i, "course"], item.course)
        _course_fields(checks, ["enrollments", i], item)
        for j, section in enumerate(item.sections or []):
            checks.text(["enrollments", i, "sections", j], section)
        checks.unique(["enrollments", i, "sections"], item.sections or [])
    checks.unique(["enrollments"], [e.course.strip() for e in enrollments], "course")
    body = [body_of(e) for e in enrollments]
    checks.body_size(["enrollments"], body)
    if not checks.ok:
        return batch(len(enrollments), None, checks.errors)
    send = await as_seen(info, username, lambda: upstreams(info).stellic.replace_course_enrollments(
        username, term_id, body))
    results, refused = await attempt(send, items=["enrollments"], renames=PATH_PARAMS,
                                     forget=lambda: _forget(info, [username]))
    if results is not None:
        await _forget(info, [username])
    return batch(len(enrollments), results, refused, items=["enrollments"], renames=PATH_PARAMS)


def _section_checks(checks: Checks, id: str, item: CourseEnrollmentFields, argument: str,
                    required: tuple[str, ...]) -> None:
    checks.text(["id"], id)
    checks.texts([argument], item, required)
    _course_fields(checks, [argument], item)


async def _section_write(info: Info[Any, Any], method: str, id: str, item: CourseEnrollmentFields,
                         argument: str) -> StellicBatchPayload:
    body = [body_of(item)]
    given = getattr(item, "student_username", None)
    # A patch may leave the student out ("given only to confirm"): then the input names no one to check.
    send = await items_as_seen(info, given, lambda: getattr(upstreams(info).stellic, method)(id, body))
    results, refused = await attempt(send, root=[argument],
                                     renames={"id": ["id"]}, forget=lambda: _forget(info, _usernames(None, given)))
    if results is not None and results.success:
        await _forget(info, _usernames(results, given))
    return batch(1, results, refused, root=[argument], renames={"id": ["id"]})


async def create_section_enrollment(info: Info[Any, Any], id: Annotated[strawberry.ID, NEW_SECTION_ENROLLMENT_ID],
                                    input: Annotated[SectionEnrollmentInput, SECTION_ENROLLMENT],
                                    ) -> StellicBatchPayload:
    """``POST .../section_enrollments/{id}`` (#3): ``id`` names the new section enrollment."""
    checks = Checks()
    _section_checks(checks, id, input, "input", ("student_username", "course", "section", "term"))
    if not checks.ok:
        return batch(1, None, checks.errors)
    return await _section_write(info, "create_section_enrollment", id, input, "input")


async def update_section_enrollment(info: Info[Any, Any], id: Annotated[strawberry.ID, SECTION_ENROLLMENT_ID],
                                    input: Annotated[SectionEnrollmentInput, SECTION_ENROLLMENT_FULL],
                                    ) -> StellicBatchPayload:
    """``PUT .../section_enrollments/{id}`` (#4): every field; those left out are cleared."""
    checks = Checks()
    _section_checks(checks, id, input, "input", ("student_username", "course", "section", "term"))
    if not checks.ok:
        return batch(1, None, checks.errors)
    return await _section_write(info, "update_section_enrollment", id, input, "input")


async def patch_section_enrollment(info: Info[Any, Any], id: Annotated[strawberry.ID, SECTION_ENROLLMENT_ID],
                                   patch: Annotated[SectionEnrollmentPatch, SECTION_ENROLLMENT_PATCH],
                                   ) -> StellicBatchPayload:
    """``PATCH .../section_enrollments/{id}`` (#5): only the keys given change."""
    checks = Checks()
    _section_checks(checks, id, patch, "patch", ("student_username", "course", "section", "term"))
    if not body_of(patch):
        checks.add(["patch"], "give at least one field to change", "REQUIRED")
    if not checks.ok:
        return batch(1, None, checks.errors)
    return await _section_write(info, "patch_section_enrollment", id, patch, "patch")


async def delete_section_enrollment(info: Info[Any, Any],
                                    id: Annotated[strawberry.ID, SECTION_ENROLLMENT_ID]) -> StellicWritePayload:
    """``DELETE .../section_enrollments/{id}`` (#6); the last section of a course takes the course with it."""
    checks = Checks()
    checks.text(["id"], id)
    if not checks.ok:
        return StellicWritePayload(success=False, status=None, state=None, user_errors=checks.errors)
    result, errors = await attempt(upstreams(info).stellic.delete_section_enrollment(id), renames={"id": ["id"]},
                                   forget=lambda: _forget(info, [None]))
    if result is not None and result.success:
        await _forget(info, [None])  # Stellic's answer does not say whose enrollment it was
    return StellicWritePayload(success=result is not None and result.success, status=None, state=None,
                               user_errors=errors + not_applied(result))
