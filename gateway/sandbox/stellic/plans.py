"""Students' plans and audits, computed on demand: planned courses and programs, and what counts for what.

Nothing here is stored: each value is a pure function of the seed, the student and the catalogs, so
load() stays fast at 20,000 students and the same seed always plans the same courses.
"""

from __future__ import annotations

import zlib
from typing import Any

from gateway.sandbox.stellic import catalog

PLANNED_PER_TERM = 3


def roll(*parts: object) -> int:
    """A stable pseudo-random number for a tuple of values (crc32: cheap, and the same in every run)."""
    return zlib.crc32(":".join(map(str, parts)).encode())


def plan_courses(seed: int, username: str, term: str, course_codes: tuple[str, ...]) -> list[str]:
    """The courses a student has put in their plan for one term."""
    start = roll(seed, username, term, "plan")
    picked: list[str] = []
    for i in range(PLANNED_PER_TERM * 2):
        code = course_codes[(start + i * 7919) % len(course_codes)]
        if code not in picked:
            picked.append(code)
        if len(picked) == PLANNED_PER_TERM:
            break
    return picked


def planned_programs(seed: int, student: dict[str, Any]) -> list[str]:
    """Programs a student plans but has not declared: about a third plan a minor."""
    value = roll(seed, student["username"], "minor")
    if value % 3:
        return []
    subjects = sorted(catalog.departments())
    subject = subjects[value // 3 % len(subjects)]
    return [] if subject in student["department_ids"] else [f"{subject}-MIN"]


def counting_programs(course: str, program_ids: list[str], programs: dict[str, dict[str, Any]]) -> list[str]:
    """The programs among ``program_ids`` a course counts toward: those of the course's department."""
    subject = course.split()[0]
    return [p for p in program_ids if p in programs and programs[p]["department"] == subject]


def counts(grade: str | None) -> bool:
    """A withdrawal counts for nothing."""
    return grade != "W"
