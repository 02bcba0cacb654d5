"""Filter inputs of the list root fields."""

from __future__ import annotations

import strawberry


@strawberry.input(description="Narrows `students`. Each filter is passed to the chosen source's vendor; a filter "
                               "that source has not (as its description says) is refused with BAD_USER_INPUT.")
class StudentFilter:
    class_year: str | None = strawberry.field(default=None, description="Dartmouth class year as "
                                              "Dartmouth writes it (27, TH), or four digits (2027, sent as 27); "
                                              "Dartmouth's leading <, >, <=, >= and trailing * apply (>=2027, 2*) "
                                              "(Dartmouth `class_year`).")
    school_id: str | None = strawberry.field(default=None, description="Dartmouth school, e.g. UG (Dartmouth "
                                             "`school_id`).")
    status_code: str | None = strawberry.field(default=None, description="Vendor status code (Dartmouth "
                                               "`student_status_id`; HUBmis `filter[enrolmentStatus]`: current, "
                                               "past or applicant).")
    search: str | None = strawberry.field(default=None, description="HUBmis free-text search (`search`).")
    year_group: int | None = strawberry.field(default=None, description="HUBmis year group id "
                                               "(`filter[yearGroup]`).")
    form: int | None = strawberry.field(default=None, description="HUBmis form id (`filter[form]`).")


@strawberry.input(description="Narrows `staff` (HUBmis filters).")
class StaffFilter:
    search: str | None = strawberry.field(default=None, description="Free-text search over names and ids "
                                          "(HUBmis `search`).")
    department: int | None = strawberry.field(default=None, description="HUBmis department id "
                                              "(`filter[department]`).")
    status: str | None = strawberry.field(default=None, description="current or past (HUBmis "
                                          "`filter[status]`).")


@strawberry.input(description="Narrows `sections` (Dartmouth attribute filters).")
class SectionFilter:
    subject: str | None = strawberry.field(default=None, description="Subject code, e.g. COSC (Dartmouth "
                                          "`subject_id`).")
    course_number: str | None = strawberry.field(default=None, description="Course number, e.g. 010 "
                                                 "(Dartmouth `course_number`).")
    is_in_session: bool | None = strawberry.field(default=None, description="Only sections whose classes are in "
                                                  "session today (Dartmouth `is_in_session`).")
