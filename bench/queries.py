"""The four benchmark queries, and the fewest upstream calls each needs by the vendors' documented APIs.

"Minimum" counts one call per record where a vendor offers no way to ask for several at once
(Dartmouth filters combine with AND and take one value each; HUBmis has no multi-id filter; Stellic
has no multi-username read), and never counts a read of a whole collection (every student, every
section of a term) to answer for a few of its members: that is one call at 500 students and dozens at
20,000. Lookups the crosswalk answers from its in-process HUBmis indexes (built at start-up) cost
nothing per query. "Levels" is the upstream critical path: the longest chain of calls where each
needs an answer of the one before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gateway.sandbox.world import World

D, H, S = "dartmouth", "hubmis", "stellic"
D_STUDENT, D_STUDENTS, D_PERSON = f"{D} GET /api/students/{{netid}}", f"{D} GET /api/students", \
    f"{D} GET /api/people/{{netid}}"
D_HOLDS, D_ENROLLMENTS = f"{D} GET /api/academic/holds", f"{D} GET /api/academic/enrollments"
D_SECTION = f"{D} GET /api/academic/sections/{{id}}"
H_STUDENT, H_TIMETABLE = f"{H} GET /api/v1/students/{{id}}", f"{H} GET /api/v1/students/{{id}}/timetable"
H_STAFF, H_STAFF_LIST = f"{H} GET /api/v1/staff/{{id}}", f"{H} GET /api/v1/staff"
S_PROPERTY = f"{S} GET /partnerapi/v1/students/{{student_username}}/{{property}}"

STUDENT_EVERYTHING = """query StudentEverything($netid: String!) { student(netid: $netid) {
  id netid stellicUsername hubmisId externalId firstName lastName preferredName email
  status statusCode classYear schoolId
  sources { vendor id }
  advisors { type isPrimary effectiveTerm staff { netid firstName lastName email jobTitle } }
  holds { code note fromDate }
  enrollments(activeOnly: true) { role section { code seats { enrolled } } }
  dartmouth { gradTerm admitTerm classCode gpa { cumulative { value } terms { value } } }
  hubmis { form { name } yearGroup { name } timetable { day start end subject room teacher } }
  stellic { engagementScore }
} }"""

FIFTY_STUDENTS = """query FiftyStudents { students(first: 50) { edges { node {
  netid firstName advisors { staff { lastName } } holds { code }
  enrollments(activeOnly: true) { role section { code } }
} } } }"""

ROSTER = """query Roster($section: ID!) { section(id: $section) {
  enrollments(first: 200) { edges { node { role student { netid firstName } } } }
} }"""

STAFF_PAGE = """query StaffPage { staff(first: 25) { edges { node {
  firstName lastName email jobTitle departments
} } } }"""

# What the minimum depends on that the benchmark query itself does not ask for (asked after measuring).
ADVISORS_AND_SECTIONS = """query Facts($netid: String!) { student(netid: $netid) {
  advisors { staff { netid hubmisId } } enrollments(activeOnly: true) { section { id } } } }"""
FIFTY_ADVISORS = """query Facts { students(first: 50) { edges { node {
  netid advisors { staff { netid hubmisId } } } } } }"""


@dataclass(frozen=True)
class Minimum:
    by_route: dict[str, int]
    levels: int
    reasoning: list[str]

    @property
    def total(self) -> int:
        return sum(self.by_route.values())

    def as_dict(self) -> dict[str, Any]:
        return {"total": self.total, "by_route": {k: v for k, v in self.by_route.items() if v},
                "levels": self.levels, "reasoning": self.reasoning}


def _advisors(staff: list[dict[str, Any] | None]) -> tuple[int, int]:
    """Distinct advisors (HUBmis staff, Dartmouth people only). HUBmis has no multi-id read, but its whole staff
    list fits one page of 100 here (27 at 500 students), so one list call answers every HUBmis advisor; Dartmouth
    people has no multi-netid filter: one GET each."""
    seen = {(s["netid"], s["hubmisId"]) for s in staff if s}
    in_hubmis = sum(1 for _, hubmis_id in seen if hubmis_id is not None)
    return in_hubmis, len(seen) - in_hubmis


def student_everything_minimum(result: dict[str, Any], facts: dict[str, Any]) -> Minimum:
    student = facts["data"]["student"]
    sections = len({e["section"]["id"] for e in student["enrollments"] if e.get("section")})
    in_hubmis, dartmouth_only = _advisors([a["staff"] for a in student["advisors"]])
    return Minimum({
        D_STUDENT: 1, D_PERSON: 1 + dartmouth_only, D_HOLDS: 1, D_ENROLLMENTS: 1, D_SECTION: sections,
        H_STUDENT: 1, H_TIMETABLE: 1, H_STAFF_LIST: min(in_hubmis, 1), S_PROPERTY: 1,
    }, 2 if sections or in_hubmis or dartmouth_only else 1, [
        "Dartmouth: the student record (status, class, advisors, detail, GPA), the person (names, email), "
        "holds by netid, active enrollments by netid: 4 calls, all at once",
        f"Dartmouth: seats need each of the {sections} sections; sections have no multi-id filter, so "
        f"{sections} GETs after the enrollments answer (level 2)",
        "HUBmis: the student by id (form, year group) and the timetable, at once; the id comes from the "
        "crosswalk's in-process index (no call)",
        f"advisors: {min(in_hubmis, 1)} HUBmis staff list call (the whole list is one page) for {in_hubmis} "
        f"HUBmis advisor(s) and {dartmouth_only} Dartmouth people GET(s), after the student record names them "
        "(level 2)",
        "Stellic: the engagement score GET also proves the student is in Stellic (404 otherwise): 1 call",
    ])


def fifty_students_minimum(result: dict[str, Any], facts: dict[str, Any]) -> Minimum:
    nodes = [e["node"] for e in facts["data"]["students"]["edges"]]
    n = len(nodes)
    in_hubmis, dartmouth_only = _advisors([a["staff"] for node in nodes for a in node["advisors"]])
    return Minimum({
        D_STUDENTS: 1, D_PERSON: n + dartmouth_only, D_HOLDS: n, D_ENROLLMENTS: n, D_SECTION: 0,
        H_STAFF_LIST: min(in_hubmis, 1),
    }, 2, [
        "Dartmouth: one page of 50 students (it carries each student's advisors)",
        f"Dartmouth: first names, holds and enrollments take one call per student each ({n} x 3): people, "
        "holds and enrollments filter on one netid at a time (filters AND together, no IN)",
        "section code: every enrollment row already carries its section's subject, course and section "
        "number, so no section read is needed",
        f"advisors: {in_hubmis} distinct HUBmis staff from one staff list call (HUBmis has no multi-id read, but "
        f"its whole staff list is one page), and {dartmouth_only} Dartmouth people GETs (advisors not in HUBmis), "
        "at the same level as the per-student calls",
    ])


def roster_minimum(result: dict[str, Any], facts: dict[str, Any]) -> Minimum:
    edges = result["data"]["section"]["enrollments"]["edges"]
    students = {e["node"]["student"]["netid"] for e in edges if e["node"]["role"] == "student"}
    others = sum(1 for e in edges if e["node"]["role"] != "student")
    return Minimum({D_SECTION: 1, D_ENROLLMENTS: 1, D_PERSON: len(students), D_STUDENT: others}, 2, [
        "Dartmouth: the section (does it exist) and one page of 200 of its enrollments by section.id, at once",
        f"first names: one Dartmouth people GET per enrolled student ({len(students)}); netid needs no call "
        "for a row whose role is student (Dartmouth lists the student's own netid)",
        f"{others} non-student row(s) (the instructor): one Dartmouth student GET each, to answer whether "
        "that netid is a student",
    ])


def staff_page_minimum(result: dict[str, Any], facts: dict[str, Any]) -> Minimum:
    return Minimum({H_STAFF_LIST: 1}, 1, [
        "HUBmis: one page of 25 staff and one more (whether another page follows); the list rows carry names, "
        "email, job title and departments",
    ])


@dataclass(frozen=True)
class BenchQuery:
    name: str
    title: str
    query: str
    variables: dict[str, Any]
    facts_query: str | None
    minimum: Callable[[dict[str, Any], dict[str, Any]], Minimum]


def pick_student(world: World) -> str:
    """A student in all three vendors, active, with holds and current enrollments: every field has data."""
    holds = {h.person_key for h in world.holds.values()}
    current: dict[str, int] = {}
    for e in world.enrollments.values():
        if e.role == "student" and e.section.term.offset == 0:
            current[e.person_key] = current.get(e.person_key, 0) + 1
    candidates = sorted(p.key for p in world.students() if len(p.vendors) == 3 and p.status == "AS"
                        and p.key in holds and current.get(p.key, 0) >= 3)
    if not candidates:
        raise RuntimeError("the sandbox world has no active student in all three vendors with holds")
    return candidates[0]


def pick_big_section(world: World, size: int = 200) -> str:
    """The current term's large intro lecture (at least ``size`` enrolled)."""
    current = [s for s in world.sections.values() if s.term.offset == 0]
    big = max(current, key=lambda s: s.enrolled)
    if big.enrolled < size:
        raise RuntimeError(f"no current section has {size} enrolled (largest: {big.id}, {big.enrolled}); "
                           "start the sandbox with more students")
    return big.id


def build(world: World) -> list[BenchQuery]:
    netid, section = pick_student(world), pick_big_section(world)
    return [
        BenchQuery("student_everything", "one student, everything, all three vendors", STUDENT_EVERYTHING,
                   {"netid": netid}, ADVISORS_AND_SECTIONS, student_everything_minimum),
        BenchQuery("fifty_students", "50 students: advisors, holds, current enrollments", FIFTY_STUDENTS, {},
                   FIFTY_ADVISORS, fifty_students_minimum),
        BenchQuery("roster_200", "section roster of 200", ROSTER, {"section": section}, None, roster_minimum),
        BenchQuery("staff_page", "staff directory page of 25", STAFF_PAGE, {}, None, staff_page_minimum),
    ]
