"""Rows of the Stellic exports about students and courses, built from the simulator's current state.

Each builder takes the simulator and the query and returns (header, rows); a bad parameter is a 400
naming it, an unknown referenced record a 404.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from starlette.datastructures import QueryParams
from starlette.responses import Response

from gateway.sandbox.stellic import catalog, plans
from gateway.sandbox.stellic.state import StellicState
from gateway.sandbox.stellic.validate import bad_request, is_timestamp, not_found, problem

Rows = tuple[list[str], list[list[Any]]]
Builder = Callable[[StellicState, QueryParams], Rows]


# ---- CSV and query helpers ---------------------------------------------------------------------
def csv_text(header: list[str], rows: list[list[Any]], *, engagement: bool = False) -> str:
    """RFC 4180 CSV; the engagement export keeps the ``", "`` separators of the seed's sample rows."""
    if engagement:
        return "\n".join(", ".join(str(v) for v in line) for line in [header, *rows]) + "\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return out.getvalue()


def csv_response(header: list[str], rows: list[list[Any]], *, engagement: bool = False,
                 file_name: str = "export.csv") -> Response:
    return Response(csv_text(header, rows, engagement=engagement), media_type="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{file_name}"'})


def flag(q: QueryParams, name: str, default: bool = False) -> bool:
    value = q.get(name)
    if value is None or value == "":
        return default
    if value.lower() not in ("true", "false"):
        raise bad_request([problem(name, "Must be true or false.")])
    return value.lower() == "true"


def required(q: QueryParams, name: str) -> str:
    value = q.get(name)
    if not value:
        raise bad_request([problem(name, "This parameter is required.")])
    return value


def integer(q: QueryParams, name: str, value: str | None = None) -> int:
    text = value if value is not None else required(q, name)
    if not text.lstrip("-").isdigit():
        raise bad_request([problem(name, "Must be an integer.")])
    return int(text)


def _name(student: dict[str, Any]) -> str:
    return f"{student['preferred_first_name'] or student['first_name']} {student['last_name']}"


# ---- builders ----------------------------------------------------------------------------------
def engagement_rows(sim: StellicState, q: QueryParams) -> Rows:
    students = sorted(sim.stores["students"].values(), key=lambda s: s["id"])
    return ["Username", "ID", "Engagement Score"], [[s["username"], s["id"], s["engagement_score"]] for s in students]


def plan_courses(sim: StellicState, q: QueryParams) -> Rows:
    mode = q.get("mode", "all")
    course_filter = q.get("course_filter", "registered")
    if mode not in ("all", "matched", "unmatched"):
        raise bad_request([problem("mode", "Must be one of: all, matched, unmatched.")])
    if course_filter not in ("registered", "planned", "all"):
        raise bad_request([problem("course_filter", "Must be one of: registered, planned, all.")])
    programs = sim.stores["programs"]
    rows = []
    for s in sim.stores["students"].values():
        chosen = sim.student_programs(s, "all")
        for c in sim.student_courses(s, course_filter):
            toward = plans.counting_programs(c["course"], chosen, programs) if plans.counts(c["grade"]) else []
            if (mode == "matched" and not toward) or (mode == "unmatched" and toward):
                continue
            rows.append([s["username"], s["id"], c["course"], c["title"], c["term"], c["status"], c["grade"],
                         c["units"], ";".join(toward)])
    return ["Username", "ID", "Course", "Title", "Term", "Status", "Grade", "Units", "Counts For"], rows


def plancourse_enrollment_by_term(sim: StellicState, q: QueryParams) -> Rows:
    years: set[int] | None = None
    if q.get("years"):
        try:
            parsed = json.loads(q["years"]) if q["years"].startswith("[") else q["years"].split(",")
            years = {int(y) for y in parsed}
        except (ValueError, TypeError):
            raise bad_request([problem("years", "Must be a list of years such as [2022,2023].")]) from None
    school = None
    if q.get("school_name"):
        school = next((k for k, v in catalog.SCHOOLS.items() if v == q["school_name"]), None)
        if school is None:
            raise not_found(f"School {q['school_name']!r} not found.", "school_name")
    terms, students = sim.stores["terms"], sim.stores["students"]
    count: Counter[tuple[str, str]] = Counter()
    for ce in sim.stores["course_enrollments"].values():
        term = terms.get(ce["term"])
        if term is None or (years is not None and term["year"] not in years):
            continue
        if school is not None and school not in students[ce["student_username"]]["school_ids"]:
            continue
        count[(ce["course"], ce["term"])] += 1
    titles = sim.stores["courses"]
    rows = [[course, titles[course]["title"], term, terms[term]["name"], terms[term]["year"], n]
            for (course, term), n in sorted(count.items())]
    return ["Course", "Title", "Term", "Term Name", "Year", "Enrollments"], rows


def registration_details(sim: StellicState, q: QueryParams) -> Rows:
    """Course requests (the planned courses) of students with a registration time in that semester and year;
    ``timestamp`` keeps those whose time opens at or after it, ``all_students`` adds students without one."""
    semester, year = required(q, "semester").lower(), integer(q, "year")
    if semester not in catalog.SEASONS:
        raise bad_request([problem("semester", f"Must be one of: {', '.join(catalog.SEASONS)}.")])
    after = q.get("timestamp")
    if after and not is_timestamp(after):
        raise bad_request([problem("timestamp", "Must be a UTC timestamp in YYYY-MM-DD HH:MM format.")])
    everyone = flag(q, "all_students")
    term = f"{year}{catalog.SEASONS.index(semester) + 1}"
    times = {rt["student_username"]: rt for rt in sim.stores["registration_times"].values()
             if rt["semester"] == semester and rt["year"] == year}
    rows = []
    for s in sim.stores["students"].values():
        rt = times.get(s["username"])
        if (rt is None and not everyone) or (rt is not None and after and rt["timestamp"] < after):
            continue
        for code in plans.plan_courses(sim.options.seed, s["username"], term, sim.course_codes):
            rows.append([s["username"], s["id"], _name(s), semester, year, rt and rt["registration_type"],
                         rt and rt["timestamp"], code, sim.stores["courses"][code]["title"], "requested"])
    header = ["Username", "ID", "Name", "Semester", "Year", "Registration Type", "Registration Time", "Course",
              "Course Title", "Request Status"]
    return header, rows


def _term_ids(sim: StellicState, q: QueryParams, need: bool) -> set[str] | None:
    values = q.getlist("usem_ids")
    if not values:
        if need:
            raise bad_request([problem("usem_ids", "This parameter is required.")])
        return None
    ids = {str(integer(q, "usem_ids", v)) for v in values}
    unknown = sorted(ids - set(sim.stores["terms"]))
    if unknown:
        raise not_found(f"Term {unknown[0]!r} not found.", "usem_ids")
    return ids


def _section_counts(sim: StellicState, q: QueryParams, need: bool) -> Rows:
    terms = _term_ids(sim, q, need)
    programs, students = sim.stores["programs"], sim.stores["students"]
    counting: Counter[tuple[str, str]] = Counter()
    for ce in sim.stores["course_enrollments"].values():
        if terms is not None and ce["term"] not in terms:
            continue
        for program in plans.counting_programs(ce["course"], students[ce["student_username"]]["programs"], programs):
            for section in ce["sections"]:
                counting[(section, program)] += 1
    rows = []
    for s in sim.stores["sections"].values():
        if terms is not None and s["term"] not in terms:
            continue
        subject = s["course"].split()[0]
        for program_id in (f"{subject}-MAJ", f"{subject}-MIN"):
            if program_id in programs:
                rows.append([s["id"], s["external_id"], s["course"], s["term"], program_id,
                             catalog.requirement(s["course"]), counting[(s["id"], program_id)]])
    return ["Section ID", "External ID", "Course", "Term", "Program", "Requirement", "Students Counting"], rows


def audit_coursesection_requirement_count(sim: StellicState, q: QueryParams) -> Rows:
    return _section_counts(sim, q, need=True)


def sections_counting_for_reqs(sim: StellicState, q: QueryParams) -> Rows:
    return _section_counts(sim, q, need=False)


def student_geneds(sim: StellicState, q: QueryParams) -> Rows:
    rows = []
    for s in sim.stores["students"].values():
        taken = [ce for ce in sim.course_enrollments_of(s["username"]) if plans.counts(ce["final_grade"])]
        for code, (title, subjects) in catalog.GENEDS.items():
            ce = next((c for c in taken if c["course"].split()[0] in subjects), None)
            status = "not_started" if ce is None else "satisfied" if ce["final_grade"] else "in_progress"
            rows.append([s["username"], s["id"], code, title, status, ce and ce["course"], ce and ce["term"]])
    return ["Username", "ID", "Requirement", "Requirement Name", "Status", "Course", "Term"], rows


def all_appointments(sim: StellicState, q: QueryParams) -> Rows:
    """Advising appointments in the current term: none to two per student."""
    start = sim.world.current_term.start
    rows = []
    for s in sim.stores["students"].values():
        for n in range(plans.roll(sim.options.seed, s["username"], "appointments") % 3):
            value = plans.roll(s["username"], n)
            when = start + timedelta(days=value % 70)
            hour = 9 + value % 8
            rows.append([f"{s['id']}-{n + 1}", s["username"], s["primary_advisor_username"],
                         f"{when.isoformat()} {hour:02d}:00", f"{when.isoformat()} {hour:02d}:30",
                         ("advising", "registration", "career")[value % 3], ("in_person", "zoom")[value % 2],
                         "completed" if when < sim.world.today else "scheduled"])
    return ["Appointment ID", "Student Username", "Advisor Username", "Start", "End", "Type", "Location",
            "Status"], rows
