"""Stellic's institution catalogs in the sandbox: tags, schools, departments, programs, levels, campuses."""

from __future__ import annotations

from typing import Any

from gateway.sandbox import names

TAGS = {
    "honors": "Honors Program",
    "first-gen": "First Generation Student",
    "athlete": "Varsity Athlete",
    "international": "International Student",
    "transfer": "Transfer Student",
    "veteran": "Veteran",
    "probation": "Academic Probation",
    "2023FANeverAttended": "Fall 2023 Never Attended",  # the tag of seed 001's tagged_notes sample
}

# World school ids, as the school feed's short_name.
SCHOOLS = {
    "UG": "Undergraduate College of Arts and Sciences",
    "TH": "Thayer School of Engineering",
    "TU": "Tuck School of Business",
    "DM": "Geisel School of Medicine",
}
GRADUATE_SCHOOLS = frozenset({"TH", "TU", "DM"})

CLASS_LEVELS = {"FR": "First Year", "SO": "Sophomore", "JR": "Junior", "SR": "Senior", "GR": "Graduate"}
CAMPUSES = {"HAN": "Hanover", "ONL": "Online"}
ENROLLMENT_LEVELS = {"UGRD": "Undergraduate", "GRAD": "Graduate"}
SEASONS = ("winter", "spring", "summer", "fall")  # Stellic term id = year + 1-based season number

# Requirements of every major, by course number: a course counts for the first band it falls in.
REQUIREMENTS = (("Introductory", 30), ("Core", 60), ("Advanced", 100))
COURSES_REQUIRED = {"major": 10, "minor": 5}

# Minors of these subjects have no audit yet (programs_without_audits).
NO_AUDIT_MINORS = frozenset({"ANTH", "ENGL", "SPAN"})

DYNAMIC_GROUPS = {  # dynamic group name -> the tag whose students make it up
    "Honors Students": "honors",
    "First Generation Students": "first-gen",
    "Varsity Athletes": "athlete",
    "International Students": "international",
}
WORKFLOWS = {1: "Course Substitution Request", 2: "Major Declaration", 3: "Leave of Absence Request"}
GENEDS = {  # Dartmouth's distributive areas, by the subjects that satisfy them
    "ART": ("Arts", ("ENGL", "SPAN")),
    "LIT": ("Literature", ("ENGL", "AAAS")),
    "QDS": ("Quantitative and Deductive Science", ("MATH", "COSC", "ECON")),
    "SCI": ("Natural and Physical Science", ("BIOL", "CHEM", "PHYS")),
    "SOC": ("Social Analysis", ("GOVT", "ECON", "PSYC", "ANTH")),
    "TAS": ("Technology and Applied Science", ("ENGS", "COSC")),
    "TMV": ("Systems and Traditions of Thought, Meaning, and Values", ("HIST", "AAAS")),
}

# What a hold of each world category stops the student from doing.
HOLD_ACTIVITIES = {
    "Financial": ("registration", "transcript_request", "diploma"),
    "Academic": ("registration",),
    "Health": ("registration", "housing_selection"),
    "Administrative": ("registration", "transcript_request"),
}


def departments() -> dict[str, dict[str, Any]]:
    return {code: {"short_name": code, "name": name} for code, (name, _) in names.SUBJECTS.items()}


def programs() -> dict[str, dict[str, Any]]:
    """A major and a minor per subject (``COSC-MAJ``, ``COSC-MIN``), each with two concentrations."""
    found: dict[str, dict[str, Any]] = {}
    for code, (name, _) in names.SUBJECTS.items():
        for kind, suffix in (("major", "MAJ"), ("minor", "MIN")):
            program_id = f"{code}-{suffix}"
            found[program_id] = {
                "id": program_id, "name": f"{name} {kind.title()}", "type": kind, "department": code,
                "degree": "BA" if kind == "major" else None,
                "concentration_ids": [f"{program_id}-GEN", f"{program_id}-HON"] if kind == "major" else [],
                "audit_id": None if kind == "minor" and code in NO_AUDIT_MINORS else 7000 + len(found),
            }
    return found


def tags() -> dict[str, dict[str, Any]]:
    return {tag: {"name": tag, "description": text} for tag, text in TAGS.items()}


def term_id(code: str) -> str:
    """Dartmouth term code ``202609`` -> Stellic term id ``20264``."""
    months = [month for month, *_ in names.TERM_SEASONS]
    return f"{code[:4]}{months.index(code[4:]) + 1}"


def requirement(course: str) -> str:
    """The requirement band of a course code such as ``COSC 074``."""
    number = int(course.split()[-1])
    band = next(label for label, limit in REQUIREMENTS if number < limit)
    return f"{band} {names.SUBJECTS[course.split()[0]][0]}"
