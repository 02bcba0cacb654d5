"""Mutation payloads: what the vendor answered, as data, and `userErrors` for every expected refusal.

Bad input the gateway can see and refusals by the vendor (a 400, a 404, a failed item of an array write)
are `userErrors`, each with the argument path it is about; outages, timeouts and lost answers are GraphQL
errors with `extensions.code`.
"""

from __future__ import annotations

from datetime import date, datetime, time

import strawberry

from schema.inputs_write import RegistrationType
from schema.scalars import JSON
from schema.tasks import Task
from schema.types import Enrollment, Student

# The userErrors of a Stellic write: the gateway's own checks, or Stellic's refusal.
STELLIC_USER_ERRORS = ("What the gateway refused before sending (nothing was sent), or Stellic's refusal (its 400 "
                       "or 404, one per entry of its `errors`). Source: gateway or Stellic.")


@strawberry.type(description="A refusal the caller can act on: bad input, or what the vendor refused.")
class UserError:
    field: list[str] | None = strawberry.field(description="Path to the argument it is about, e.g. "
                                                           "[\"enrollments\", \"2\", \"course\"]; null for the "
                                                           "whole request. Source: gateway (for a Stellic "
                                                           "refusal, from its error's `field` and `index`).")
    message: str = strawberry.field(description="What is wrong: the gateway's own words for its checks, or the "
                                                "vendor's own message (Stellic's or Dartmouth's error `message`) "
                                                "for a refusal. Source: gateway or the vendor.")
    code: str = strawberry.field(description="REQUIRED, INVALID, OUT_OF_RANGE, DUPLICATE, TOO_LARGE (the gateway "
                                             "refused before any call; TOO_LARGE also for the vendor's 413) or "
                                             "NOT_FOUND, REFUSED, NOT_APPLIED, USE_ASYNC (the vendor's answer); "
                                             "see README.")


@strawberry.type(description="The answer to a Stellic write of one record. Source: Stellic.")
class StellicWritePayload:
    success: bool = strawberry.field(description="Whether Stellic applied the write.")
    status: str | None = strawberry.field(description="Stellic's `status` (e.g. success), where it gives one.")
    state: JSON | None = strawberry.field(description="The record as Stellic now holds it (its `state`, or the "
                                                      "echo of a created restriction).")
    user_errors: list[UserError] = strawberry.field(description=STELLIC_USER_ERRORS)


@strawberry.type(description="A new Stellic student profile. Source: Stellic.")
class StudentProfilePayload:
    success: bool = strawberry.field(description="Whether Stellic created it: its `status` is success and it "
                                                 "listed no `errors`. Source: gateway (from Stellic's answer).")
    username: str = strawberry.field(description="The username sent (Stellic's `student_username`). Source: "
                                                 "gateway (the argument).")
    state: JSON | None = strawberry.field(description="The profile as Stellic now holds it.")
    student: Student | None = strawberry.field(description="The person, through the crosswalk, once created.")
    user_errors: list[UserError] = strawberry.field(description=STELLIC_USER_ERRORS)


@strawberry.type(description="One item of an array write, in the order sent.")
class BatchItem:
    index: int = strawberry.field(description="The item's position in the array sent, from 0. Source: gateway.")
    succeeded: bool = strawberry.field(description="Stellic applied it: its `errors` do not name this index "
                                                   "(false for every item of a refused write). Source: gateway "
                                                   "(from Stellic's answer).")
    record: JSON | None = strawberry.field(description="The record as Stellic applied it (its `success` entry).")


@strawberry.type(description="The answer to a Stellic array write: which items Stellic applied, and a userError "
                             "for each one it did not (its index in the field path). Bulk section updates are "
                             "atomic: one refused item and none is applied. Source: Stellic.")
class StellicBatchPayload:
    success: bool = strawberry.field(description="Every item applied: Stellic answered with no `errors`. Source: "
                                                 "gateway (from Stellic's answer).")
    items: list[BatchItem] = strawberry.field(description="One per item sent, in order; none applied when the "
                                                          "whole write was refused. Source: gateway (from "
                                                          "Stellic's `success` and `errors`).")
    user_errors: list[UserError] = strawberry.field(description="What the gateway refused before sending (nothing "
                                                                "was sent), Stellic's refusal of the whole write "
                                                                "(its 400 or 404), or NOT_APPLIED for each entry "
                                                                "of Stellic's `errors`. Source: gateway or "
                                                                "Stellic.")


@strawberry.type(description="Seat and waitlist counts of a Stellic section.")
class StellicSeats:
    max_enrollment: int | None = strawberry.field(description="Seats. Source: Stellic (`max_enrollment`).")
    available_enrollment: int | None = strawberry.field(
        description="Seats still free. Source: Stellic (`available_enrollment`).")
    max_waitlist: int | None = strawberry.field(description="Waitlist places. Source: Stellic (`max_waitlist`).")
    waitlist: int | None = strawberry.field(description="Students on the waitlist. Source: Stellic (`waitlist`).")


@strawberry.type(description="A weekly meeting of a Stellic section.")
class StellicClassTiming:
    day: str | None = strawberry.field(description="Weekday, monday to sunday. Source: Stellic (`day`).")
    start: time | None = strawberry.field(description="Start time. Source: Stellic (`start`).")
    end: time | None = strawberry.field(description="End time. Source: Stellic (`end`).")
    room: str | None = strawberry.field(description="Room. Source: Stellic (`room`).")
    building: str | None = strawberry.field(description="Building. Source: Stellic (`building`).")
    start_date: date | None = strawberry.field(description="First day of a date-bounded timing. Source: Stellic "
                                                           "(`start_date`).")
    end_date: date | None = strawberry.field(description="Last day of a date-bounded timing. Source: Stellic "
                                                         "(`end_date`).")


@strawberry.type(description="A section as Stellic created it. Source: Stellic.")
class StellicSection:
    id: strawberry.ID = strawberry.field(description="Stellic section id. Source: Stellic (`id`).")
    name: str | None = strawberry.field(description="Name. Source: Stellic (`name`).")
    external_id: str | None = strawberry.field(description="SIS id of the section, e.g. its CRN. Source: Stellic "
                                                           "(`external_id`).")
    course: str | None = strawberry.field(description="Course code. Source: Stellic (`course`).")
    campus: str | None = strawberry.field(description="Campus short name. Source: Stellic (`campus`).")
    term: str | None = strawberry.field(description="Stellic term id. Source: Stellic (`term`).")
    type: str | None = strawberry.field(description="Section type. Source: Stellic (`type`).")
    start_date: date | None = strawberry.field(description="First day. Source: Stellic (`start_date`).")
    end_date: date | None = strawberry.field(description="Last day. Source: Stellic (`end_date`).")
    linked_section: str | None = strawberry.field(description="Stellic's own label, e.g. FA23-00123.")
    linked_sections: list[str] = strawberry.field(description="Linked section ids. Source: Stellic "
                                                              "(`linked_sections`).")
    topic: str | None = strawberry.field(description="Topic. Source: Stellic (`topic`).")
    delivery_mode: str | None = strawberry.field(description="Delivery mode. Source: Stellic (`delivery_mode`).")
    seats: StellicSeats = strawberry.field(description="Seat and waitlist counts. Source: Stellic (the section's "
                                                       "`max_enrollment`, `available_enrollment`, `max_waitlist`, "
                                                       "`waitlist`).")
    details: JSON | None = strawberry.field(description="CourseSectionDetails, as Stellic sent them. Source: "
                                                        "Stellic (`details`).")
    instructors: JSON | None = strawberry.field(description="Each instructor's username, first_name, last_name, "
                                                            "email and role where given (names inferred: the "
                                                            "seed lost the shape). Source: Stellic "
                                                            "(`instructors`).")
    timings: list[StellicClassTiming] = strawberry.field(description="Weekly meetings. Source: Stellic "
                                                                     "(`timings`).")


@strawberry.type(description="The answer to a Stellic section write: the created section, its counts or its "
                             "timings, as Stellic returned them. Source: Stellic.")
class SectionPayload:
    success: bool = strawberry.field(description="Whether Stellic applied the write (it answered the section, "
                                                 "counts or timings). Source: gateway (from Stellic's answer).")
    section_id: strawberry.ID | None = strawberry.field(description="The section: Stellic's `id` (createSection, "
                                                                    "updateSectionSeats) or `section` "
                                                                    "(replaceSectionTimings); the id sent when "
                                                                    "Stellic names none or the write was refused. "
                                                                    "Source: Stellic, else gateway.")
    section: StellicSection | None = strawberry.field(description="The whole section (createSection). Source: "
                                                                  "Stellic.")
    seats: StellicSeats | None = strawberry.field(description="The counts now in force (createSection, "
                                                              "updateSectionSeats). Source: Stellic.")
    timings: list[StellicClassTiming] | None = strawberry.field(description="The timings now in force "
                                                                            "(createSection, "
                                                                            "replaceSectionTimings). Source: "
                                                                            "Stellic (`timings`).")
    user_errors: list[UserError] = strawberry.field(description=STELLIC_USER_ERRORS)


@strawberry.type(description="An activity a hold blocks.")
class HoldActivity:
    activity: str | None = strawberry.field(description="The activity blocked. Source: Stellic (`activities` "
                                                        "item's `activity` or `name`; the seed lost the shape).")
    effect: str | None = strawberry.field(description="What the hold does to it. Source: Stellic (`activities` "
                                                      "item's `effect`; the seed lost the shape).")


@strawberry.type(description="The answer to a Stellic hold write. Source: Stellic.")
class HoldPayload:
    success: bool = strawberry.field(description="Stellic's `success`; false when the gateway or Stellic refused "
                                                 "the write. Source: Stellic.")
    sis_id: strawberry.ID = strawberry.field(description="The hold's SIS id as sent (Stellic's `sis_id`). Source: "
                                                         "gateway (the input).")
    title: str | None = strawberry.field(description="The hold type's title. Source: Stellic (`title`).")
    description: str | None = strawberry.field(description="Description. Source: Stellic (`description`).")
    activities: list[HoldActivity] = strawberry.field(description="What the hold blocks. Source: Stellic "
                                                                  "(`activities`).")
    note: str | None = strawberry.field(description="The hold's note: Stellic's `note` (placeHold, releaseHold), "
                                                    "or the note among `fields_updated` (updateHold). Source: "
                                                    "Stellic.")
    fields_updated: list[str] = strawberry.field(description="updateHold: the input fields Stellic applied (its "
                                                             "`fields_updated`).")
    fields_failed: list[str] = strawberry.field(description="updateHold: the input fields Stellic could not "
                                                            "apply (its `failed`; each also a userError).")
    user_errors: list[UserError] = strawberry.field(description="What the gateway refused before sending (nothing "
                                                                "was sent), Stellic's refusal (its 400 or 404), or "
                                                                "NOT_APPLIED for each field in Stellic's `failed`. "
                                                                "Source: gateway or Stellic.")


@strawberry.type(description="A student's registration window. Source: Stellic.")
class RegistrationTime:
    id: strawberry.ID = strawberry.field(description="Stellic's id of the window. Source: Stellic "
                                                     "(`registration_time_id`).")
    registration_type: RegistrationType | None = strawberry.field(
        description="Registration or preregistration; null for a value Stellic does not document. Source: Stellic "
                    "(`registration_type`).")
    timestamp: datetime | None = strawberry.field(description="Opens (UTC). Source: Stellic (`timestamp`).")
    end_timestamp: datetime | None = strawberry.field(description="Closes (UTC). Source: Stellic "
                                                                  "(`end_timestamp`).")
    student_username: str | None = strawberry.field(description="The student's Stellic username. Source: Stellic "
                                                                "(`student_username`).")
    usem: JSON | None = strawberry.field(description="Stellic's user semester, as sent.")


@strawberry.type(description="The answer to a registration-time write. Source: Stellic.")
class RegistrationTimePayload:
    success: bool = strawberry.field(description="Whether Stellic applied the write (it answered the registration "
                                                 "time). Source: gateway (from Stellic's answer).")
    registration_time: RegistrationTime | None = strawberry.field(description="The window as Stellic now holds "
                                                                              "it. Source: Stellic.")
    user_errors: list[UserError] = strawberry.field(description=STELLIC_USER_ERRORS)


@strawberry.type(description="An export: the rows at once (synchronous), or a Task of kind EXPORT whose "
                             "resultUrl is the download URL once complete. Source: Stellic bulk exports.")
class ExportPayload:
    success: bool = strawberry.field(description="Whether Stellic answered the rows or started the export. "
                                                 "Source: gateway (from Stellic's answer).")
    data_type: str = strawberry.field(description="The data type asked for (Stellic's `data_type`). Source: "
                                                  "gateway (the argument).")
    task: Task | None = strawberry.field(description="The asynchronous export (Stellic may run any export in the "
                                                     "background, whatever was asked).")
    columns: list[str] | None = strawberry.field(description="The CSV header (synchronous exports). Source: "
                                                             "Stellic.")
    rows: list[JSON] | None = strawberry.field(description="Each row as {column: value} (synchronous exports). "
                                                           "Source: Stellic (the CSV's rows).")
    row_count: int | None = strawberry.field(description="How many rows (synchronous exports). Source: gateway "
                                                         "(counts Stellic's CSV rows).")
    user_errors: list[UserError] = strawberry.field(description="What the gateway refused before sending (a "
                                                                "malformed dataType or params), Stellic's refusal "
                                                                "(its 400 or 404), or USE_ASYNC when Stellic timed "
                                                                "out a synchronous export. Source: gateway or "
                                                                "Stellic.")


@strawberry.type(description="A course-assessment change: Dartmouth accepts it (202) and a task carries it out. "
                             "Source: Dartmouth.")
class CourseAssessmentPayload:
    success: bool = strawberry.field(description="Dartmouth accepted the change (the task may still fail).")
    task: Task | None = strawberry.field(description="The task carrying it out, named in Dartmouth's 202 "
                                                     "(`Location: /api/tasks/{id}`), as it stands when the "
                                                     "mutation answers. Source: Dartmouth tasks.")
    enrollment: Enrollment | None = strawberry.field(description="The enrollment as it now stands, once the task "
                                                                 "is COMPLETE within `wait` (null before). When "
                                                                 "that read fails, or Dartmouth answers it 404, null "
                                                                 "with the error (NOT_FOUND for the 404) at this "
                                                                 "path. Source: Dartmouth academic enrollments, "
                                                                 "read again.")
    user_errors: list[UserError] = strawberry.field(description="What the gateway refused before sending (an id "
                                                                "that is not an enrollment's, both dates), or "
                                                                "Dartmouth's refusal (its 404 NOT_FOUND, 400 "
                                                                "REFUSED). Source: gateway or Dartmouth.")
