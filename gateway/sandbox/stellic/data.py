"""Stellic's records built from the sandbox world: students, programs, sections, enrollments, holds, times."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from gateway.sandbox.stellic import catalog
from gateway.sandbox.world import STELLIC, Hold, Person, Section, Term, World

PRONOUNS = {"F": "she/her", "M": "he/him", "X": "they/them"}
FIRST_REGISTRATION_TIME = 57000
# Seed 000's sample registration time, kept with its own values (its term and year disagree in the seed).
SEED_REGISTRATION_TIME: dict[str, Any] = {
    "registration_time_id": "57568", "registration_type": "registration", "timestamp": "2023-05-11 14:30",
    "end_timestamp": "2023-07-11 14:30", "student_username": "mabbott", "semester": "summer", "year": 2023,
    "term": "20223",
}


def term_record(term: Term) -> dict[str, Any]:
    return {"id": term.stellic_id, "name": term.name, "semester": term.season.lower(), "year": term.year,
            "start_date": term.start.isoformat(), "end_date": term.end.isoformat(), "code": term.code,
            "short_name": term.lms_id}


def usem(term_id: str, semester: str, year: int) -> dict[str, Any]:
    """The ``usem`` (Stellic's "user semester") object of a registration time."""
    return {"id": term_id, "semester": semester, "year": year, "name": f"{semester.title()} {year}"}


def _grad_year(p: Person) -> int:
    # The world leaves class_year unset, so its grad terms read 2000; birth year + 22 is what it meant.
    year = int(p.grad_term[:4]) if p.grad_term else 0
    return year if year > 2000 else p.date_of_birth.year + 22


def _class_level(p: Person, grad_year: int, current: Term) -> str:
    if p.school_id in catalog.GRADUATE_SCHOOLS:
        return "GR"
    years_left = grad_year - current.year - (1 if current.season == "Fall" else 0)
    return ("SR", "JR", "SO", "FR")[min(3, max(0, years_left))]


def student_record(p: Person, current: Term, rng: random.Random) -> dict[str, Any]:
    grad_year = _grad_year(p)
    graduate = p.school_id in catalog.GRADUATE_SCHOOLS
    joined = f"{grad_year - 4}4"  # Fall of the entering year
    tags = [t for t in ("honors", "first-gen", "athlete", "international", "transfer") if rng.random() < 0.08]
    phone = int(rng.random() * 8_000_000) + 2_000_000  # rng.random(): randint is slow over 20,000 students
    return {
        "username": p.key, "id": p.stellic_id, "student_id": str(p.stellic_id),
        "first_name": p.first_name, "preferred_first_name": p.preferred_name, "last_name": p.last_name,
        "email": p.email, "pronouns": PRONOUNS[p.gender],
        "primary_advisor_username": p.advisor_keys[0] if p.advisor_keys else None,
        "primary_campus_id": "HAN", "current_campus_id": "HAN",
        "school_ids": [p.school_id or "UG"], "department_ids": list(p.majors),
        "programs": [f"{m}-MAJ" for m in p.majors], "tags": tags,
        "class_level_id": _class_level(p, grad_year, current), "term_joined": joined,
        "expected_graduation": f"{grad_year}3", "ge_catalog_term": joined, "pre_req_waivers": [],
        "cgpa": p.gpa, "type": "graduate" if graduate else "undergraduate",
        "mobile_number": f"603-{phone // 10000}-{phone % 10000:04d}",
        "text_consent": rng.random() < 0.6, "primary_enrollment_level_id": "GRAD" if graduate else "UGRD",
        "engagement_score": p.engagement_score,
    }


def program_enrollment(username: str, program_id: str, order: int, catalog_term: str) -> dict[str, Any]:
    return {"student_username": username, "program_id": program_id, "concentration_ids": [],
            "certification_status": False, "certification_date": None, "order": order,
            "catalog_term": catalog_term}


def section_record(s: Section, people: dict[str, Person]) -> dict[str, Any]:
    teacher = people.get(s.instructor_key) if s.instructor_key else None
    instructors = [] if teacher is None else [{
        "username": teacher.key, "first_name": teacher.first_name, "last_name": teacher.last_name,
        "email": teacher.email, "role": "primary"}]
    return {
        "id": str(s.stellic_id), "name": f"{s.course.code} {s.number}", "external_id": s.crn,
        "course": s.course.code, "campus": s.campus, "term": s.term.stellic_id, "type": s.type,
        "start_date": s.term.start.isoformat(), "end_date": s.term.end.isoformat(),
        "linked_section": f"{s.term.lms_id}-{s.crn}", "linked_sections": [], "topic": None,
        "delivery_mode": "in_person", "max_enrollment": s.max_enrollment,
        "available_enrollment": max(0, s.max_enrollment - s.enrolled), "max_waitlist": s.max_waitlist,
        "waitlist": s.waitlist, "details": {"title": s.course.name, "department": s.course.department, "units": 1},
        "instructors": instructors,
        "timings": [{"start": t.start, "end": t.end, "day": t.day, "room": t.room, "building": t.building,
                     "start_date": None, "end_date": None} for t in s.timings],
    }


def course_enrollment(username: str, term: str, course: str, level: str, *, status: str,
                      grade: str | None) -> dict[str, Any]:
    return {
        "student_username": username, "term": term, "course": course, "campus": "HAN", "grade_scheme": "letter",
        "grade_option": "graded", "is_transfer": False, "transfer_course_meta": None, "sections": [],
        "course_topic": None, "attributes": [], "registration_status": status, "repeat_code": None,
        "final_grade": grade, "mid_semester_grade": None, "units": 1, "enrollment_level": level,
    }


def course_enrollment_key(username: str, term: str, course: str) -> str:
    return f"{username}:{term}:{course}"


def section_enrollment(se_id: str, ce: dict[str, Any], section: str, component: bool = True) -> dict[str, Any]:
    """A section enrollment carrying its course enrollment's values (dict.update: load() makes ~80k)."""
    record = {"id": se_id, "student_username": ce["student_username"], "section": section,
              "is_enrollment_component": component}
    record.update(ce)
    del record["sections"]
    return record


def hold_record(hold: Hold, student: dict[str, Any]) -> dict[str, Any]:
    t = hold.hold_type
    return {"sis_id": hold.sis_id, "student_id": student["student_id"], "student_username": student["username"],
            "hold_code": t.code, "title": t.short_description, "description": t.long_description,
            "note": hold.note, "url_text": None, "url_link": None, "created": hold.created.isoformat()}


def registration_time(rt_id: str, username: str, term: Term, level: str) -> dict[str, Any]:
    """A student's window for a term: seniors first, each class a day later, in 15-minute slots."""
    opens = term.start - timedelta(weeks=8) + timedelta(days=("SR", "GR", "JR", "SO", "FR").index(level))
    slot = sum(map(ord, username)) % 32
    start = f"{opens.isoformat()} {8 + slot // 4:02d}:{slot % 4 * 15:02d}"
    end = f"{(term.start + timedelta(days=10)).isoformat()} 23:59"
    semester = term.season.lower()
    return {"registration_time_id": rt_id, "registration_type": "registration", "timestamp": start,
            "end_timestamp": end, "student_username": username, "semester": semester, "year": term.year,
            "term": term.stellic_id, "usem": usem(term.stellic_id, semester, term.year)}


def build(world: World, rng: random.Random) -> dict[str, dict[str, Any]]:
    """Every store of the Stellic simulator, from the world."""
    current = world.current_term
    following = next((t for t in world.terms if t.offset == 1), current)
    stores: dict[str, dict[str, Any]] = {
        "terms": {t.stellic_id: term_record(t) for t in world.terms},
        "courses": {c.code: {"code": c.code, "title": c.name, "department": c.subject, "units": 1}
                    for c in world.courses},
        "tags": catalog.tags(), "schools": {k: {"short_name": k, "name": v} for k, v in catalog.SCHOOLS.items()},
        "departments": catalog.departments(), "programs": catalog.programs(),
        "class_levels": {k: {"id": k, "name": v} for k, v in catalog.CLASS_LEVELS.items()},
        "campuses": {k: {"id": k, "name": v} for k, v in catalog.CAMPUSES.items()},
        "hold_types": {t.code: {"code": t.code, "title": t.short_description, "description": t.long_description,
                                "category": t.category, "resolution": t.resolution}
                       for t in world.hold_types.values()},
    }
    students: dict[str, dict[str, Any]] = {}
    programs: dict[str, dict[str, Any]] = {}
    times: dict[str, dict[str, Any]] = {}
    next_time = FIRST_REGISTRATION_TIME
    for p in world.students(STELLIC):
        record = students[p.key] = student_record(p, current, rng)
        for order, program_id in enumerate(record["programs"]):
            programs[f"{p.key}:{program_id}"] = program_enrollment(p.key, program_id, order, record["term_joined"])
        if p.status in ("AS", "AD"):
            if next_time == int(SEED_REGISTRATION_TIME["registration_time_id"]):
                next_time += 1
            times[str(next_time)] = registration_time(str(next_time), p.key, following, record["class_level_id"])
            next_time += 1
    seeded = dict(SEED_REGISTRATION_TIME)
    seeded["usem"] = usem(seeded["term"], seeded["semester"], seeded["year"])
    times[seeded["registration_time_id"]] = seeded
    stores.update(students=students, program_enrollments=programs, registration_times=times,
                  sections={str(s.stellic_id): section_record(s, world.people) for s in world.sections.values()})
    stores.update(_enrollments(world, students))
    stores["holds"] = {h.sis_id: hold_record(h, students[h.person_key])
                       for h in world.holds.values() if h.person_key in students}
    stores["restrictions"] = {}
    stores["exports"] = {}  # async export files by file name
    return stores


def _enrollments(world: World, students: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    courses: dict[str, dict[str, Any]] = {}
    sections: dict[str, dict[str, Any]] = {}
    # What each section contributes, worked out once rather than once per enrollment.
    facts = {s.id: (str(s.stellic_id), s.term.stellic_id, s.course.code, s.crn,
                    "completed" if s.term.end < world.today else "enrolled") for s in world.sections.values()}
    for e in world.enrollments.values():
        student = students.get(e.person_key)
        if student is None or e.role != "student":
            continue
        section_id, term, course, crn, status = facts[e.section.id]
        key = course_enrollment_key(e.person_key, term, course)
        ce = courses.get(key)
        if ce is None:
            ce = courses[key] = course_enrollment(e.person_key, term, course, student["primary_enrollment_level_id"],
                                                  status=status, grade=e.final_grade)
        ce["sections"].append(section_id)
        se_id = f"{crn}-{student['id']}"
        sections[se_id] = section_enrollment(se_id, ce, section_id)
    return {"course_enrollments": courses, "section_enrollments": sections}
