"""What the arguments of nested fields are, and whose key or filter (GraphiQL shows these beside the fields').

The root Query's arguments are described beside their resolvers (resolvers/query.py), the mutations' in
resolvers/mutations/arguments.py; the paging cursor is described once, here, for every list.
"""

from __future__ import annotations

from typing import Any

import strawberry


def arg(description: str) -> Any:
    """``Annotated[T, arg("...")]``: an argument with its description."""
    return strawberry.argument(description=description)


AFTER = arg("Continue after this cursor: an `endCursor` or edge `cursor` the gateway issued for this same list and "
            "arguments (anything else is refused as BAD_USER_INPUT).")
TASK_ID = arg("A task's global ID, as a mutation's payload gave it (`Task.id`, the gateway's).")
# Student.enrollments: Dartmouth academic enrollments of the student's netid.
ENROLLMENTS_TERM = arg("Only this term: a Dartmouth term code, e.g. 202609 (or `>=202601`, `2026*`), sent as "
                       "Dartmouth `term.sis_term_code`; anything else is refused as BAD_USER_INPUT. Null or left "
                       "out: every term.")
ACTIVE_ONLY = arg("true: only active enrollments (Dartmouth `is_active=true`); null or false, the default: all.")
# Section.enrollments: Dartmouth academic enrollments of the section (`section.id`).
SECTION_ENROLLMENTS_FIRST_ARG = arg("Page size, 0-1000; null or left out: 50. The gateway pages over "
                                    "Dartmouth's.")
# HubmisStudentRecord.attendance: HUBmis `GET /api/v1/students/{id}/attendance`, marks of the active year.
ATTENDANCE_FROM = strawberry.argument(
    name="from", description="Start of the window, ISO 8601 date-time (without an offset: UTC), sent to HUBmis in "
                             "UTC as `filter[dateTime][from]`; not after `to`.")
ATTENDANCE_TO = arg("End of the window, ISO 8601 date-time (without an offset: UTC), sent to HUBmis in UTC as "
                    "`filter[dateTime][to]`.")
# StellicStudentRecord.audit and futureCourses: path parameters of Stellic's audit (#16, #17) and planner (#18).
AUDIT_COURSE_FILTER = arg("Courses mode: planned or registered (anything else is refused as BAD_USER_INPUT). "
                          "Stellic `course_filter`.")
AUDIT_PROPERTY = arg("Type of courses to fetch: unmatched or progress (anything else is refused). Stellic "
                     "`property`.")
AUDIT_PROGRAM_FILTER = arg("Program mode: planned, registered or all. Given: Stellic's custom audit (#17, "
                           "`program_filter`); null or left out: its audit (#16).")
PLANNER_COURSE_FILTER = arg("Courses mode: planned (the default), registered or all. Stellic planner "
                            "`course_filter` (property `future`).")
