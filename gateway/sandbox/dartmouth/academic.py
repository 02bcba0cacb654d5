"""Dartmouth academic records from the world: terms, sections, courses, enrollments, holds and value lists.

Shapes follow shared/vendor-contracts.md 3.6 (D4, D7-D9, D13-D15) and 3.7.3. Nested term and
section summaries are built once and shared by every enrollment that points at them (they are
never mutated), which keeps a 20,000-student world small.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from gateway.sandbox import names
from gateway.sandbox.world import DARTMOUTH, Course, Enrollment, Hold, HoldType, Section, Term, World

Record = dict[str, Any]

SCHOOLS = {
    "UG": "Undergraduate Arts & Sciences",
    "TH": "Thayer School of Engineering",
    "TU": "Tuck School of Business",
    "DM": "Geisel School of Medicine",
    "GR": "Guarini School of Graduate and Advanced Studies",
}
STUDENT_STATUSES = {"AS": "Active", "AD": "Admitted", "LA": "Leave of Absence", "WD": "Withdrawn",
                    "GR": "Graduated", "GS": "Graduating Senior"}
STUDENT_TYPES = {"N": "New", "C": "Continuing", "T": "Transfer", "X": "Exchange"}
ADMISSION_TYPES = {"ST": "Standard", "EA": "Early Action", "ED": "Early Decision", "UT": "Undergraduate Transfer",
                   "EN": "Engineering Entry"}
SECTION_TYPES = {"LEC": "Lecture", "LAB": "Laboratory", "SEM": "Seminar", "DIS": "Discussion",
                 "IND": "Independent Study"}
_SECTION_TYPE_IDS = {name: code for code, name in SECTION_TYPES.items()}
_DIVISIONS = {"AAAS": "INTER", "ANTH": "SOCSCI", "ECON": "SOCSCI", "GOVT": "SOCSCI", "PSYC": "SOCSCI",
              "ENGL": "ARTS", "HIST": "ARTS", "SPAN": "ARTS"}


def iso(day: date | None) -> str | None:
    """A date as Dartmouth writes it: ISO 8601 at local midnight, in UTC."""
    return None if day is None else f"{day.isoformat()}T05:00:00Z"


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def term_flags(term: Term, today: date) -> tuple[bool, bool]:
    """(is_active, is_in_session): active = current or next term (open for feeds); in session = classes today."""
    return term.offset in (0, 1), term.offset == 0 and term.start <= today <= term.end


class AcademicRecords:
    """Builds the academic stores; ``term_refs``/``quarterly`` are shared with the student records."""

    def __init__(self, world: World, cache_date: str) -> None:
        self.world, self.cache_date = world, cache_date
        self.quarterly = {t.code: self._quarterly(t) for t in world.terms}
        self.lms_terms = {t.code: self._lms_term(t) for t in world.terms}
        self.term_refs = {t.code: self._term_ref(t) for t in world.terms}
        self.section_refs = {s.id: self._section_ref(s) for s in world.sections.values()}

    def stores(self) -> dict[str, dict[str, Record]]:
        world = self.world
        courses = {c.code: c for c in world.courses}
        courses.update({s.course.code: s.course for s in world.sections.values()})
        return {
            "terms": {f"{t.code}-U": self.term(t) for t in world.terms},
            "sections": {s.id: self.section(s) for s in world.sections.values()},
            "courses": {r["id"]: r for r in (self.course(c) for c in courses.values())},
            "enrollments": {e.id: self.enrollment(e) for e in world.enrollments.values()
                            if DARTMOUTH in world.people[e.person_key].vendors},
            "holds": {h.sis_id: self.hold(h) for h in world.holds.values()
                      if DARTMOUTH in world.people[h.person_key].vendors},
            "hold_types": {t.code: self.hold_type(t) for t in world.hold_types.values()},
            "section_types": self.value_list(SECTION_TYPES),
            "schools": self.value_list(SCHOOLS),
            "student_statuses": self.value_list(STUDENT_STATUSES),
            "student_types": self.value_list(STUDENT_TYPES),
            "admission_types": self.value_list(ADMISSION_TYPES),
        }

    # ---- terms ---------------------------------------------------------------------------
    def _quarterly(self, t: Term) -> Record:
        return {"id": t.code, "name": t.name, "start_date": iso(t.start), "end_date": iso(t.end),
                "current_term_offset": t.offset}

    def _lms_term(self, t: Term) -> Record:
        return {"id": t.lms_id, "name": t.name, "is_course_send_enabled": -1 <= t.offset <= 1,
                "is_enroll_send_enabled": -1 <= t.offset <= 1}

    def _term_ref(self, t: Term) -> Record:
        return {"id": f"{t.code}-U", "sis_term_code": t.code, "name": t.name,
                "start_date": iso(t.start), "end_date": iso(t.end)}

    def term(self, t: Term) -> Record:
        is_active, is_in_session = term_flags(t, self.world.today)
        return {"id": f"{t.code}-U", "sis_term_code": t.code, "name": t.name, "school_id": "UG",
                "start_date": iso(t.start), "end_date": iso(t.end), "is_active": is_active,
                "is_in_session": is_in_session, "lms_term": self.lms_terms[t.code],
                "quarterly_term": self.quarterly[t.code], "cache_date": self.cache_date}

    # ---- sections and courses ---------------------------------------------------------------
    def _section_ref(self, s: Section) -> Record:
        return {"id": s.id, "crn": s.crn, "subject_id": s.course.subject, "course_number": s.course.number,
                "section_number": s.number, "course_id": course_id(s.course, self.world), "title": s.course.name}

    def section(self, s: Section) -> Record:
        is_active, is_in_session = term_flags(s.term, self.world.today)
        instructor = self.world.people.get(s.instructor_key or "")
        return {
            **self.section_refs[s.id],
            "section_type_id": _SECTION_TYPE_IDS[s.type],
            "term": self.term_refs[s.term.code], "sis_section": {"id": s.crn, "term_code": s.term.code},
            "lms_section": {"id": f"{s.course.subject}.{s.course.number}.{s.number}-{s.term.lms_id}"},
            "crosslist": None, "campus": s.campus, "is_active": is_active, "is_in_session": is_in_session,
            "max_enrollment": s.max_enrollment, "enrollment": s.enrolled,
            "seats_available": max(0, s.max_enrollment - s.enrolled), "max_waitlist": s.max_waitlist,
            "waitlist": s.waitlist,
            "instructors": [] if instructor is None else [{
                "netid": instructor.key, "name": f"{instructor.first_name} {instructor.last_name}",
                "is_primary": True}],
            "meeting_times": [{"day": m.day, "start_time": m.start, "end_time": m.end, "building": m.building,
                               "room": m.room} for m in s.timings],
            "cache_date": self.cache_date,
        }

    def course(self, c: Course) -> Record:
        return {
            "id": course_id(c, self.world), "subject_id": c.subject, "course_number": c.number,
            "department_id": c.subject, "department_name": c.department,
            "division_id": _DIVISIONS.get(c.subject, "SCI"), "name": c.name,
            "term_code_effective": self.world.terms[0].code, "distributives": [], "culture_options": [],
            "course_attributes": [], "is_active": True, "is_credit_nocredit": False, "non_recording_options": [],
            "cache_date": self.cache_date,
        }

    # ---- enrollments and holds ---------------------------------------------------------------
    def enrollment(self, e: Enrollment) -> Record:
        is_active, is_in_session = term_flags(e.section.term, self.world.today)
        return {"id": e.id, "netid": e.person_key, "role": e.role, "section": self.section_refs[e.section.id],
                "term": self.term_refs[e.section.term.code], "is_active": is_active, "is_in_session": is_in_session,
                "course_assessment": e.course_assessment, "final_grade": e.final_grade, "cache_date": self.cache_date}

    def hold(self, h: Hold) -> Record:
        return {"id": h.sis_id, "netid": h.person_key, "hold_type_id": h.hold_type.code,
                "hold_type_code": h.hold_type.code, "short_description": h.hold_type.short_description,
                "description": h.hold_type.long_description, "note": h.note, "from_date": iso(h.created),
                "to_date": None, "is_active": True, "cache_date": self.cache_date}

    def hold_type(self, t: HoldType) -> Record:
        return {"id": t.code, "short_description": t.short_description, "long_description": t.long_description,
                "category": t.category, "resolution": t.resolution,
                "resolution_url": f"https://www.dartmouth.edu/reg/holds/{t.code.lower()}", "guid": t.guid,
                "cache_date": self.cache_date}

    def value_list(self, names_by_id: dict[str, str]) -> dict[str, Record]:
        return {k: {"id": k, "name": v, "is_active": True, "cache_date": self.cache_date}
                for k, v in names_by_id.items()}


def course_id(c: Course, world: World) -> str:
    """``{subject}.{course_number}-{term_code_effective}``; every sandbox course is effective from the first term."""
    return f"{c.subject}.{c.number}-{world.terms[0].code}"


def subject_name(subject: str) -> str:
    return names.SUBJECTS[subject][0]
