"""Enums of the public API."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="A vendor system behind this gateway.")
class Vendor(Enum):
    STELLIC = strawberry.enum_value("stellic", description="Stellic, degree management (its Partner API and exports).")
    HUBMIS = strawberry.enum_value("hubmis", description="WCBS HUBmis, the school MIS (its `/api/v1`).")
    DARTMOUTH = strawberry.enum_value("dartmouth", description="The Dartmouth API (people, students, academic "
                                                               "records).")


@strawberry.enum(description="A student's status normalised across vendors, from Dartmouth's "
                             "`student_status_id` or HUBmis' `enrolment_status` (each value says which codes map "
                             "to it); each vendor's own code stays available as `statusCode` and in the vendor "
                             "detail.")
class StudentStatus(Enum):
    ACTIVE = strawberry.enum_value("active", description="Studying now: Dartmouth `student_status_id` AS (Active) or "
                                                         "GS (Graduating Senior); HUBmis `enrolment_status` current.")
    FUTURE = strawberry.enum_value("future", description="Admitted, not started yet: Dartmouth AD (Admitted), or any "
                                                         "Dartmouth status with `is_future_status` true.")
    INACTIVE = strawberry.enum_value("inactive", description="On leave: Dartmouth LA (Leave of Absence).")
    GRADUATED = strawberry.enum_value("graduated", description="Graduated: Dartmouth GR (Graduated).")
    LEFT = strawberry.enum_value("left", description="No longer studying: Dartmouth WD (Withdrawn); HUBmis "
                                                     "`enrolment_status` past.")
    APPLICANT = strawberry.enum_value("applicant", description="Applied, not enrolled: HUBmis `enrolment_status` "
                                                               "applicant.")
    UNKNOWN = strawberry.enum_value("unknown", description="A vendor code the gateway has no mapping for (the "
                                                           "code itself is in `statusCode`), or no vendor in the "
                                                           "order gives a status.")


@strawberry.enum(description="What a long-running task is doing. Source: gateway (which mutation started it).")
class TaskKind(Enum):
    COURSE_ASSESSMENT = strawberry.enum_value("course_assessment", description="A Dartmouth enrollment PATCH task "
                                                                               "(`setCourseAssessment`).")
    EXPORT = strawberry.enum_value("export", description="A Stellic asynchronous export (`startExport`).")


@strawberry.enum(description="Where a task stands, from the vendor's own task or export status. Sources: "
                             "Dartmouth tasks, Stellic exports.")
class TaskStatus(Enum):
    PENDING = strawberry.enum_value("pending", description="Not started: Dartmouth task status accepted; Stellic "
                                                           "export status not_started.")
    RUNNING = strawberry.enum_value("running", description="Under way: Stellic started (or completed while its "
                                                           "download URL is not ready yet); a Dartmouth status other "
                                                           "than accepted, complete or error.")
    COMPLETE = strawberry.enum_value("complete", description="Done: Dartmouth complete; Stellic completed, with its "
                                                             "download URL (`resultUrl`).")
    FAILED = strawberry.enum_value("failed", description="Did not finish: Dartmouth error; Stellic failed; or the "
                                                         "vendor no longer knows the task (gateway).")
