"""Vendor-specific detail of a student, under `Student.dartmouth`, `Student.hubmis` and `Student.stellic`."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info
from strawberry.types.nodes import SelectedField

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


def then(result: Any, finish: Callable[[Any], Any]) -> Any:
    """``finish`` applied to a value the port answered with, now or once its awaitable completes."""
    if not inspect.isawaitable(result):
        return finish(result)

    async def later() -> Any:
        return finish(await result)

    return later()


@strawberry.type(description="One entry of a Dartmouth student's status history (Banner SGBSTDN). Source: Dartmouth.")
class StudentStatusChange:
    term_code_effective: str | None
    school_id: str | None
    class_year: str | None
    class_code: str | None
    student_type_id: str | None
    student_status_id: str | None
    grad_term: str | None


@strawberry.type(description="A major, minor or concentration in an academic history entry. Source: Dartmouth.")
class Discipline:
    id: str | None
    name: str | None
    type: str | None = strawberry.field(description="MAJOR or MINOR.")


@strawberry.type(description="An institution a student attended, Dartmouth included. Source: Dartmouth.")
class AcademicHistoryEntry:
    institution: str | None
    institution_type: str | None
    start_date: date | None
    completion_date: date | None
    admit_term_code: str | None = strawberry.field(description="Dartmouth programs only.")
    degree_level: str | None
    degree_status: str | None = strawberry.field(description="Sought or Awarded.")
    disciplines: list[Discipline]


@strawberry.type(description="A D-plan entry: where the student is in a term (resident, leave, off campus). "
                             "Source: Dartmouth.")
class Dplan:
    term_code: str | None
    id: str | None
    description: str | None
    source: str | None


@strawberry.type(description="A school-specific attribute (currently Thayer only). Source: Dartmouth.")
class StudentAttribute:
    code: str | None
    description: str | None
    term_code_effective: str | None


@strawberry.type(description="A GPA value; Dartmouth sends it as a string or a number, normalised here. "
                             "Source: Dartmouth.")
class Gpa:
    school_id: str | None
    type: str | None = strawberry.field(description="Dartmouth's gpa_type_ind: I institutional, O overall, "
                                                    "T transfer.")
    value: float | None
    term: str | None = strawberry.field(description="Term code, for term GPAs.")


@strawberry.type(description="Cumulative and per-term GPAs. Source: Dartmouth (highly sensitive scope).")
class GpaHistory:
    cumulative: list[Gpa]
    terms: list[Gpa]


@strawberry.type(description="What Dartmouth's Students API says of this student. Source: Dartmouth.")
class DartmouthStudentRecord:
    term_code_effective: str | None = strawberry.field(description="Term the top-level status applies to.")
    is_future_status: bool = strawberry.field(description="True when only a future status exists.")
    student_type_id: str | None
    student_status_id: str | None
    admission_type_id: str | None
    admit_term: str | None
    grad_term: str | None
    class_code: str | None = strawberry.field(description="Class as of the current term (FR, SO, JR, SR).")
    is_first_gen: bool | None
    status_history: list[StudentStatusChange]
    academic_history: list[AcademicHistoryEntry]
    dplans: list[Dplan]
    other_attributes: list[StudentAttribute]
    gpa: GpaHistory | None = strawberry.field(description="Requires the highly-sensitive student scope.")
    cache_date: datetime | None = strawberry.field(description="When Dartmouth last refreshed this record.")


@strawberry.type(description="A HUBmis group a student belongs to (form, year group, tutor group, house). "
                             "Source: HUBmis.")
class GroupRef:
    id: int | None
    name: str | None
    code: str | None


@strawberry.type(description="One session attendance mark. Source: HUBmis.")
class AttendanceMark:
    date: date | None
    session: str | None = strawberry.field(description="am or pm.")
    code: str | None
    description: str | None
    present: bool | None


@strawberry.type(description="One lesson in a timetable. Source: HUBmis.")
class TimetablePeriod:
    day: str | None
    start: str | None
    end: str | None
    subject: str | None
    group: str | None
    room: str | None
    teacher: str | None


@strawberry.type(description="What HUBmis (the school MIS) says of this student. Source: HUBmis.")
class HubmisStudentRecord:
    id: int
    date_of_birth: date | None
    enrolment_status: str | None = strawberry.field(description="HUBmis' own code: current, past or applicant.")
    form: GroupRef | None
    year_group: GroupRef | None
    academic_house: GroupRef | None
    boarding_house: GroupRef | None
    tags: list[str]

    @strawberry.field(description="The student's tutor group in the active year (the student record does not "
                                  "carry it). Source: HUBmis academic structure.")
    async def tutor_group(self, info: Info[Any, Any]) -> GroupRef | None:
        return await port(info).hubmis_tutor_group(self.id)

    @strawberry.field(description="Session attendance marks between two instants. Source: HUBmis.")
    async def attendance(self, info: Info[Any, Any], from_: Annotated[datetime, strawberry.argument(name="from")],
                         to: datetime) -> list[AttendanceMark] | None:
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
    async def audit(self, info: Info[Any, Any], course_filter: str, property: str,
                    program_filter: str | None = None) -> JSON | None:
        return await port(info).stellic_audit(self.username, course_filter, program_filter, property)

    @strawberry.field(description="Planned future courses (courseFilter planned|registered|all). Source: Stellic.")
    async def future_courses(self, info: Info[Any, Any], course_filter: str = "planned") -> JSON | None:
        return await port(info).stellic_future_courses(self.username, course_filter)
