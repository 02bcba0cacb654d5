"""Vendor-specific detail of a student, under `Student.dartmouth`, `Student.hubmis` and `Student.stellic`."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info
from strawberry.types.nodes import SelectedField

from schema.arguments import (
    ATTENDANCE_FROM,
    ATTENDANCE_TO,
    AUDIT_COURSE_FILTER,
    AUDIT_PROGRAM_FILTER,
    AUDIT_PROPERTY,
    PLANNER_COURSE_FILTER,
)
from schema.scalars import JSON

if TYPE_CHECKING:
    from schema.ports import DataPort


def port(info: Info[Any, Any]) -> DataPort:
    """The resolver layer's data port, carried by the per-request context.

    Many of its methods answer with the value when the request already holds it and with an awaitable
    otherwise; fields calling them are plain functions, and graphql-core awaits what needs awaiting."""
    result: DataPort = info.context.port
    return result


def asked(info: Info[Any, Any], name: str) -> list[SelectedField]:
    """The subfields ``name`` the field being resolved asks for (directly or through fragments, variables
    applied). One under @skip or @include is left out: whether it runs is decided later."""
    def within(selections: list[Any]) -> list[SelectedField]:
        found = []
        for selection in selections:
            if selection.directives:
                continue
            if isinstance(selection, SelectedField):
                if selection.name == name:
                    found.append(selection)
            else:  # a fragment on the same object
                found += within(selection.selections)
        return found

    return [sub for field in info.selected_fields for sub in within(field.selections)]


def asks_only(info: Info[Any, Any], names: frozenset[str]) -> bool:
    """Whether every subfield the field being resolved asks for (through fragments) is one of ``names``; one under
    @skip or @include counts as asked for anything, since whether it runs is decided later."""
    def within(selections: list[Any]) -> bool:
        for selection in selections:
            if selection.directives:
                return False
            if isinstance(selection, SelectedField):
                if selection.name not in names:
                    return False
            elif not within(selection.selections):  # a fragment on the same object
                return False
        return True

    return all(within(field.selections) for field in info.selected_fields)


def then(result: Any, finish: Callable[[Any], Any]) -> Any:
    """``finish`` applied to a value the port answered with, now or once its awaitable completes."""
    if not inspect.isawaitable(result):
        return finish(result)

    async def later() -> Any:
        return finish(await result)

    return later()


@strawberry.type(description="One entry of a Dartmouth student's status history (Banner SGBSTDN). Source: Dartmouth.")
class StudentStatusChange:
    term_code_effective: str | None = strawberry.field(
        description="Term this entry applies from. Source: Dartmouth (status_history).")
    school_id: str | None = strawberry.field(description="School. Source: Dartmouth (status_history).")
    class_year: str | None = strawberry.field(description="Class year. Source: Dartmouth (status_history).")
    class_code: str | None = strawberry.field(description="Class (FR, SO, JR, SR). Source: Dartmouth (status_history).")
    student_type_id: str | None = strawberry.field(description="Student type. Source: Dartmouth (status_history).")
    student_status_id: str | None = strawberry.field(
        description="Status code (AS, LA, ...). Source: Dartmouth (status_history).")
    grad_term: str | None = strawberry.field(
        description="Expected graduation term. Source: Dartmouth (status_history).")


@strawberry.type(description="A major, minor or concentration in an academic history entry. Source: Dartmouth. "
                             "Its `id` is a code, not an identity (PSYC is one student's major, another's minor): "
                             "a client cache must not key it by `__typename` and `id` (README: Client caches).")
class Discipline:
    id: str | None = strawberry.field(description="Discipline code, e.g. PSYC. Source: Dartmouth.")
    name: str | None = strawberry.field(description="Discipline name. Source: Dartmouth.")
    type: str | None = strawberry.field(description="MAJOR or MINOR. Source: Dartmouth.")


@strawberry.type(description="An institution a student attended, Dartmouth included. Source: Dartmouth.")
class AcademicHistoryEntry:
    institution: str | None = strawberry.field(description="Institution name. Source: Dartmouth.")
    institution_type: str | None = strawberry.field(description="e.g. High School, College. Source: Dartmouth.")
    start_date: date | None = strawberry.field(description="Source: Dartmouth.")
    completion_date: date | None = strawberry.field(description="Source: Dartmouth.")
    admit_term_code: str | None = strawberry.field(description="Dartmouth programs only. Source: Dartmouth.")
    degree_level: str | None = strawberry.field(description="e.g. Bachelor of Arts. Source: Dartmouth.")
    degree_status: str | None = strawberry.field(description="Sought or Awarded. Source: Dartmouth.")
    disciplines: list[Discipline] = strawberry.field(
        description="Majors, minors and concentrations. Source: Dartmouth.")


@strawberry.type(description="A D-plan entry: where the student is in a term (resident, leave, off campus). "
                             "Source: Dartmouth. Its `id` is the plan's code, not an identity (each term resident is "
                             "an R): a client cache must not key it by `__typename` and `id` (README: Client caches).")
class Dplan:
    term_code: str | None = strawberry.field(description="Term. Source: Dartmouth (dplans).")
    id: str | None = strawberry.field(description="D-plan code (R, L, O). Source: Dartmouth (dplans).")
    description: str | None = strawberry.field(description="e.g. Resident. Source: Dartmouth (dplans).")
    source: str | None = strawberry.field(description="What set it. Source: Dartmouth (dplan_source_description).")


@strawberry.type(description="A school-specific attribute (currently Thayer only). Source: Dartmouth.")
class StudentAttribute:
    code: str | None = strawberry.field(description="Attribute code. Source: Dartmouth.")
    description: str | None = strawberry.field(description="Source: Dartmouth.")
    term_code_effective: str | None = strawberry.field(description="Term it applies from. Source: Dartmouth.")


@strawberry.type(description="A GPA value; Dartmouth sends it as a string or a number, normalised here. "
                             "Source: Dartmouth.")
class Gpa:
    school_id: str | None = strawberry.field(description="School. Source: Dartmouth.")
    type: str | None = strawberry.field(description="Dartmouth's gpa_type_ind: I institutional, O overall, "
                                                    "T transfer. Source: Dartmouth.")
    value: float | None = strawberry.field(description="The GPA. Source: Dartmouth (gpa_value).")
    term: str | None = strawberry.field(description="Term code, for term GPAs. Source: Dartmouth.")


@strawberry.type(description="Cumulative and per-term GPAs. Source: Dartmouth (highly sensitive data).")
class GpaHistory:
    cumulative: list[Gpa] = strawberry.field(description="Cumulative GPAs. Source: Dartmouth (cumulative_gpa).")
    terms: list[Gpa] = strawberry.field(description="Per-term GPAs. Source: Dartmouth (term_gpa).")


@strawberry.type(description="What Dartmouth's Students API says of this student. Source: Dartmouth.")
class DartmouthStudentRecord:
    term_code_effective: str | None = strawberry.field(description="Term the top-level status applies to. "
                                                                      "Source: Dartmouth (term_code_eff).")
    is_future_status: bool = strawberry.field(description="True when only a future status exists. "
                                                                  "Source: Dartmouth.")
    student_type_id: str | None = strawberry.field(description="Student type code. Source: Dartmouth.")
    student_status_id: str | None = strawberry.field(description="Status code (AS, GS, AD, LA, GR, WD). Source: "
                                                                "Dartmouth.")
    admission_type_id: str | None = strawberry.field(description="Admission type code. Source: Dartmouth.")
    admit_term: str | None = strawberry.field(
        description="Admit term code. Source: Dartmouth (current_admit_term_code).")
    grad_term: str | None = strawberry.field(description="Expected graduation term. Source: Dartmouth.")
    class_code: str | None = strawberry.field(description="Class as of the current term (FR, SO, JR, "
                                                                    "SR). Source: Dartmouth (class.code).")
    is_first_gen: bool | None = strawberry.field(description="First-generation student. Source: Dartmouth.")
    status_history: list[StudentStatusChange] = strawberry.field(description="Status by term. Source: Dartmouth.")
    academic_history: list[AcademicHistoryEntry] = strawberry.field(
        description="Institutions attended. Source: Dartmouth.")
    dplans: list[Dplan] = strawberry.field(description="D-plan by term. Source: Dartmouth.")
    other_attributes: list[StudentAttribute] = strawberry.field(
        description="School-specific attributes. Source: Dartmouth.")
    gpa: GpaHistory | None = strawberry.field(description="Dartmouth's highly sensitive data. Empty "
                                                          "lists for a student with no GPA yet (an admitted student); "
                                                          "null when Dartmouth sent none. Source: Dartmouth "
                                                          "(gpa_history).")
    cache_date: datetime | None = strawberry.field(description="When Dartmouth last refreshed this record.")


@strawberry.type(description="A HUBmis group a student belongs to (form, year group, tutor group, house). "
                             "Source: HUBmis. Its `id` is unique within one kind only (form 35 and tutor group 35 are "
                             "two groups): a client cache must not key it by `__typename` and `id` (README: Client "
                             "caches).")
class GroupRef:
    id: int | None = strawberry.field(description="HUBmis group id. Source: HUBmis.")
    name: str | None = strawberry.field(description="Source: HUBmis.")
    code: str | None = strawberry.field(description="Source: HUBmis.")


@strawberry.type(description="One session attendance mark. Source: HUBmis.")
class AttendanceMark:
    date: date | None = strawberry.field(description="Source: HUBmis.")
    session: str | None = strawberry.field(description="am or pm. Source: HUBmis.")
    code: str | None = strawberry.field(description="Attendance code, e.g. /. Source: HUBmis.")
    description: str | None = strawberry.field(description="Source: HUBmis.")
    present: bool | None = strawberry.field(
        description="Whether the code means present (/, \\ or late). Source: HUBmis (derived from the code).")


@strawberry.type(description="One lesson in a timetable. Source: HUBmis.")
class TimetablePeriod:
    day: str | None = strawberry.field(description="Source: HUBmis.")
    start: str | None = strawberry.field(description="HH:MM. Source: HUBmis.")
    end: str | None = strawberry.field(description="HH:MM. Source: HUBmis.")
    subject: str | None = strawberry.field(description="Source: HUBmis.")
    group: str | None = strawberry.field(description="Subject set. Source: HUBmis.")
    room: str | None = strawberry.field(description="The first room. Source: HUBmis.")
    teacher: str | None = strawberry.field(description="The first teacher's name. Source: HUBmis.")


# The HubmisStudentRecord fields that need only the student's HUBmis id (each its own read), not their record.
HUBMIS_BY_ID_ALONE = frozenset({"__typename", "id", "timetable", "tutorGroup", "attendance"})


@strawberry.type(description="What HUBmis (the school MIS) says of this student. Source: HUBmis.")
class HubmisStudentRecord:
    id: int = strawberry.field(description="HUBmis student id. Source: HUBmis.")
    date_of_birth: date | None = strawberry.field(description="Source: HUBmis.")
    enrolment_status: str | None = strawberry.field(description="HUBmis' own code: current, past or applicant.")
    form: GroupRef | None = strawberry.field(description="Source: HUBmis.")
    year_group: GroupRef | None = strawberry.field(description="The form's year group. Source: HUBmis.")
    academic_house: GroupRef | None = strawberry.field(description="Source: HUBmis.")
    boarding_house: GroupRef | None = strawberry.field(description="Source: HUBmis.")
    tags: list[str] = strawberry.field(description="Source: HUBmis.")

    @strawberry.field(description="The student's tutor group in the active year (the student record does not "
                                  "carry it); null when they are in none. Source: HUBmis, the student's academic "
                                  "structure or the active year's tutor groups and their students, whichever "
                                  "costs fewer calls (a page's tutor groups are read once, not per student).")
    async def tutor_group(self, info: Info[Any, Any]) -> GroupRef | None:
        return await port(info).hubmis_tutor_group(self.id)

    @strawberry.field(description="Session attendance marks between two instants. Source: HUBmis.")
    async def attendance(self, info: Info[Any, Any],
                         from_: Annotated[datetime, ATTENDANCE_FROM],
                         to: Annotated[datetime, ATTENDANCE_TO]) -> list[AttendanceMark] | None:
        return await port(info).hubmis_attendance(self.id, from_, to)

    @strawberry.field(description="The student's published timetable. Source: HUBmis.")
    async def timetable(self, info: Info[Any, Any]) -> list[TimetablePeriod] | None:
        return await port(info).hubmis_timetable(self.id)


@strawberry.type(description="What Stellic (degree planning) says of this student. Source: Stellic.")
class StellicStudentRecord:
    username: strawberry.Private[str]

    @strawberry.field(description="Stellic's engagement score. Source: Stellic.")
    async def engagement_score(self, info: Info[Any, Any]) -> float | None:
        return await port(info).stellic_engagement_score(self.username)

    @strawberry.field(description="Degree audit output (courseFilter planned|registered; programFilter "
                                  "planned|registered|all; property unmatched|progress). Source: Stellic.")
    async def audit(self, info: Info[Any, Any], course_filter: Annotated[str, AUDIT_COURSE_FILTER],
                    property: Annotated[str, AUDIT_PROPERTY],
                    program_filter: Annotated[str | None, AUDIT_PROGRAM_FILTER] = None) -> JSON | None:
        return await port(info).stellic_audit(  # type: ignore[no-any-return]
            self.username, course_filter, program_filter, property)

    @strawberry.field(description="Planned future courses (courseFilter planned|registered|all). Source: Stellic.")
    async def future_courses(self, info: Info[Any, Any],
                             course_filter: Annotated[str, PLANNER_COURSE_FILTER] = "planned") -> JSON | None:
        return await port(info).stellic_future_courses(self.username, course_filter)  # type: ignore[no-any-return]
