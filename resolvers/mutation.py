"""Root mutation fields: every Stellic write and the Dartmouth course-assessment PATCH.

Each resolver checks what the gateway can know before any call and answers refusals as `userErrors`;
outages, timeouts and lost answers are GraphQL errors (`WRITE_OUTCOME_UNKNOWN` when a write was sent and
its answer lost). Send an `Idempotency-Key` header to make a retry safe (see gateway/idempotency.py).
"""

from __future__ import annotations

import strawberry

from resolvers.mutations import assessment, enrollments, exports, holds, registration, sections, students
from schema.mutations import (
    CourseAssessmentPayload,
    ExportPayload,
    HoldPayload,
    RegistrationTimePayload,
    SectionPayload,
    StellicBatchPayload,
    StellicWritePayload,
    StudentProfilePayload,
)

STELLIC = "Source: Stellic"
# What a query shows of each write afterwards (the Partner API is mostly write-only): said in every description.
AUDIT = "Read back at once by the student's `stellic { audit futureCourses }` (their cached reads are forgotten)."
PROFILE_LISTS = ("Not read back: Stellic has no read of a profile's tags, schools or departments, so no query shows "
                 "them; `state` is the profile as Stellic answered it.")
CATALOG = ("Not read back: the gateway reads no Stellic section; `section` and `sections` are Dartmouth's and do not "
           "show it. The payload is what Stellic answered.")
HOLDS = ("Not read back: the gateway reads no Stellic hold; `Student.holds` are Dartmouth's and do not show it. The "
         "payload is what Stellic answered.")
WINDOWS = "Not read back: the gateway reads no Stellic registration time. The payload is what Stellic answered."


@strawberry.type(description="Writes, each sent to one vendor (Stellic or Dartmouth), which each mutation names.")
class Mutation:
    # ---- Stellic: students ------------------------------------------------------------------------------
    create_student_profile: StudentProfilePayload = strawberry.mutation(
        resolver=students.create_student_profile,
        description=f"Creates a student profile (also adds it to student sets). The username resolves at once "
                    f"(`student(stellicUsername:)`, `stellic {{ … }}`); the profile's fields are not read back (names "
                    f"come from Dartmouth and HUBmis): `state` is what Stellic answered. {STELLIC} #19.")
    add_student_tag: StellicWritePayload = strawberry.mutation(
        resolver=students.add_student_tag,
        description=f"Adds an existing tag to a student's profile. {PROFILE_LISTS} {STELLIC} #20.")
    remove_student_tag: StellicWritePayload = strawberry.mutation(
        resolver=students.remove_student_tag,
        description=f"Removes a tag from a student's profile. {PROFILE_LISTS} {STELLIC} #21.")
    add_student_school: StellicWritePayload = strawberry.mutation(
        resolver=students.add_student_school,
        description=f"Enrolls a student in a school (its short name). {PROFILE_LISTS} {STELLIC} #22.")
    remove_student_school: StellicWritePayload = strawberry.mutation(
        resolver=students.remove_student_school,
        description=f"Ends a school enrollment. {PROFILE_LISTS} {STELLIC} #23.")
    add_student_department: StellicWritePayload = strawberry.mutation(
        resolver=students.add_student_department,
        description=f"Enrolls a student in a department (its short name). {PROFILE_LISTS} {STELLIC} #24.")
    remove_student_department: StellicWritePayload = strawberry.mutation(
        resolver=students.remove_student_department,
        description=f"Ends a department enrollment. {PROFILE_LISTS} {STELLIC} #25.")
    create_program_enrollment: StellicWritePayload = strawberry.mutation(
        resolver=students.create_program_enrollment,
        description=f"Enrolls a student in a program, or replaces that enrollment. {AUDIT} {STELLIC} #1.")
    # ---- Stellic: course and section enrollments ---------------------------------------------------------
    replace_course_enrollments: StellicBatchPayload = strawberry.mutation(
        resolver=enrollments.replace_course_enrollments,
        description=f"Replaces a student's course enrollments of a term: courses left out are deleted. Answered "
                    f"item by item. {AUDIT} {STELLIC} #2.")
    create_section_enrollment: StellicBatchPayload = strawberry.mutation(
        resolver=enrollments.create_section_enrollment,
        description=f"Creates a section enrollment; Stellic derives the course enrollment. {AUDIT} {STELLIC} #3.")
    update_section_enrollment: StellicBatchPayload = strawberry.mutation(
        resolver=enrollments.update_section_enrollment,
        description=f"Replaces a section enrollment (every field). {AUDIT} {STELLIC} #4.")
    patch_section_enrollment: StellicBatchPayload = strawberry.mutation(
        resolver=enrollments.patch_section_enrollment,
        description=f"Changes only the given fields of a section enrollment. {AUDIT} {STELLIC} #5.")
    delete_section_enrollment: StellicWritePayload = strawberry.mutation(
        resolver=enrollments.delete_section_enrollment,
        description=f"Deletes a section enrollment (the last one takes its course enrollment). {AUDIT} "
                    f"{STELLIC} #6.")
    # ---- Stellic: sections ------------------------------------------------------------------------------
    create_section: SectionPayload = strawberry.mutation(
        resolver=sections.create_section,
        description=f"Creates a section. {CATALOG} {STELLIC} #8.")
    update_section_seats: SectionPayload = strawberry.mutation(
        resolver=sections.update_section_seats,
        description=f"Changes a section's seat and waitlist counts. {CATALOG} {STELLIC} #7.")
    bulk_update_section_seats: StellicBatchPayload = strawberry.mutation(
        resolver=sections.bulk_update_section_seats,
        description=f"Changes the counts of many sections at once; atomic. {CATALOG} {STELLIC} #9.")
    replace_section_timings: SectionPayload = strawberry.mutation(
        resolver=sections.replace_section_timings,
        description=f"Replaces a section's timings. {CATALOG} {STELLIC} #12.")
    bulk_replace_section_timings: StellicBatchPayload = strawberry.mutation(
        resolver=sections.bulk_replace_section_timings,
        description=f"Replaces the timings of many sections at once; atomic. {CATALOG} {STELLIC} #13.")
    create_section_restriction: StellicWritePayload = strawberry.mutation(
        resolver=sections.create_section_restriction,
        description=f"Restricts who may register for (or see) a section. {CATALOG} {STELLIC} #10.")
    delete_section_restriction: StellicWritePayload = strawberry.mutation(
        resolver=sections.delete_section_restriction,
        description=f"Deletes a section restriction. {CATALOG} {STELLIC} #11.")
    # ---- Stellic: holds and registration times -----------------------------------------------------------
    place_hold: HoldPayload = strawberry.mutation(
        resolver=holds.place_hold,
        description=f"Places a hold on a student. {HOLDS} {STELLIC} #26.")
    update_hold: HoldPayload = strawberry.mutation(
        resolver=holds.update_hold,
        description=f"Updates a hold; fields Stellic could not apply come back in fieldsFailed. {HOLDS} "
                    f"{STELLIC} #27.")
    release_hold: HoldPayload = strawberry.mutation(
        resolver=holds.release_hold,
        description=f"Releases (deletes) a hold. {HOLDS} {STELLIC} #28.")
    create_registration_time: RegistrationTimePayload = strawberry.mutation(
        resolver=registration.create_registration_time,
        description=f"Creates a student's registration window. {WINDOWS} {STELLIC} #29.")
    update_registration_time: RegistrationTimePayload = strawberry.mutation(
        resolver=registration.update_registration_time,
        description=f"Moves a registration window's start or end (UTC, YYYY-MM-DD HH:MM or ISO 8601). "
                    f"{WINDOWS} {STELLIC} #30.")
    delete_registration_time: StellicWritePayload = strawberry.mutation(
        resolver=registration.delete_registration_time,
        description=f"Deletes a registration window. {WINDOWS} {STELLIC} #31.")
    # ---- Stellic: exports -------------------------------------------------------------------------------
    start_export: ExportPayload = strawberry.mutation(
        resolver=exports.start_export,
        description="Runs a bulk export: `async: false` answers the rows, `async: true` a Task of kind EXPORT whose "
                    "resultUrl is the download URL once complete. `params` are the data type's query parameters "
                    "(a list repeats its parameter). Source: Stellic bulk exports.")
    # ---- Dartmouth -------------------------------------------------------------------------------------
    set_course_assessment: CourseAssessmentPayload = strawberry.mutation(
        resolver=assessment.set_course_assessment,
        description="Sets an enrollment's course assessment: a submitDate or an optOutDate, or neither to clear "
                    "it. Dartmouth accepts it and a task carries it out; `wait: true` waits for the task (up to "
                    "CAMPUSGRAPH_TASK_WAIT_S). Read back by `enrollment(id:)` and the enrollment lists once the task "
                    "is complete (the payload's `enrollment` then), not before; when Dartmouth's answer is lost or "
                    "names no task, once Dartmouth shows the change (the gateway watches the enrollment). Source: "
                    "Dartmouth PATCH /api/academic/enrollments/{id}.")
