"""Stellic student writes: profile (#19), program enrollment (#1), tags (#20-#21), schools and departments
(#22-#25). Each changes what Stellic computes for the student, so their cached audit, planner and score
reads are forgotten; a new profile also retires the cached username list the crosswalk reads."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from strawberry.types import Info

from gateway.vendors.stellic.models import StellicStatusResult
from resolvers.mutations.arguments import (
    DEPARTMENT_ID,
    PATH_USERNAME,
    PROFILE,
    PROGRAM_BODY,
    PROGRAM_ID,
    SCHOOL_ID,
    STUDENT_USERNAME,
    TAG,
)
from resolvers.mutations.common import Checks, as_json, attempt, body_of, not_applied, upstreams
from resolvers.mutations.hiding import as_seen
from resolvers.port import Port
from schema.inputs_write import ProgramEnrollmentInput, StudentProfileInput
from schema.mutations import StellicWritePayload, StudentProfilePayload, UserError

USERNAME = {"student_username": ["username"], "username": ["username"]}


def _payload(result: StellicStatusResult | None, errors: list[UserError]) -> StellicWritePayload:
    if result is None:
        return StellicWritePayload(success=False, status=None, state=None, user_errors=errors)
    return StellicWritePayload(success=result.ok, status=result.status, state=as_json(result.state),
                               user_errors=errors + not_applied(result))


async def _changed(info: Info[Any, Any], username: str, result: StellicStatusResult | None) -> None:
    if result is not None and result.ok:
        await _forgetting(info, username)()


def _forgetting(info: Info[Any, Any], username: str) -> Callable[[], Awaitable[None]]:
    """The invalidation a write to ``username``'s profile makes, for ``attempt`` to run when its outcome is unsure."""
    return lambda: upstreams(info).stellic.invalidate_student_reads(username)


async def create_student_profile(info: Info[Any, Any], username: Annotated[str, STUDENT_USERNAME],
                                 input: Annotated[StudentProfileInput, PROFILE]) -> StudentProfilePayload:
    """``POST .../students/{student_username}`` (#19)."""
    checks = Checks()
    checks.text(["username"], username)
    checks.texts(["input"], input, ("first_name", "last_name", "email", "class_level_id", "term_joined"))
    if input.email.strip() and "@" not in input.email:
        checks.add(["input", "email"], "must be an email address")
    checks.not_negative(["input", "cgpa"], input.cgpa)
    if not checks.ok:
        return StudentProfilePayload(success=False, username=username, state=None, student=None,
                                     user_errors=checks.errors)
    stellic = upstreams(info).stellic
    # With the student's reads goes the engagement export, from which the crosswalk learns Stellic's usernames.
    forget = _forgetting(info, username)
    # Hidden from the caller: refused as unknown, so a profile neither writes to them nor says they exist.
    send = await as_seen(info, username, lambda: stellic.create_student_profile(username, body_of(input)))
    result, errors = await attempt(send, root=["input"], renames=USERNAME, forget=forget)
    student = None
    if result is not None and result.ok:
        await forget()
        port: Port = info.context.port
        # One person, one key: the global id a lookup or a list gives them (keys compare ignoring case).
        student = port.student(port.rules.norm(port.rules.key_for_username(username)), stellic=username)
    return StudentProfilePayload(success=result is not None and result.ok, username=username,
                                 state=None if result is None else as_json(result.state), student=student,
                                 user_errors=errors + not_applied(result, root=["input"], renames=USERNAME))


async def create_program_enrollment(info: Info[Any, Any], username: Annotated[str, PATH_USERNAME],
                                    program_id: Annotated[str, PROGRAM_ID],
                                    input: Annotated[ProgramEnrollmentInput, PROGRAM_BODY]) -> StellicWritePayload:
    """``POST .../students/{username}/programs/{program_id}`` (#1); enrolling again replaces the record."""
    checks = Checks()
    checks.text(["username"], username)
    checks.text(["programId"], program_id)
    checks.text(["input", "catalogTerm"], input.catalog_term)
    checks.not_negative(["input", "order"], input.order)
    for i, concentration in enumerate(input.concentration_ids):
        checks.text(["input", "concentrationIds", i], concentration)
    if not checks.ok:
        return _payload(None, checks.errors)
    send = await as_seen(info, username, lambda: upstreams(info).stellic.create_program_enrollment(
        username, program_id, body_of(input)))
    result, errors = await attempt(send, root=["input"], renames=USERNAME, forget=_forgetting(info, username))
    await _changed(info, username, result)
    return _payload(result, errors)


async def _membership(info: Info[Any, Any], method: str, username: str, argument: str, value: str,
                      vendor_param: str) -> StellicWritePayload:
    """One of the profile's lists (tags, schools, departments) gains or loses an entry named in the path."""
    checks = Checks()
    checks.text(["username"], username)
    checks.text([argument], value)
    if not checks.ok:
        return _payload(None, checks.errors)
    call: Callable[[str, str], Awaitable[StellicStatusResult]] = getattr(upstreams(info).stellic, method)
    result, errors = await attempt(await as_seen(info, username, lambda: call(username, value)),
                                   renames={**USERNAME, vendor_param: [argument]}, forget=_forgetting(info, username))
    await _changed(info, username, result)
    return _payload(result, errors)


async def add_student_tag(info: Info[Any, Any], username: Annotated[str, STUDENT_USERNAME],
                          tag: Annotated[str, TAG]) -> StellicWritePayload:
    """``POST .../students/{student_username}/tags/{tag_name}`` (#20): the tag must exist and not be on the profile."""
    return await _membership(info, "add_student_tag", username, "tag", tag, "tag_name")


async def remove_student_tag(info: Info[Any, Any], username: Annotated[str, STUDENT_USERNAME],
                             tag: Annotated[str, TAG]) -> StellicWritePayload:
    """``DELETE .../students/{student_username}/tags/{tag_name}`` (#21): the tag must be on the profile."""
    return await _membership(info, "remove_student_tag", username, "tag", tag, "tag_name")


async def add_student_school(info: Info[Any, Any], username: Annotated[str, STUDENT_USERNAME],
                             school_id: Annotated[str, SCHOOL_ID]) -> StellicWritePayload:
    """``POST .../students/{student_username}/schools/{school_id}`` (#22); the school's short name."""
    return await _membership(info, "create_school_enrollment", username, "schoolId", school_id, "school_id")


async def remove_student_school(info: Info[Any, Any], username: Annotated[str, STUDENT_USERNAME],
                                school_id: Annotated[str, SCHOOL_ID]) -> StellicWritePayload:
    """``DELETE .../students/{student_username}/schools/{school_id}`` (#23)."""
    return await _membership(info, "delete_school_enrollment", username, "schoolId", school_id, "school_id")


async def add_student_department(info: Info[Any, Any], username: Annotated[str, STUDENT_USERNAME],
                                 department_id: Annotated[str, DEPARTMENT_ID]) -> StellicWritePayload:
    """``POST .../students/{student_username}/departments/{dept_id}`` (#24); the department's short name."""
    return await _membership(info, "create_department_enrollment", username, "departmentId", department_id,
                             "dept_id")


async def remove_student_department(info: Info[Any, Any], username: Annotated[str, STUDENT_USERNAME],
                                    department_id: Annotated[str, DEPARTMENT_ID]) -> StellicWritePayload:
    """``DELETE .../students/{student_username}/departments/{dept_id}`` (#25)."""
    return await _membership(info, "delete_department_enrollment", username, "departmentId", department_id,
                             "dept_id")
