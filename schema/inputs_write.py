"""Inputs and enums of the mutations. Field names are the camelCase of the vendor's own (Stellic `sis_id` ->
`sisId`), so the vendor documents read straight across; required fields are required, documented value sets
are enums, dates are `Date`/`DateTime`, and GraphQL itself refuses what does not fit before any call."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import Enum
from typing import Any

import strawberry

from schema.scalars import JSON


@strawberry.enum(description="Day of a class meeting (Stellic ClassTimings `day`).")
class Weekday(Enum):
    MONDAY = strawberry.enum_value("monday", description="Sent to Stellic as `monday`.")
    TUESDAY = strawberry.enum_value("tuesday", description="Sent to Stellic as `tuesday`.")
    WEDNESDAY = strawberry.enum_value("wednesday", description="Sent to Stellic as `wednesday`.")
    THURSDAY = strawberry.enum_value("thursday", description="Sent to Stellic as `thursday`.")
    FRIDAY = strawberry.enum_value("friday", description="Sent to Stellic as `friday`.")
    SATURDAY = strawberry.enum_value("saturday", description="Sent to Stellic as `saturday`.")
    SUNDAY = strawberry.enum_value("sunday", description="Sent to Stellic as `sunday`.")


@strawberry.enum(description="What a section restriction's student sets name (Stellic `type`).")
class RestrictionType(Enum):
    CAMPUS = strawberry.enum_value("campus", description="Sent to Stellic as `campus`.")
    CONCENTRATION = strawberry.enum_value("concentration", description="Sent to Stellic as `concentration`.")
    PROGRAM = strawberry.enum_value("program", description="Sent to Stellic as `program`.")
    RAW = strawberry.enum_value("raw", description="Sent to Stellic as `raw`.")
    SCHOOL = strawberry.enum_value("school", description="Sent to Stellic as `school`.")
    STUDENT_LEVEL = strawberry.enum_value("student_level", description="Sent to Stellic as `student_level`.")
    TAGS = strawberry.enum_value("tags", description="Sent to Stellic as `tags`.")


@strawberry.enum(description="How a section restriction compares a student with its sets (Stellic `operator`).")
class RestrictionOperator(Enum):
    EQ = strawberry.enum_value("eq", description="Sent to Stellic as `eq`.")
    NEQ = strawberry.enum_value("neq", description="Sent to Stellic as `neq`.")
    INFO = strawberry.enum_value("info", description="Sent to Stellic as `info`.")


@strawberry.enum(description="What a section restriction does (Stellic `action`).")
class RestrictionAction(Enum):
    DISALLOW_REGISTER = strawberry.enum_value("disallow_register",
                                              description="Sent to Stellic as `disallow_register`.")
    DISALLOW_DROP = strawberry.enum_value("disallow_drop", description="Sent to Stellic as `disallow_drop`.")
    HIDE = strawberry.enum_value("hide", description="Sent to Stellic as `hide`.")
    WARN = strawberry.enum_value("warn", description="Sent to Stellic as `warn`.")
    RESERVED_SEATS = strawberry.enum_value("reserved_seats", description="Sent to Stellic as `reserved_seats`.")
    SHOW = strawberry.enum_value("show", description="Sent to Stellic as `show`.")


@strawberry.enum(description="Kind of registration window (Stellic `registration_type`).")
class RegistrationType(Enum):
    REGISTRATION = strawberry.enum_value("registration", description="Sent to Stellic as `registration`.")
    PREREGISTRATION = strawberry.enum_value("preregistration", description="Sent to Stellic as `preregistration`.")


def _opt(description: str) -> Any:
    return strawberry.field(default=None, description=description)


def _req(description: str) -> Any:
    return strawberry.field(description=description)


# Each input field is sent to Stellic as the body field its description names (the snake_case of its own name).
@strawberry.input(description="A new Stellic student profile (`POST .../students/{student_username}`, #19), sent "
                              "as the one item of the array body.")
class StudentProfileInput:
    first_name: str = _req("First name; not empty. Stellic `first_name`.")
    last_name: str = _req("Last name; not empty. Stellic `last_name`.")
    email: str = _req("Email address (must contain @). Stellic `email`.")
    class_level_id: str = _req("Class level, e.g. FR, SO, JR, SR, GR; not empty. Stellic `class_level_id`.")
    term_joined: str = _req("Stellic term id of the term the student joined; not empty. Stellic `term_joined`.")
    preferred_first_name: str | None = _opt("Preferred first name. Stellic `preferred_first_name`.")
    primary_advisor_username: str | None = _opt("Stellic username of the primary advisor (staff). Stellic "
                                                "`primary_advisor_username`.")
    primary_campus_id: str | None = _opt("Primary campus, its short name. Stellic `primary_campus_id`.")
    current_campus_id: str | None = _opt("Current campus, its short name. Stellic `current_campus_id`.")
    pronouns: str | None = _opt("Pronouns. Stellic `pronouns`.")
    department_ids: list[str] | None = _opt("Departments, by short name. Stellic `department_ids`.")
    school_ids: list[str] | None = _opt("Schools, by short name. Stellic `school_ids`.")
    expected_graduation: str | None = _opt("Stellic term id of the expected graduation. Stellic "
                                           "`expected_graduation`.")
    pre_req_waivers: list[str] | None = _opt("Courses whose prerequisites are waived. Stellic `pre_req_waivers`.")
    cgpa: float | None = _opt("Cumulative GPA, 0 or more. Stellic `cgpa`.")
    ge_catalog_term: str | None = _opt("General-education catalog term id. Stellic `ge_catalog_term`.")
    student_id: str | None = _opt("SIS student id; Stellic assigns one when absent. Stellic `student_id`.")
    type: str | None = _opt("Student type. Stellic `type`.")
    mobile_number: str | None = _opt("Mobile number. Stellic `mobile_number`.")
    text_consent: bool | None = _opt("Consents to text messages. Stellic `text_consent`.")
    primary_enrollment_level_id: str | None = _opt("Primary enrollment level, UGRD or GRAD. Stellic "
                                                   "`primary_enrollment_level_id`.")


@strawberry.input(description="A program enrollment (`POST .../students/{username}/programs/{program_id}`, #1), "
                              "sent as the body.")
class ProgramEnrollmentInput:
    concentration_ids: list[str] = _req("Concentration ids within the program, each not empty (may be none). "
                                        "Stellic `concentration_ids`.")
    certification_status: bool = _req("Whether the student graduated in this program. Stellic "
                                      "`certification_status`.")
    certification_date: date = _req("Date of that certification, YYYY-MM-DD. Stellic `certification_date`.")
    order: int = _req("Position of this program's requirements in the audit, 0 or more. Stellic `order`.")
    catalog_term: str = _req("Stellic term id of the catalog; not empty. Stellic `catalog_term`.")


@strawberry.input(description="Fields a course enrollment and its section enrollments share (seed 000, 1.9.2).")
class CourseEnrollmentFields:
    campus: str | None = _opt("Campus short name. Stellic `campus`.")
    grade_scheme: str | None = _opt("Grade scheme. Stellic `grade_scheme`.")
    grade_option: str | None = _opt("Grade option. Stellic `grade_option`.")
    is_transfer: bool | None = _opt("A transfer course (Stellic's default: false). Stellic `is_transfer`.")
    transfer_course_meta: str | None = _opt("Transfer details. Stellic `transfer_course_meta`.")
    course_topic: str | None = _opt("Topic; must exist among the course's topics. Stellic `course_topic`.")
    attributes: list[str] | None = _opt("Course attributes. Stellic `attributes`.")
    registration_status: str | None = _opt("Registration status, e.g. waitlisted, pre-registered. Stellic "
                                           "`registration_status`.")
    repeat_code: str | None = _opt("Repeat code. Stellic `repeat_code`.")
    final_grade: str | None = _opt("Final grade. Stellic `final_grade`.")
    mid_semester_grade: str | None = _opt("Mid-semester grade. Stellic `mid_semester_grade`.")
    units: int | None = _opt("Units, 0 or more. Stellic `units`.")
    enrollment_level: str | None = _opt("Enrollment level, e.g. UGRD, GRAD. Stellic `enrollment_level`.")


@strawberry.input(description="One course of a term's full replace (#2); courses left out are deleted.")
class CourseEnrollmentInput(CourseEnrollmentFields):
    course: str = _req("Course code, e.g. COSC 010; not empty, once per term. Stellic `course`.")
    sections: list[str] | None = _opt("Stellic section ids of this course in the term, each once. Stellic "
                                      "`sections`.")


@strawberry.input(description="A section enrollment (#3, #4); Stellic derives the course enrollment from it.")
class SectionEnrollmentInput(CourseEnrollmentFields):
    student_username: str = _req("The student's Stellic username; not empty. Stellic `student_username`.")
    course: str = _req("Course code of the section; not empty. Stellic `course`.")
    section: str = _req("Stellic section id; not empty. Stellic `section`.")
    is_enrollment_component: bool = _req("An enrollment section (not e.g. a lab). Stellic "
                                         "`is_enrollment_component`.")
    term: str | None = _opt("Stellic term id; must be the section's. Stellic `term`.")


@strawberry.input(description="The keys of a section enrollment that change (#5); give at least one.")
class SectionEnrollmentPatch(CourseEnrollmentFields):
    student_username: str | None = _opt("Cannot change; given only to confirm. Stellic `student_username`.")
    course: str | None = _opt("Course code of the section. Stellic `course`.")
    section: str | None = _opt("Stellic section id. Stellic `section`.")
    is_enrollment_component: bool | None = _opt("An enrollment section. Stellic `is_enrollment_component`.")
    term: str | None = _opt("Stellic term id; must be the section's. Stellic `term`.")


@strawberry.input(description="One weekly meeting of a section (Stellic ClassTimings); `end` after `start`.")
class ClassTimingInput:
    day: Weekday = _req("Day of the meeting, MONDAY to SUNDAY. Stellic `day` (monday to sunday).")
    start: time = _req("Start time, e.g. 09:00; sent as HH:MM (HH:MM:SS when it has seconds). Stellic `start`.")
    end: time = _req("End time, after start; sent as start is. Stellic `end`.")
    room: str = _req("Room; not empty. Stellic `room`.")
    building: str = _req("Building; not empty. Stellic `building`.")
    start_date: date | None = _opt("First date this timing applies, YYYY-MM-DD. Stellic `start_date`.")
    end_date: date | None = _opt("Last date this timing applies; not before startDate. Stellic `end_date`.")


@strawberry.input(description="Seat and waitlist counts (#7); each 0 or more; give at least one.")
class SeatCountsInput:
    max_enrollment: int | None = _opt("Seats. Stellic `max_enrollment`.")
    available_enrollment: int | None = _opt("Seats still free. Stellic `available_enrollment`.")
    max_waitlist: int | None = _opt("Waitlist places. Stellic `max_waitlist`.")
    waitlist: int | None = _opt("Students on the waitlist. Stellic `waitlist`.")


@strawberry.input(description="One section's counts in a bulk update (#9, atomic).")
class SectionSeatsInput(SeatCountsInput):
    id: strawberry.ID = _req("Stellic section id; each section once per update. Stellic `id`.")


@strawberry.input(description="One section's timings in a bulk replace (#13, atomic).")
class SectionTimingsInput:
    section: strawberry.ID = _req("Stellic section id; each section once per update. Stellic `section`.")
    timings: list[ClassTimingInput] = _req("The section's weekly meetings, replacing all it has (none: cleared). "
                                           "Stellic `timings`.")


@strawberry.input(description="A new Stellic section (`POST .../catalog/section/{id}`, #8), sent as the body.")
class SectionInput:
    name: str = _req("Section name; not empty. Stellic `name`.")
    external_id: str = _req("SIS id of the section, e.g. its CRN; not empty. Stellic `external_id`.")
    course: str = _req("Course code; not empty. Stellic `course`.")
    campus: str = _req("Campus short name; not empty. Stellic `campus`.")
    term: str = _req("Stellic term id; not empty. Stellic `term`.")
    type: str = _req("Section type; not empty. Stellic `type`.")
    start_date: date = _req("First day, YYYY-MM-DD. Stellic `start_date`.")
    end_date: date = _req("Last day, YYYY-MM-DD; not before startDate. Stellic `end_date`.")
    id: strawberry.ID | None = _opt("Stellic id of the new section, sent in the path (Stellic `{id}`), not the "
                                    "body; externalId when absent.")
    linked_sections: list[str] | None = _opt("Ids of linked sections, each not empty. Stellic `linked_sections`.")
    topic: str | None = _opt("Topic. Stellic `topic`.")
    delivery_mode: str | None = _opt("Delivery mode. Stellic `delivery_mode`.")
    max_enrollment: int | None = _opt("Seats, 0 or more (Stellic's default 0). Stellic `max_enrollment`.")
    available_enrollment: int | None = _opt("Seats still free, 0 or more (Stellic's default 0). Stellic "
                                            "`available_enrollment`.")
    max_waitlist: int | None = _opt("Waitlist places, 0 or more (Stellic's default 0). Stellic `max_waitlist`.")
    waitlist: int | None = _opt("Students on the waitlist, 0 or more (Stellic's default 0). Stellic `waitlist`.")
    details: JSON | None = _opt("CourseSectionDetails, passed to Stellic as given. Stellic `details`.")
    instructors: list[JSON] | None = _opt("Instructor objects, passed to Stellic as given. Stellic `instructors`.")
    timings: list[ClassTimingInput] | None = _opt("Weekly meetings. Stellic `timings`.")


@strawberry.input(description="A section restriction (#10), sent as the body. `reserveCapacity`, `startDate`, "
                              "`endDate` and `rqrmntGroup` apply only to the RESERVED_SEATS action.")
class SectionRestrictionInput:
    section: str = _req("Id of the section restricted (as Stellic's schedule feed names it, e.g. 156798), at "
                        "most 50 characters. Stellic `section`.")
    type: RestrictionType = _req("What kind of value the student sets hold, e.g. CAMPUS or TAGS; one for every "
                                 "set. Stellic `type`.")
    student_sets: list[JSON] = _req("The sets: each a value of `type` (e.g. \"main\"), or an object with the "
                                    "single key `type` (`{\"campus\": \"main\"}`); at least one. Stellic "
                                    "`student_sets`, each sent as that object.")
    operator: RestrictionOperator = strawberry.field(
        default=RestrictionOperator.INFO,
        description="How a student is compared with the sets: EQ, NEQ, or INFO (the default). Stellic `operator`.")
    action: RestrictionAction = strawberry.field(
        default=RestrictionAction.SHOW,
        description="What the restriction does to the students it matches; SHOW is the default. Stellic `action`.")
    note: str | None = _opt("Shown to students. Stellic `note`.")
    reserve_capacity: int | None = _opt("Reserved seats, 0 or more (Stellic's default 0); sent as a string. "
                                        "Stellic `reserve_capacity`.")
    start_date: date | None = _opt("Reservation starts, YYYY-MM-DD. Stellic `start_date`.")
    end_date: date | None = _opt("Reservation ends; not before startDate. Stellic `end_date`.")
    rqrmnt_group: str | None = _opt("PeopleSoft requirement group for real-time seat counts. Stellic "
                                    "`rqrmnt_group`.")


@strawberry.input(description="A new student hold (#26), sent as the body.")
class PlaceHoldInput:
    sis_id: strawberry.ID = _req("The SIS id of the hold; names it from now on (updateHold, releaseHold); not "
                                 "empty. Stellic `sis_id`.")
    student_id: str = _req("The student's Stellic student id (or username); not empty. Stellic `student_id`.")
    hold_code: str = _req("Code of the kind of hold; not empty. Stellic `hold_code`.")
    note: str | None = _opt("Note on the hold. Stellic `note`.")
    url_text: str | None = _opt("Text of a link shown with the hold. Stellic `url_text`.")
    url_link: str | None = _opt("URL of that link. Stellic `url_link`.")


@strawberry.input(description="A hold's new values (#27), sent as the body; fields Stellic cannot apply come back "
                              "as userErrors.")
class UpdateHoldInput:
    student_id: str = _req("The student's Stellic student id (or username); not empty, Stellic requires it. "
                           "Stellic `student_id`.")
    hold_code: str = _req("Code of the kind of hold; not empty, Stellic requires it. Stellic `hold_code`.")
    note: str | None = _opt("Note on the hold. Stellic `note`.")
    url_text: str | None = _opt("Text of a link shown with the hold. Stellic `url_text`.")
    url_link: str | None = _opt("URL of that link. Stellic `url_link`.")


@strawberry.input(description="A registration window (#29), sent as the body. Times are UTC: an offset is "
                              "converted, a time without one is taken as UTC; Stellic keeps minutes.")
class RegistrationTimeInput:
    student_username: str = _req("The student's Stellic username; not empty. Stellic `student_username`.")
    timestamp: datetime = _req("Opens, e.g. 2023-05-11T14:30:00Z or 2023-05-11 14:30; sent as YYYY-MM-DD HH:MM "
                               "UTC. Stellic `timestamp`.")
    semester: str = _req("Semester, e.g. summer; not empty. Stellic `semester`.")
    year: int = _req("Year, e.g. 2023; 0 or more. Stellic `year`.")
    term: str = _req("Stellic term id, e.g. 20223; not empty. Stellic `term`.")
    registration_type: RegistrationType = strawberry.field(
        default=RegistrationType.REGISTRATION,
        description="REGISTRATION (the default) or PREREGISTRATION. Stellic `registration_type`.")
    end_timestamp: datetime | None = _opt("Closes; not before timestamp; sent as timestamp is. Stellic "
                                          "`end_timestamp`.")
