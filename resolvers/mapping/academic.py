"""Pure mappings of Dartmouth academic payloads (terms, sections, enrollments, holds) to schema types."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from strawberry import ID

from schema.enums import Vendor
from schema.node import encode_id
from schema.types import (
    ClassTiming,
    CourseAssessment,
    Enrollment,
    Hold,
    HoldType,
    SeatCounts,
    Section,
    SourceRecord,
    Term,
)


def _day(value: date | datetime | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def term_from_dartmouth(t: Any) -> Term:
    """A term or a term reference; the public id is the SIS term code (202609), not Dartmouth's 202609-U."""
    quarterly = getattr(t, "quarterly_term", None)
    offset = quarterly.current_term_offset if quarterly is not None else None
    return Term(id=t.sis_term_code or t.id, name=t.name, start_date=_day(t.start_date), end_date=_day(t.end_date),
                offset=offset)


def section_from_dartmouth(s: Any, full: Any = None, term: Any = None) -> Section:
    """A section from its full record, or from an enrollment's reference to it (``full`` loaded later)."""
    term_ref = s.term if hasattr(s, "term") else term
    return Section(
        id=encode_id("Section", s.id), key=s.id, full=full,
        sources=[SourceRecord(vendor=Vendor.DARTMOUTH, id=s.id)],  # Stellic's own id for it is not readable
        code=" ".join(x for x in (s.subject_id, s.course_number, s.section_number) if x) or None,
        crn=s.crn, name=s.title, term=term_from_dartmouth(term_ref) if term_ref else None,
        course=" ".join(x for x in (s.subject_id, s.course_number) if x) or None,
    )


def section_value(s: Any, name: str) -> Any:
    """One detail field from a full Dartmouth section record."""
    if name == "campus":
        return s.campus
    if name == "type":
        return s.section_type_id
    if name in ("start_date", "end_date"):
        return _day(getattr(s.term, name)) if s.term else None
    if name == "seats":
        return SeatCounts(max_enrollment=s.max_enrollment, enrolled=s.enrollment, available=s.seats_available,
                          max_waitlist=s.max_waitlist, waitlist=s.waitlist)
    if name == "timings":
        return [ClassTiming(day=m.day, start=m.start_time, end=m.end_time, building=m.building, room=m.room)
                for m in s.meeting_times]
    if name == "instructors":
        return [i.netid for i in s.instructors if i.netid]
    raise KeyError(name)


def enrollment_from_dartmouth(e: Any) -> Enrollment:
    assessment = e.course_assessment
    return Enrollment(
        id=encode_id("Enrollment", e.id), key=e.id, netid=e.netid, section_id=e.section.id if e.section else "",
        section_ref=e.section, section_term=e.term,
        source=Vendor.DARTMOUTH, term=term_from_dartmouth(e.term) if e.term else None, role=e.role,
        is_active=e.is_active, final_grade=e.final_grade,
        course_assessment=None if assessment is None else CourseAssessment(
            submit_date=assessment.submit_date, opt_out_date=assessment.opt_out_date),
    )


def hold_type_from_dartmouth(t: Any) -> HoldType:
    return HoldType(id=t.id, description=t.long_description or t.short_description, category=t.category,
                    resolution=t.resolution, resolution_url=t.resolution_url, name=t.short_description)


def hold_from_dartmouth(h: Any) -> Hold:
    """The hold's type as the hold payload names it (code and descriptions); ``Hold.type`` completes it."""
    code = ID(h.hold_type_code or h.hold_type_id or "")
    return Hold(
        id=encode_id("Hold", h.id), key=h.id, netid=h.netid or "", source=Vendor.DARTMOUTH, code=code,
        type_ref=HoldType(id=code, description=h.description or h.short_description, category=None, resolution=None,
                          resolution_url=None, name=h.short_description),
        note=h.note, url=None, from_date=_day(h.from_date),
    )
