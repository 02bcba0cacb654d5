"""Dartmouth academic payloads as frozen dataclasses: terms (D3, D7), sections (D8), courses (D9), enrollments (D4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Self

from gateway.vendors.payload import (
    Payload,
    day,
    flag,
    integer,
    moment,
    nested,
    nested_list,
    require_object,
    required_text,
    text,
)

VENDOR = "dartmouth"


def codes(value: Any) -> tuple[str, ...]:
    """Ids of a value list of unknown item shape: strings as they are, objects by ``id``, ``code`` or ``name``."""
    if isinstance(value, str):
        return (value,)
    found = []
    for item in value if isinstance(value, list) else []:
        item = next((item.get(k) for k in ("id", "code", "name") if item.get(k) is not None), None) \
            if isinstance(item, dict) else item
        if text(item):
            found.append(str(text(item)))
    return tuple(found)


@dataclass(frozen=True, slots=True)
class DartmouthLmsTerm:
    id: str | None  # e.g. "WI18"
    name: str | None
    is_course_send_enabled: bool | None
    is_enroll_send_enabled: bool | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(text(payload.get("id")), text(payload.get("name")), flag(payload.get("is_course_send_enabled")),
                   flag(payload.get("is_enroll_send_enabled")))


@dataclass(frozen=True, slots=True)
class DartmouthQuarterlyTerm:
    """The quarter a part-of-term belongs to; ``current_term_offset`` is 0 for the current quarter, +-n around it."""

    id: str | None  # e.g. "201801"
    name: str | None
    start_date: date | None
    end_date: date | None
    current_term_offset: int | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(text(payload.get("id")), text(payload.get("name")), day(payload.get("start_date")),
                   day(payload.get("end_date")), integer(payload.get("current_term_offset")))


@dataclass(frozen=True, slots=True)
class DartmouthTerm:
    """A term of ``GET /api/academic/terms`` or, with ``netid`` set, of ``GET /api/students/{netid}/terms``.

    ``id`` is the vendor's ``id`` (``term_id`` on student terms), e.g. "201801-U". ``sis_term_code`` falls back to
    the quarterly term's id, then to the id's part before the dash.
    """

    id: str
    sis_term_code: str | None
    name: str | None
    school_id: str | None
    start_date: date | None
    end_date: date | None
    is_active: bool | None
    is_in_session: bool | None
    lms_term: DartmouthLmsTerm | None
    quarterly_term: DartmouthQuarterlyTerm | None
    cache_date: datetime | None
    netid: str | None = None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        """Raises VendorProtocolError when the payload is not an object or has neither ``id`` nor ``term_id``."""
        p = require_object(payload, VENDOR, "a term")
        key = "id" if text(p.get("id")) else "term_id"
        term_id = required_text(p, key, VENDOR, "a term")
        quarterly = nested(DartmouthQuarterlyTerm.from_payload, p.get("quarterly_term"))
        sis = text(p.get("sis_term_code")) or (quarterly.id if quarterly else None) or term_id.split("-")[0]
        return cls(id=term_id, sis_term_code=sis, name=text(p.get("name")) or (quarterly.name if quarterly else None),
                   school_id=text(p.get("school_id")), start_date=day(p.get("start_date")),
                   end_date=day(p.get("end_date")), is_active=flag(p.get("is_active")),
                   is_in_session=flag(p.get("is_in_session")),
                   lms_term=nested(DartmouthLmsTerm.from_payload, p.get("lms_term")), quarterly_term=quarterly,
                   cache_date=moment(p.get("cache_date")), netid=text(p.get("netid")))

    @property
    def current_term_offset(self) -> int | None:
        return self.quarterly_term.current_term_offset if self.quarterly_term else None


@dataclass(frozen=True, slots=True)
class DartmouthTermRef:
    """The term summary nested in sections and enrollments."""

    id: str | None
    sis_term_code: str | None
    name: str | None
    start_date: date | None
    end_date: date | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(text(payload.get("id")), text(payload.get("sis_term_code")), text(payload.get("name")),
                   day(payload.get("start_date")), day(payload.get("end_date")))


@dataclass(frozen=True, slots=True)
class DartmouthSectionRef:
    """The section summary nested in enrollments. ``id`` is ``{subject}.{course_number}.{section}-{term}-U-{crn}``."""

    id: str | None
    crn: str | None
    subject_id: str | None
    course_number: str | None
    section_number: str | None
    course_id: str | None
    title: str | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(*(text(payload.get(k)) for k in ("id", "crn", "subject_id", "course_number", "section_number",
                                                     "course_id", "title")))


@dataclass(frozen=True, slots=True)
class DartmouthExternalSection:
    """A section's id in another system: ``sis_section`` (Banner CRN and term) or ``lms_section`` (Canvas)."""

    id: str | None
    term_code: str | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(text(payload.get("id")), text(payload.get("term_code")))


@dataclass(frozen=True, slots=True)
class DartmouthInstructor:
    netid: str | None
    name: str | None
    is_primary: bool

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(text(payload.get("netid")), text(payload.get("name")), flag(payload.get("is_primary")) is True)


@dataclass(frozen=True, slots=True)
class DartmouthMeetingTime:
    day: str | None
    start_time: str | None  # "HH:MM", local time
    end_time: str | None
    building: str | None
    room: str | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(*(text(payload.get(k)) for k in ("day", "start_time", "end_time", "building", "room")))


@dataclass(frozen=True, slots=True)
class DartmouthSection:
    """``GET /api/academic/sections/{id}``. ``crosslist`` holds the crosslisted section ids (empty when single)."""

    id: str
    crn: str | None
    subject_id: str | None
    course_number: str | None
    section_number: str | None
    course_id: str | None
    title: str | None
    section_type_id: str | None
    term: DartmouthTermRef | None
    sis_section: DartmouthExternalSection | None
    lms_section: DartmouthExternalSection | None
    crosslist: tuple[str, ...]
    campus: str | None
    is_active: bool | None
    is_in_session: bool | None
    max_enrollment: int | None
    enrollment: int | None
    seats_available: int | None
    max_waitlist: int | None
    waitlist: int | None
    instructors: tuple[DartmouthInstructor, ...]
    meeting_times: tuple[DartmouthMeetingTime, ...]
    cache_date: datetime | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        """Raises VendorProtocolError when the payload is not an object or has no ``id``."""
        p = require_object(payload, VENDOR, "a section")
        return cls(
            id=required_text(p, "id", VENDOR, "a section"), crn=text(p.get("crn")),
            subject_id=text(p.get("subject_id")), course_number=text(p.get("course_number")),
            section_number=text(p.get("section_number")), course_id=text(p.get("course_id")),
            title=text(p.get("title")), section_type_id=text(p.get("section_type_id")),
            term=nested(DartmouthTermRef.from_payload, p.get("term")),
            sis_section=nested(DartmouthExternalSection.from_payload, p.get("sis_section")),
            lms_section=nested(DartmouthExternalSection.from_payload, p.get("lms_section")),
            crosslist=codes(p.get("crosslist")), campus=text(p.get("campus")), is_active=flag(p.get("is_active")),
            is_in_session=flag(p.get("is_in_session")), max_enrollment=integer(p.get("max_enrollment")),
            enrollment=integer(p.get("enrollment")), seats_available=integer(p.get("seats_available")),
            max_waitlist=integer(p.get("max_waitlist")), waitlist=integer(p.get("waitlist")),
            instructors=nested_list(DartmouthInstructor.from_payload, p.get("instructors")),
            meeting_times=nested_list(DartmouthMeetingTime.from_payload, p.get("meeting_times")),
            cache_date=moment(p.get("cache_date")),
        )


@dataclass(frozen=True, slots=True)
class DartmouthCourse:
    """``GET /api/academic/courses/{id}``; ``id`` is ``{subject}.{course_number}-{term_code_effective}``."""

    id: str
    subject_id: str | None
    course_number: str | None
    department_id: str | None
    department_name: str | None
    division_id: str | None
    name: str | None
    term_code_effective: str | None
    distributives: tuple[str, ...]
    culture_options: tuple[str, ...]
    course_attributes: tuple[str, ...]
    is_active: bool | None
    is_credit_nocredit: bool | None
    non_recording_options: tuple[str, ...]
    cache_date: datetime | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        """Raises VendorProtocolError when the payload is not an object or has no ``id``."""
        p = require_object(payload, VENDOR, "a course")
        return cls(
            id=required_text(p, "id", VENDOR, "a course"), subject_id=text(p.get("subject_id")),
            course_number=text(p.get("course_number")), department_id=text(p.get("department_id")),
            department_name=text(p.get("department_name")), division_id=text(p.get("division_id")),
            name=text(p.get("name")), term_code_effective=text(p.get("term_code_effective")),
            distributives=codes(p.get("distributives")), culture_options=codes(p.get("culture_options")),
            course_attributes=codes(p.get("course_attributes")), is_active=flag(p.get("is_active")),
            is_credit_nocredit=flag(p.get("is_credit_nocredit")),
            non_recording_options=codes(p.get("non_recording_options")), cache_date=moment(p.get("cache_date")),
        )


@dataclass(frozen=True, slots=True)
class DartmouthCourseAssessment:
    """At most one of the two is set (seed 004); both null clears the assessment (then the field itself is null)."""

    submit_date: datetime | None
    opt_out_date: datetime | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(moment(payload.get("submit_date")), moment(payload.get("opt_out_date")))


@dataclass(frozen=True, slots=True)
class DartmouthEnrollment:
    """``GET /api/academic/enrollments/{id}``; ``id`` is ``{section.id}-{netid}-{role}``.

    ``final_grade`` is None without ``enrollments:read.sensitive`` (the vendor leaves it out). ``netid`` and
    ``role`` fall back to the parts of the id when the payload lacks them (the id format is documented).
    """

    id: str
    netid: str | None
    role: str | None
    section: DartmouthSectionRef | None
    term: DartmouthTermRef | None
    is_active: bool | None
    is_in_session: bool | None
    course_assessment: DartmouthCourseAssessment | None
    final_grade: str | None
    cache_date: datetime | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        """Raises VendorProtocolError when the payload is not an object or has no ``id``."""
        p = require_object(payload, VENDOR, "an enrollment")
        enrollment_id = required_text(p, "id", VENDOR, "an enrollment")
        parts = enrollment_id.rsplit("-", 2)
        netid, role = (parts[1], parts[2]) if len(parts) == 3 else (None, None)
        return cls(
            id=enrollment_id, netid=text(p.get("netid")) or netid, role=text(p.get("role")) or role,
            section=nested(DartmouthSectionRef.from_payload, p.get("section")),
            term=nested(DartmouthTermRef.from_payload, p.get("term")), is_active=flag(p.get("is_active")),
            is_in_session=flag(p.get("is_in_session")),
            course_assessment=nested(DartmouthCourseAssessment.from_payload, p.get("course_assessment")),
            final_grade=text(p.get("final_grade")), cache_date=moment(p.get("cache_date")),
        )
