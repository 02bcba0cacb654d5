"""The unified entities: Student, Staff, Section, Enrollment, Hold and what they point at.

Each object is built with its identity (and whatever the payload that found it already held);
every field that needs another vendor call resolves lazily through the request's data port, so
a query pays only for the fields it asks for, and fields that reach another vendor are nullable.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from schema.arguments import ACTIVE_ONLY, AFTER, ENROLLMENTS_TERM, SECTION_ENROLLMENTS_FIRST_ARG
from schema.detail import (
    HUBMIS_BY_ID_ALONE,
    DartmouthStudentRecord,
    HubmisStudentRecord,
    StellicStudentRecord,
    asked,
    asks_only,
    port,
    then,
)
from schema.enums import StudentStatus, Vendor
from schema.node import Node, entity

if TYPE_CHECKING:
    from schema.connections import EnrollmentConnection


@strawberry.type(description="A record of this entity in one vendor system. Its `id` is the vendor's key, so two "
                             "vendors' records of one person share it (Dartmouth's and Stellic's are both the netid): "
                             "a client cache keys it by `vendor` and `id`, never `__typename` and `id` alone (README: "
                             "Client caches).")
class SourceRecord:
    vendor: Vendor = strawberry.field(description="The vendor holding the record. Source: crosswalk.")
    id: str = strawberry.field(description="The vendor's own key: netid, Stellic username or HUBmis id.")


@strawberry.type(description="A student's advisor. Source: Dartmouth (`advisors`).")
class Advisor:
    netid: strawberry.Private[str]
    type: str | None = strawberry.field(
        description="Kind of advising, e.g. Faculty Advisor. Source: Dartmouth (advisors.type).")
    is_primary: bool = strawberry.field(
        description="Whether this is the primary advisor. Source: Dartmouth (advisors.is_primary).")
    effective_term: str | None = strawberry.field(
        description="Term code from which the advising applies. Source: Dartmouth (advisors.term_code_effective).")

    @strawberry.field(description="The advisor as staff (Dartmouth people, HUBmis staff).")
    def staff(self, info: Info[Any, Any]) -> Staff | None:
        return port(info).staff_by_netid(self.netid)  # type: ignore[return-value]


@entity(description="A student, linked across Dartmouth, HUBmis and Stellic by the identity crosswalk. "
                    "Unified fields take each value from the first vendor in the documented order "
                    "that has it.")
class Student(Node):
    key: strawberry.Private[str]
    # What is already known of the person's records, vendor -> id (None: known absent); the rest is looked up.
    known: strawberry.Private[dict[str, str | int | None]]

    @strawberry.field(description="Dartmouth netid; null when Dartmouth has no such student. Source: crosswalk.")
    def netid(self, info: Info[Any, Any]) -> str | None:
        return port(info).student_field(self, "netid")  # type: ignore[no-any-return]

    @strawberry.field(description="Stellic username (the netid by default); null when Stellic has no such "
                                  "student. Source: crosswalk (Stellic engagement export).")
    def stellic_username(self, info: Info[Any, Any]) -> str | None:
        return port(info).student_field(self, "stellic_username")  # type: ignore[no-any-return]

    @strawberry.field(description="HUBmis student id; null when HUBmis has no such student. Source: crosswalk "
                                  "(HUBmis index).")
    def hubmis_id(self, info: Info[Any, Any]) -> int | None:
        return port(info).student_field(self, "hubmis_id")  # type: ignore[no-any-return]

    @strawberry.field(description="HUBmis external_id (the shared key). Source: HUBmis.")
    def external_id(self, info: Info[Any, Any]) -> str | None:
        return port(info).student_field(self, "external_id")  # type: ignore[no-any-return]

    @strawberry.field(description="Every vendor record linked to this person through the identity crosswalk; a "
                                  "vendor that cannot be asked is left out, with its error at this field's path.")
    async def sources(self, info: Info[Any, Any]) -> list[SourceRecord]:
        return await port(info).student_sources(self, info.path.as_list())

    @strawberry.field(description="First name. Order: Dartmouth people, HUBmis.")
    def first_name(self, info: Info[Any, Any]) -> str | None:
        return port(info).student_field(self, "first_name", info.path)  # type: ignore[no-any-return]

    @strawberry.field(description="Last name. Order: Dartmouth people, HUBmis.")
    def last_name(self, info: Info[Any, Any]) -> str | None:
        return port(info).student_field(self, "last_name", info.path)  # type: ignore[no-any-return]

    @strawberry.field(description="Preferred name. Order: HUBmis (preferred_name), Dartmouth people (the given "
                                  "name its display `name` shows, when not the first name).")
    def preferred_name(self, info: Info[Any, Any]) -> str | None:
        return port(info).student_field(self, "preferred_name", info.path)  # type: ignore[no-any-return]

    @strawberry.field(description="Email. Order: Dartmouth people, HUBmis (primary_email).")
    def email(self, info: Info[Any, Any]) -> str | None:
        return port(info).student_field(self, "email", info.path)  # type: ignore[no-any-return]

    @strawberry.field(description="Normalised status. Order: Dartmouth student status, HUBmis enrolment status; "
                                  "UNKNOWN when no vendor says. A vendor that cannot answer is passed over for "
                                  "the next, its error reported here; null (with the error) when none is left.")
    def status(self, info: Info[Any, Any]) -> StudentStatus | None:
        return then(port(info).student_field(self, "status", info.path),  # type: ignore[no-any-return]
                    lambda v: v or StudentStatus.UNKNOWN)

    @strawberry.field(description="The vendor's own status code behind `status` (Dartmouth student_status_id, "
                                  "or HUBmis enrolment_status).")
    def status_code(self, info: Info[Any, Any]) -> str | None:
        return port(info).student_field(self, "status_code", info.path)  # type: ignore[no-any-return]

    @strawberry.field(description="Class year as Dartmouth writes it: two digits (27), or TH for a Thayer "
                                  "student. Source: Dartmouth (class_year).")
    def class_year(self, info: Info[Any, Any]) -> str | None:
        return port(info).student_field(self, "class_year")  # type: ignore[no-any-return]

    @strawberry.field(description="School (UG, TH, TU, DM). Source: Dartmouth.")
    def school_id(self, info: Info[Any, Any]) -> str | None:
        return port(info).student_field(self, "school_id")  # type: ignore[no-any-return]

    @strawberry.field(description="Current advisors. Source: Dartmouth. Null (with the vendor's error) when "
                                  "Dartmouth cannot answer, so the student's other fields still arrive.")
    def advisors(self, info: Info[Any, Any]) -> list[Advisor] | None:
        return port(info).student_advisors(self)  # type: ignore[return-value]  # or an awaitable of it (schema/ports.py)

    @strawberry.field(description="Holds on the student's record. Source: Dartmouth (academic holds).")
    def holds(self, info: Info[Any, Any]) -> list[Hold] | None:
        return port(info).student_holds(self)  # type: ignore[return-value]  # or an awaitable of it (schema/ports.py)

    @strawberry.field(description="Course enrollments, optionally for one term code (e.g. 202609) or only "
                                  "active ones. Source: Dartmouth academic enrollments.")
    def enrollments(self, info: Info[Any, Any], term: Annotated[str | None, ENROLLMENTS_TERM] = None,
                    active_only: Annotated[bool | None, ACTIVE_ONLY] = False) -> list[Enrollment] | None:
        # null: false, the default; the list or an awaitable of it (schema/ports.py)
        return port(info).student_enrollments(self, term, bool(active_only))  # type: ignore[return-value]

    @strawberry.field(description="Dartmouth detail; null where the person has no Dartmouth record or "
                                  "Dartmouth is unavailable.")
    async def dartmouth(self, info: Info[Any, Any]) -> DartmouthStudentRecord | None:
        return await port(info).student_dartmouth(self)

    @strawberry.field(description="HUBmis detail; null where the person has no HUBmis record, or where a field "
                                  "asked needs the record and HUBmis is unavailable.")
    async def hubmis(self, info: Info[Any, Any]) -> HubmisStudentRecord | None:
        return await port(info).student_hubmis(self, timetable=bool(asked(info, "timetable")),
                                               record=not asks_only(info, HUBMIS_BY_ID_ALONE))

    @strawberry.field(description="Stellic detail; null where the person has no Stellic record.")
    async def stellic(self, info: Info[Any, Any]) -> StellicStudentRecord | None:
        return await port(info).student_stellic(self)


@entity(description="A member of staff: HUBmis staff linked to Dartmouth people by netid.")
class Staff(Node):
    key: strawberry.Private[str]
    netid: str | None = strawberry.field(description="Dartmouth netid (HUBmis external_id), taken as the crosswalk "
                                                     "takes every key (lower case by default). Source: crosswalk.")
    hubmis_id: int | None = strawberry.field(description="HUBmis staff id. Source: HUBmis.")
    external_id: str | None = strawberry.field(description="HUBmis external_id; null when HUBmis has no such "
                                                          "staff member. Source: HUBmis.")

    @strawberry.field(description="Every vendor record linked to this person; a vendor that cannot be asked is "
                                  "left out, with its error at this field's path. Source: crosswalk.")
    async def sources(self, info: Info[Any, Any]) -> list[SourceRecord]:
        return await port(info).staff_sources(self, info.path.as_list())

    @strawberry.field(description="First name. Order: HUBmis staff, Dartmouth people.")
    def first_name(self, info: Info[Any, Any]) -> str | None:
        return port(info).staff_field(self, "first_name", info.path)  # type: ignore[no-any-return]

    @strawberry.field(description="Last name. Order: HUBmis staff, Dartmouth people.")
    def last_name(self, info: Info[Any, Any]) -> str | None:
        return port(info).staff_field(self, "last_name", info.path)  # type: ignore[no-any-return]

    @strawberry.field(description="Preferred name. Order: HUBmis staff (preferred_name), Dartmouth people (the "
                                  "given name its display `name` shows, when not the first name).")
    def preferred_name(self, info: Info[Any, Any]) -> str | None:
        return port(info).staff_field(self, "preferred_name", info.path)  # type: ignore[no-any-return]

    @strawberry.field(description="Email. Order: HUBmis staff, Dartmouth people.")
    def email(self, info: Info[Any, Any]) -> str | None:
        return port(info).staff_field(self, "email", info.path)  # type: ignore[no-any-return]

    @strawberry.field(description="Job title. Order: HUBmis staff (job_title), Dartmouth people (title).")
    def job_title(self, info: Info[Any, Any]) -> str | None:
        return port(info).staff_field(self, "job_title", info.path)  # type: ignore[no-any-return]

    @strawberry.field(description="HUBmis staff status (current, past).")
    def status(self, info: Info[Any, Any]) -> str | None:
        return port(info).staff_field(self, "status", info.path)  # type: ignore[no-any-return]

    @strawberry.field(description="Departments. Order: HUBmis staff, Dartmouth people (department_class of an "
                                  "employee). Null (with the vendor's error) when neither can answer, so the staff "
                                  "member's other fields still arrive.")
    def departments(self, info: Info[Any, Any]) -> list[str] | None:
        return then(port(info).staff_field(self, "departments", info.path), lambda v: v or [])  # type: ignore[no-any-return]

    @strawberry.field(description="Sections this person teaches or is set to teach: their active instructor "
                                  "enrollments, in the current term and upcoming ones (each section's `term` says "
                                  "which). Empty, without asking, for someone Dartmouth has already answered it has "
                                  "no record of (in this request, or its 404 still cached). Source: Dartmouth "
                                  "enrollments with role instructor.")
    async def sections(self, info: Info[Any, Any]) -> list[Section] | None:
        return await port(info).staff_sections(self)


@strawberry.type(description="An academic term. Source: Dartmouth terms.")
class Term:
    id: strawberry.ID = strawberry.field(description="Term code, e.g. 202609. Source: Dartmouth terms.")
    name: str | None = strawberry.field(description="Term name, e.g. Fall 2026. Source: Dartmouth terms.")
    start_date: date | None = strawberry.field(description="First day of the term. Source: Dartmouth terms.")
    end_date: date | None = strawberry.field(description="Last day of the term. Source: Dartmouth terms.")
    # The offset when the payload that named the term carried it (a terms list); a section's or an enrollment's
    # term reference does not, and the field then finds it in Dartmouth's terms.
    offset: strawberry.Private[int | None]

    @strawberry.field(description="0 current, -1 previous, 1 next. Source: Dartmouth terms (quarterly_term).")
    def current_term_offset(self, info: Info[Any, Any]) -> int | None:
        return self.offset if self.offset is not None else port(info).term_offset(str(self.id))  # type: ignore[return-value]


@strawberry.type(description="Seat counts of a section. Source: Dartmouth sections.")
class SeatCounts:
    max_enrollment: int | None = strawberry.field(description="Seats. Source: Dartmouth sections (max_enrollment).")
    enrolled: int | None = strawberry.field(description="Students enrolled. Source: Dartmouth sections (enrollment).")
    available: int | None = strawberry.field(
        description="Seats still free. Source: Dartmouth sections (seats_available).")
    max_waitlist: int | None = strawberry.field(
        description="Waitlist places. Source: Dartmouth sections (max_waitlist).")
    waitlist: int | None = strawberry.field(
        description="Students on the waitlist. Source: Dartmouth sections (waitlist).")


@strawberry.type(description="When and where a section meets. Source: Dartmouth sections.")
class ClassTiming:
    day: str | None = strawberry.field(description="Weekday, e.g. monday. Source: Dartmouth sections (meeting_times).")
    start: str | None = strawberry.field(description="Start time, HH:MM. Source: Dartmouth sections (meeting_times).")
    end: str | None = strawberry.field(description="End time, HH:MM. Source: Dartmouth sections (meeting_times).")
    building: str | None = strawberry.field(description="Building. Source: Dartmouth sections (meeting_times).")
    room: str | None = strawberry.field(description="Room. Source: Dartmouth sections (meeting_times).")


SECTION_ENROLLMENTS_FIRST = 50  # Section.enrollments' page size when `first` is not given


@entity(description="A course section in one term. Source: Dartmouth sections (Stellic knows it by "
                    "its CRN as external_id).")
class Section(Node):
    key: strawberry.Private[str]
    # The full Dartmouth section record once loaded; None while only an enrollment's reference to it is known,
    # so a query asking only for code or name costs no section read.
    full: strawberry.Private[Any]
    sources: list[SourceRecord] = strawberry.field(
        description="The section's vendor records: Dartmouth's. Stellic's section id (an integer of its own) cannot "
                    "be read from Stellic's API, so no Stellic record is listed; Stellic knows the section by "
                    "`crn` as its external_id.")
    code: str | None = strawberry.field(description="Subject, course and section number, e.g. AAAS 010 01. "
                                                  "Source: Dartmouth sections.")
    crn: str | None = strawberry.field(description="SIS CRN; Stellic's external_id for the section. Source: Dartmouth "
                                                 "sections.")
    name: str | None = strawberry.field(description="Course title. Source: Dartmouth sections (title).")
    term: Term | None = strawberry.field(description="The section's term. Source: Dartmouth sections (term).")
    course: str | None = strawberry.field(description="Course code, e.g. AAAS 010. Source: Dartmouth sections.")

    @strawberry.field(description="Campus. Source: Dartmouth sections.")
    def campus(self, info: Info[Any, Any]) -> str | None:
        return port(info).section_field(self, "campus")  # type: ignore[no-any-return]

    @strawberry.field(description="Section type (LEC, LAB, SEM...). Source: Dartmouth sections.")
    def type(self, info: Info[Any, Any]) -> str | None:
        return port(info).section_field(self, "type")  # type: ignore[no-any-return]

    @strawberry.field(description="First day of the section's term. Source: Dartmouth sections.")
    def start_date(self, info: Info[Any, Any]) -> date | None:
        return port(info).section_field(self, "start_date")  # type: ignore[no-any-return]

    @strawberry.field(description="Last day of the section's term. Source: Dartmouth sections.")
    def end_date(self, info: Info[Any, Any]) -> date | None:
        return port(info).section_field(self, "end_date")  # type: ignore[no-any-return]

    @strawberry.field(description="Seat and waitlist counts. Source: Dartmouth sections.")
    def seats(self, info: Info[Any, Any]) -> SeatCounts | None:
        return port(info).section_field(self, "seats")  # type: ignore[no-any-return]

    @strawberry.field(description="When and where the section meets. Source: Dartmouth sections.")
    def timings(self, info: Info[Any, Any]) -> list[ClassTiming] | None:
        return port(info).section_field(self, "timings")  # type: ignore[no-any-return]

    @strawberry.field(description="Instructors. Source: Dartmouth sections, linked to staff.")
    async def instructors(self, info: Info[Any, Any]) -> list[Staff] | None:
        return await port(info).section_instructors(self)

    @strawberry.field(description="Students and instructors enrolled, paged. Source: Dartmouth enrollments.")
    async def enrollments(self, info: Info[Any, Any],
                          first: Annotated[int | None, SECTION_ENROLLMENTS_FIRST_ARG] = SECTION_ENROLLMENTS_FIRST,
                          after: Annotated[str | None, AFTER] = None,
                          ) -> Annotated[EnrollmentConnection, strawberry.lazy("schema.connections")] | None:
        return await port(info).section_enrollments(
            self, SECTION_ENROLLMENTS_FIRST if first is None else first, after)  # null: the default


@strawberry.type(description="A course assessment submission or opt-out. Source: Dartmouth enrollments.")
class CourseAssessment:
    submit_date: datetime | None = strawberry.field(
        description="When the course assessment was submitted. Source: Dartmouth enrollments.")
    opt_out_date: datetime | None = strawberry.field(
        description="When the student opted out of it. Source: Dartmouth enrollments.")


@entity(description="A person's enrollment in a section. Source: Dartmouth academic enrollments.")
class Enrollment(Node):
    key: strawberry.Private[str]
    netid: strawberry.Private[str]
    section_id: strawberry.Private[str]
    section_ref: strawberry.Private[Any]  # the enrollment's own summary of its section (code, title)
    section_term: strawberry.Private[Any]
    source: Vendor = strawberry.field(description="The vendor the enrollment comes from. Source: Dartmouth.")
    term: Term | None = strawberry.field(description="The enrollment's term. Source: Dartmouth enrollments (term).")
    role: str | None = strawberry.field(description="student or instructor. Source: Dartmouth enrollments.")
    is_active: bool | None = strawberry.field(
        description="Whether the enrollment is active. Source: Dartmouth enrollments (is_active).")
    final_grade: str | None = strawberry.field(description="Final grade. Source: Dartmouth "
                                                         "enrollments (final_grade).")
    course_assessment: CourseAssessment | None = strawberry.field(
        description="The course assessment, if any. Source: Dartmouth enrollments.")

    @strawberry.field(description="The enrolled student (null for an instructor's row). Source: Dartmouth "
                                  "enrollments (netid), through the crosswalk.")
    def student(self, info: Info[Any, Any]) -> Student | None:
        return port(info).enrollment_student(self)  # type: ignore[return-value]

    @strawberry.field(description="The section. Source: Dartmouth sections.")
    def section(self, info: Info[Any, Any]) -> Section | None:
        return port(info).section_of(self)  # type: ignore[return-value]  # or an awaitable of it (schema/ports.py)


@strawberry.type(description="A kind of hold. Source: Dartmouth hold types.")
class HoldType:
    id: strawberry.ID = strawberry.field(description="Hold type code, e.g. AR. Source: Dartmouth hold types.")
    description: str | None = strawberry.field(description="What the hold is for. Source: Dartmouth hold types.")
    category: str | None = strawberry.field(description="Category, e.g. Financial. Source: Dartmouth hold types.")
    resolution: str | None = strawberry.field(description="How to resolve the hold. Source: Dartmouth hold types.")
    resolution_url: str | None = strawberry.field(description="Where to resolve it. Source: Dartmouth hold types.")
    name: str | None = strawberry.field(default=None, description=(
        "Short name, e.g. Accounts Receivable. Source: Dartmouth hold types (short_description)."))


@entity(description="A hold on a student's record. Source: Dartmouth academic holds (Stellic receives "
                    "the same holds by sis_id).")
class Hold(Node):
    key: strawberry.Private[str]
    netid: strawberry.Private[str]
    source: Vendor = strawberry.field(description="The vendor the hold comes from. Source: Dartmouth.")
    code: str = strawberry.field(
        description="Hold type code, e.g. AR. Source: Dartmouth academic holds (hold_type_code).")
    # What the hold payload itself says of its type (code and description); the type's category and resolution
    # are in Dartmouth's hold types, read once per request when a query asks for them.
    type_ref: strawberry.Private[HoldType | None]
    note: str | None = strawberry.field(description="Note on the hold. Source: Dartmouth academic holds.")
    url: str | None = strawberry.field(
        description="A link for the student; Dartmouth holds carry none, so null. Source: Dartmouth academic holds.")
    from_date: date | None = strawberry.field(
        description="Day the hold applies from. Source: Dartmouth academic holds (from_date).")

    @strawberry.field(description="The kind of hold, as holdTypes lists it (category, resolution and its URL). "
                                  "Source: Dartmouth hold types.")
    def type(self, info: Info[Any, Any]) -> HoldType | None:
        return port(info).hold_type(self.type_ref)  # type: ignore[return-value]

    @strawberry.field(description="The student the hold is on. Source: Dartmouth academic holds (netid), through "
                                  "the crosswalk.")
    def student(self, info: Info[Any, Any]) -> Student | None:
        return port(info).student_by_netid(self.netid)  # type: ignore[return-value]


@strawberry.type(description="A failure of a call to a vendor, as the gateway saw it. Source: gateway.")
class VendorFailure:
    code: str = strawberry.field(description="The error code a field reading the vendor got for it "
                                             "(`extensions.code`), e.g. VENDOR_UNAVAILABLE, VENDOR_RATE_LIMITED. "
                                             "Source: gateway.")
    status: int | None = strawberry.field(description="The vendor's HTTP status; null when it did not answer (no "
                                                      "connection, a timeout). Source: gateway.")
    message: str = strawberry.field(description="What went wrong, in the gateway's words. Source: gateway.")
    route: str | None = strawberry.field(description="The vendor route called, e.g. GET /api/students/{netid}. "
                                                     "Source: gateway (the vendor's route table).")
    at: datetime = strawberry.field(description="When the gateway saw it. Source: gateway.")


@strawberry.type(description="An upstream vendor as this gateway sees it.")
class VendorStatus:
    vendor: Vendor = strawberry.field(description="The vendor. Source: gateway.")
    session_open: bool = strawberry.field(
        description="Whether the gateway's connection pool to it is open. Source: gateway.")
    credentials_ready: bool = strawberry.field(
        description="Whether the gateway holds working credentials for it. Source: gateway.")
    circuit: str = strawberry.field(description="Circuit breaker: closed, open or half_open, the worst of the "
                                                "vendor's routes (each route has its own). Source: gateway.")
    open_circuits: list[str] = strawberry.field(
        default_factory=list,
        description="The routes whose circuit is open or half open, e.g. GET /api/academic/holds: their calls are "
                    "suspended (or wait for a probe) while the vendor's other routes are called as usual. Source: "
                    "gateway.")
    rate_remaining: int | None = strawberry.field(
        description="Requests left in the client-side rate budget, a whole number (its tokens rounded down); null "
                    "for a vendor without one (only HUBmis has one) or a shared budget that cannot be read. "
                    "Source: gateway.")
    last_error: VendorFailure | None = strawberry.field(
        default=None,
        description="The latest failure of a call to this vendor since this gateway process started: no answer, a "
                    "5xx, a 429, refused credentials or an answer outside the vendor's contract (not a 404 or a "
                    "refused input, which are the vendor working, nor a call the gateway held back while the circuit "
                    "was open). Null when there has been none. Source: gateway.")
