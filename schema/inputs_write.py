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
    MONDAY = "monday"
    TUESDAY = "tuesday"
    WEDNESDAY = "wednesday"
    THURSDAY = "thursday"
    FRIDAY = "friday"
    SATURDAY = "saturday"
    SUNDAY = "sunday"


@strawberry.enum(description="What a section restriction's student sets name (Stellic `type`).")
class RestrictionType(Enum):
    CAMPUS = "campus"
    CONCENTRATION = "concentration"
    PROGRAM = "program"
    RAW = "raw"
    SCHOOL = "school"
    STUDENT_LEVEL = "student_level"
    TAGS = "tags"


@strawberry.enum(description="How a section restriction compares a student with its sets (Stellic `operator`).")
class RestrictionOperator(Enum):
    EQ = "eq"
    NEQ = "neq"
    INFO = "info"


@strawberry.enum(description="What a section restriction does (Stellic `action`).")
class RestrictionAction(Enum):
    DISALLOW_REGISTER = "disallow_register"
    DISALLOW_DROP = "disallow_drop"
    HIDE = "hide"
    WARN = "warn"
    RESERVED_SEATS = "reserved_seats"
    SHOW = "show"


@strawberry.enum(description="Kind of registration window (Stellic `registration_type`).")
class RegistrationType(Enum):
    REGISTRATION = "registration"
    PREREGISTRATION = "preregistration"


def _opt(description: str) -> Any:
    return strawberry.field(default=None, description=description)


@strawberry.input(description="A new Stellic student profile (`POST .../students/{student_username}`, #19).")
class StudentProfileInput:
    first_name: str
    last_name: str
    email: str
    class_level_id: str = strawberry.field(description="Class level, e.g. FR, SO, JR, SR, GR.")
    term_joined: str = strawberry.field(description="Stellic term id the student joined.")
    preferred_first_name: str | None = _opt("Preferred first name.")
    primary_advisor_username: str | None = _opt("Username of the primary advisor (staff).")
    primary_campus_id: str | None = _opt("Campus short name.")
    current_campus_id: str | None = _opt("Campus short name.")
    pronouns: str | None = _opt("Pronouns.")
    department_ids: list[str] | None = _opt("Department short names.")
    school_ids: list[str] | None = _opt("School short names.")
    expected_graduation: str | None = _opt("Stellic term id.")
    pre_req_waivers: list[str] | None = _opt("Courses whose prerequisites are waived.")
    cgpa: float | None = _opt("Cumulative GPA, 0 or more.")
    ge_catalog_term: str | None = _opt("General-education catalog term id.")
    student_id: str | None = _opt("SIS student id; Stellic assigns one when absent.")
    type: str | None = _opt("Student type.")
    mobile_number: str | None = _opt("Mobile number.")
    text_consent: bool | None = _opt("Consents to text messages.")
    primary_enrollment_level_id: str | None = _opt("UGRD or GRAD.")


@strawberry.input(description="A program enrollment (`POST .../students/{username}/programs/{program_id}`, #1).")
class ProgramEnrollmentInput:
    concentration_ids: list[str]
    certification_status: bool = strawberry.field(description="Whether the student graduated in this program.")
    certification_date: date
    order: int = strawberry.field(description="Position of this program's requirements in the audit.")
    catalog_term: str = strawberry.field(description="Stellic term id of the catalog.")


@strawberry.input(description="Fields a course enrollment and its section enrollments share (seed 000, 1.9.2).")
class CourseEnrollmentFields:
    campus: str | None = _opt("Campus short name.")
    grade_scheme: str | None = _opt("Grade scheme.")
    grade_option: str | None = _opt("Grade option.")
    is_transfer: bool | None = _opt("A transfer course (default false).")
    transfer_course_meta: str | None = _opt("Transfer details.")
    course_topic: str | None = _opt("Must exist among the course's topics.")
    attributes: list[str] | None = _opt("Course attributes.")
    registration_status: str | None = _opt("e.g. waitlisted, pre-registered.")
    repeat_code: str | None = _opt("Repeat code.")
    final_grade: str | None = _opt("Final grade.")
    mid_semester_grade: str | None = _opt("Mid-semester grade.")
    units: int | None = _opt("Units, 0 or more.")
    enrollment_level: str | None = _opt("e.g. UGRD, GRAD.")


@strawberry.input(description="One course of a term's full replace (#2); courses left out are deleted.")
class CourseEnrollmentInput(CourseEnrollmentFields):
    course: str = strawberry.field(description="Course code, e.g. COSC 010.")
    sections: list[str] | None = _opt("Section ids of this course in the term.")


@strawberry.input(description="A section enrollment (#3, #4); Stellic derives the course enrollment from it.")
class SectionEnrollmentInput(CourseEnrollmentFields):
    student_username: str
    course: str = strawberry.field(description="Course code of the section.")
    section: str = strawberry.field(description="Stellic section id.")
    is_enrollment_component: bool = strawberry.field(description="An enrollment section (not e.g. a lab).")
    term: str | None = _opt("Stellic term id; must be the section's.")


@strawberry.input(description="The keys of a section enrollment that change (#5); give at least one.")
class SectionEnrollmentPatch(CourseEnrollmentFields):
    student_username: str | None = _opt("Cannot change; given only to confirm.")
    course: str | None = _opt("Course code of the section.")
    section: str | None = _opt("Stellic section id.")
    is_enrollment_component: bool | None = _opt("An enrollment section.")
    term: str | None = _opt("Stellic term id; must be the section's.")


@strawberry.input(description="One weekly meeting of a section (Stellic ClassTimings); `end` after `start`.")
class ClassTimingInput:
    day: Weekday
    start: time
    end: time
    room: str
    building: str
    start_date: date | None = _opt("First date this timing applies.")
    end_date: date | None = _opt("Last date this timing applies.")


@strawberry.input(description="Seat and waitlist counts (#7); each 0 or more; give at least one.")
class SeatCountsInput:
    max_enrollment: int | None = _opt("Seats.")
    available_enrollment: int | None = _opt("Seats still free.")
    max_waitlist: int | None = _opt("Waitlist places.")
    waitlist: int | None = _opt("Students on the waitlist.")


@strawberry.input(description="One section's counts in a bulk update (#9, atomic).")
class SectionSeatsInput(SeatCountsInput):
    id: strawberry.ID = strawberry.field(description="Stellic section id.")


@strawberry.input(description="One section's timings in a bulk replace (#13, atomic).")
class SectionTimingsInput:
    section: strawberry.ID = strawberry.field(description="Stellic section id.")
    timings: list[ClassTimingInput]


@strawberry.input(description="A new Stellic section (`POST .../catalog/section/{id}`, #8).")
class SectionInput:
    name: str
    external_id: str = strawberry.field(description="SIS id of the section, e.g. its CRN.")
    course: str = strawberry.field(description="Course code.")
    campus: str = strawberry.field(description="Campus short name.")
    term: str = strawberry.field(description="Stellic term id.")
    type: str
    start_date: date
    end_date: date = strawberry.field(description="Not before startDate.")
    id: strawberry.ID | None = _opt("Stellic id of the new section; externalId when absent.")
    linked_sections: list[str] | None = _opt("Linked section ids.")
    topic: str | None = _opt("Topic.")
    delivery_mode: str | None = _opt("Delivery mode.")
    max_enrollment: int | None = _opt("Seats (default 0).")
    available_enrollment: int | None = _opt("Seats still free (default 0).")
    max_waitlist: int | None = _opt("Waitlist places (default 0).")
    waitlist: int | None = _opt("Students on the waitlist (default 0).")
    details: JSON | None = _opt("CourseSectionDetails, passed as given.")
    instructors: list[JSON] | None = _opt("Instructor objects, passed as given.")
    timings: list[ClassTimingInput] | None = _opt("Weekly meetings.")


@strawberry.input(description="A section restriction (#10). `reserveCapacity`, `startDate`, `endDate` and "
                              "`rqrmntGroup` apply only to the RESERVED_SEATS action.")
class SectionRestrictionInput:
    section: str = strawberry.field(description="Section id, at most 50 characters.")
    type: RestrictionType
    student_sets: list[JSON] = strawberry.field(description="The sets: each a value of `type` (e.g. \"main\"), or "
                                                            "an object with the single key `type` "
                                                            "(`{\"campus\": \"main\"}`); at least one.")
    operator: RestrictionOperator = RestrictionOperator.INFO
    action: RestrictionAction = RestrictionAction.SHOW
    note: str | None = _opt("Shown to students.")
    reserve_capacity: int | None = _opt("Reserved seats (default 0), 0 or more.")
    start_date: date | None = _opt("Reservation starts.")
    end_date: date | None = _opt("Reservation ends; not before startDate.")
    rqrmnt_group: str | None = _opt("PeopleSoft requirement group for seat counts.")


@strawberry.input(description="A new student hold (#26).")
class PlaceHoldInput:
    sis_id: strawberry.ID = strawberry.field(description="The SIS id of the hold; names it from now on.")
    student_id: str = strawberry.field(description="The student's Stellic student id (or username).")
    hold_code: str
    note: str | None = _opt("Note.")
    url_text: str | None = _opt("Link text.")
    url_link: str | None = _opt("Link URL.")


@strawberry.input(description="A hold's new values (#27); fields Stellic cannot apply come back as userErrors.")
class UpdateHoldInput:
    student_id: str
    hold_code: str
    note: str | None = _opt("Note.")
    url_text: str | None = _opt("Link text.")
    url_link: str | None = _opt("Link URL.")


@strawberry.input(description="A registration window (#29). Times are UTC: an offset is converted, a time "
                              "without one is taken as UTC; Stellic keeps minutes.")
class RegistrationTimeInput:
    student_username: str
    timestamp: datetime = strawberry.field(description="Opens, e.g. 2023-05-11T14:30:00Z or 2023-05-11 14:30.")
    semester: str = strawberry.field(description="e.g. summer.")
    year: int
    term: str = strawberry.field(description="Stellic term id, e.g. 20223.")
    registration_type: RegistrationType = RegistrationType.REGISTRATION
    end_timestamp: datetime | None = _opt("Closes; not before timestamp.")
