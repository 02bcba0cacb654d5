"""Filter inputs of the list root fields."""

from __future__ import annotations

import strawberry


@strawberry.input(description="Narrows `students`. Each filter is passed to the chosen source's vendor; a filter "
                               "that source has not (as its description says) is refused with BAD_USER_INPUT.")
class StudentFilter:
    class_year: str | None = strawberry.field(default=None, description="Dartmouth class year, e.g. 27.")
    school_id: str | None = strawberry.field(default=None, description="Dartmouth school, e.g. UG.")
    status_code: str | None = strawberry.field(default=None, description="Vendor status code (Dartmouth "
                                               "student_status_id; HUBmis enrolmentStatus: current, past or "
                                               "applicant).")
    search: str | None = strawberry.field(default=None, description="HUBmis free-text search.")
    year_group: int | None = strawberry.field(default=None, description="HUBmis year group id.")
    form: int | None = strawberry.field(default=None, description="HUBmis form id.")


@strawberry.input(description="Narrows `staff` (HUBmis filters).")
class StaffFilter:
    search: str | None = strawberry.field(default=None, description="Free-text search over names and ids.")
    department: int | None = strawberry.field(default=None, description="HUBmis department id.")
    status: str | None = strawberry.field(default=None, description="current or past.")


@strawberry.input(description="Narrows `sections` (Dartmouth attribute filters).")
class SectionFilter:
    subject: str | None = strawberry.field(default=None, description="Subject code, e.g. COSC.")
    course_number: str | None = strawberry.field(default=None, description="Course number, e.g. 010.")
    is_in_session: bool | None = strawberry.field(default=None, description="Only sections meeting today.")
