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


@strawberry.type(description="A refusal the caller can act on: bad input, or what the vendor refused.")
class UserError:
    field: list[str] | None = strawberry.field(description="Path to the argument it is about, e.g. "
                                                           "[\"enrollments\", \"2\", \"course\"]; null for the "
                                                           "whole request.")
    message: str
    code: str = strawberry.field(description="REQUIRED, INVALID, OUT_OF_RANGE, DUPLICATE, TOO_LARGE (the gateway "
                                             "refused before any call) or NOT_FOUND, REFUSED, NOT_APPLIED, "
                                             "USE_ASYNC (the vendor's answer); see README.")


@strawberry.type(description="The answer to a Stellic write of one record. Source: Stellic.")
class StellicWritePayload:
    success: bool = strawberry.field(description="Whether Stellic applied the write.")
    status: str | None = strawberry.field(description="Stellic's `status` (e.g. success), where it gives one.")
    state: JSON | None = strawberry.field(description="The record as Stellic now holds it (its `state`, or the "
                                                      "echo of a created restriction).")
    user_errors: list[UserError]


@strawberry.type(description="A new Stellic student profile. Source: Stellic.")
class StudentProfilePayload:
    success: bool
    username: str
    state: JSON | None = strawberry.field(description="The profile as Stellic now holds it.")
    student: Student | None = strawberry.field(description="The person, through the crosswalk, once created.")
    user_errors: list[UserError]


@strawberry.type(description="One item of an array write, in the order sent.")
class BatchItem:
    index: int
    succeeded: bool
    record: JSON | None = strawberry.field(description="The record as Stellic applied it (its `success` entry).")


@strawberry.type(description="The answer to a Stellic array write: which items Stellic applied, and a userError "
                             "for each one it did not (its index in the field path). Bulk section updates are "
                             "atomic: one refused item and none is applied. Source: Stellic.")
class StellicBatchPayload:
    success: bool = strawberry.field(description="Every item applied.")
    items: list[BatchItem]
    user_errors: list[UserError]


@strawberry.type(description="Seat and waitlist counts of a Stellic section.")
class StellicSeats:
    max_enrollment: int | None
    available_enrollment: int | None
    max_waitlist: int | None
    waitlist: int | None


@strawberry.type(description="A weekly meeting of a Stellic section.")
class StellicClassTiming:
    day: str | None
    start: time | None
    end: time | None
    room: str | None
    building: str | None
    start_date: date | None
    end_date: date | None


@strawberry.type(description="A section as Stellic created it. Source: Stellic.")
class StellicSection:
    id: strawberry.ID
    name: str | None
    external_id: str | None
    course: str | None
    campus: str | None
    term: str | None
    type: str | None
    start_date: date | None
    end_date: date | None
    linked_section: str | None = strawberry.field(description="Stellic's own label, e.g. FA23-00123.")
    linked_sections: list[str]
    topic: str | None
    delivery_mode: str | None
    seats: StellicSeats
    details: JSON | None
    instructors: JSON | None
    timings: list[StellicClassTiming]


@strawberry.type(description="The answer to a Stellic section write: the created section, its counts or its "
                             "timings, as Stellic returned them. Source: Stellic.")
class SectionPayload:
    success: bool
    section_id: strawberry.ID | None
    section: StellicSection | None = strawberry.field(description="The whole section (createSection).")
    seats: StellicSeats | None = strawberry.field(description="The counts now in force.")
    timings: list[StellicClassTiming] | None = strawberry.field(description="The timings now in force.")
    user_errors: list[UserError]


@strawberry.type(description="An activity a hold blocks.")
class HoldActivity:
    activity: str | None
    effect: str | None


@strawberry.type(description="The answer to a Stellic hold write. Source: Stellic.")
class HoldPayload:
    success: bool
    sis_id: strawberry.ID
    title: str | None = strawberry.field(description="The hold type's title.")
    description: str | None
    activities: list[HoldActivity]
    note: str | None
    fields_updated: list[str] = strawberry.field(description="updateHold: the input fields Stellic applied.")
    fields_failed: list[str] = strawberry.field(description="updateHold: the input fields Stellic could not "
                                                            "apply (each also a userError).")
    user_errors: list[UserError]


@strawberry.type(description="A student's registration window. Source: Stellic.")
class RegistrationTime:
    id: strawberry.ID
    registration_type: RegistrationType | None
    timestamp: datetime | None = strawberry.field(description="Opens (UTC).")
    end_timestamp: datetime | None = strawberry.field(description="Closes (UTC).")
    student_username: str | None
    usem: JSON | None = strawberry.field(description="Stellic's user semester, as sent.")


@strawberry.type(description="The answer to a registration-time write. Source: Stellic.")
class RegistrationTimePayload:
    success: bool
    registration_time: RegistrationTime | None
    user_errors: list[UserError]


@strawberry.type(description="An export: the rows at once (synchronous), or a Task of kind EXPORT whose "
                             "resultUrl is the download URL once complete. Source: Stellic bulk exports.")
class ExportPayload:
    success: bool
    data_type: str
    task: Task | None = strawberry.field(description="The asynchronous export (Stellic may run any export in the "
                                                     "background, whatever was asked).")
    columns: list[str] | None = strawberry.field(description="The CSV header (synchronous exports).")
    rows: list[JSON] | None = strawberry.field(description="Each row as {column: value} (synchronous exports).")
    row_count: int | None
    user_errors: list[UserError]


@strawberry.type(description="A course-assessment change: Dartmouth accepts it (202) and a task carries it out. "
                             "Source: Dartmouth.")
class CourseAssessmentPayload:
    success: bool = strawberry.field(description="Dartmouth accepted the change (the task may still fail).")
    task: Task | None
    enrollment: Enrollment | None = strawberry.field(description="The enrollment as it now stands, once the task "
                                                                 "is COMPLETE within `wait`.")
    user_errors: list[UserError]
