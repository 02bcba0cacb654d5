"""Relay connections and edges: a page of each entity, over the vendor's own paging."""

from __future__ import annotations

import strawberry

from schema.node import PageInfo
from schema.types import Enrollment, Section, Staff, Student


@strawberry.type(description="A student in a page of students, with the cursor that continues the list after it.")
class StudentEdge:
    cursor: str = strawberry.field(description="Continues the list right after this edge. Source: gateway.")
    node: Student = strawberry.field(description="The student. Source: gateway.")


@strawberry.type(description="A page of students.")
class StudentConnection:
    edges: list[StudentEdge] = strawberry.field(
        description="This page's students. Source: gateway (over the vendor's paging).")
    page_info: PageInfo = strawberry.field(description="Paging state. Source: gateway.")
    total_count: int | None = strawberry.field(description="Where the vendor reports it: Dartmouth (X-Total-Count) and "
                                                         "Stellic (its export's rows); null for HUBmis. Like the "
                                                         "edges, it leaves out whom the caller may not see (FERPA).")


@strawberry.type(description="A member of staff in a page of staff, with the cursor that continues the list after it.")
class StaffEdge:
    cursor: str = strawberry.field(description="Continues the list right after this edge. Source: gateway.")
    node: Staff = strawberry.field(description="The staff member. Source: gateway.")


@strawberry.type(description="A page of staff.")
class StaffConnection:
    edges: list[StaffEdge] = strawberry.field(description="This page's staff. Source: gateway (over HUBmis' paging).")
    page_info: PageInfo = strawberry.field(description="Paging state. Source: gateway.")
    total_count: int | None = strawberry.field(description="Null: HUBmis does not report it. Source: HUBmis.")


@strawberry.type(description="A section in a page of sections, with the cursor that continues the list after it.")
class SectionEdge:
    cursor: str = strawberry.field(description="Continues the list right after this edge. Source: gateway.")
    node: Section = strawberry.field(description="The section. Source: gateway.")


@strawberry.type(description="A page of sections.")
class SectionConnection:
    edges: list[SectionEdge] = strawberry.field(
        description="This page's sections. Source: gateway (over Dartmouth's paging).")
    page_info: PageInfo = strawberry.field(description="Paging state. Source: gateway.")
    total_count: int | None = strawberry.field(
        description="Sections in the found set. Source: Dartmouth (X-Total-Count).")


@strawberry.type(description="An enrollment in a page of enrollments, with the cursor that continues the list "
                             "after it.")
class EnrollmentEdge:
    cursor: str = strawberry.field(description="Continues the list right after this edge. Source: gateway.")
    node: Enrollment = strawberry.field(description="The enrollment. Source: gateway.")


@strawberry.type(description="A page of enrollments.")
class EnrollmentConnection:
    edges: list[EnrollmentEdge] = strawberry.field(
        description="This page's enrollments. Source: gateway (over Dartmouth's paging).")
    page_info: PageInfo = strawberry.field(description="Paging state. Source: gateway.")
    total_count: int | None = strawberry.field(
        description="Enrollments in the found set. Source: Dartmouth (X-Total-Count).")
