"""Dartmouth student (seed 003 / contracts 3.7.1), student-term (3.7.3) and person (D11) records from the world.

Each student draws its incidental details (high school, D-plans, sports, whether GPA values are
strings or numbers — the seed shows both) from its own generator seeded by world seed and netid,
so a record does not change when other people are added. Seed 003's first sample is served
verbatim for ``d59951y``.
"""

from __future__ import annotations

import random
from typing import Any

from gateway.sandbox import names
from gateway.sandbox.dartmouth.academic import AcademicRecords, iso, subject_name
from gateway.sandbox.dartmouth.samples import SEED_003_NETID, SEED_003_STUDENT
from gateway.sandbox.world import DARTMOUTH, Person, Term, World

Record = dict[str, Any]

_CLASS_NAMES = {"FR": "First Year", "SO": "Sophomore", "JR": "Junior", "SR": "Senior"}
_SCHOOL_INSTITUTION = {"TH": "Dartmouth - Thayer School of Engineering", "TU": "Dartmouth - Tuck School of Business",
                       "DM": "Dartmouth - Geisel School of Medicine"}
_DEGREES = {"UG": ("AB", "Bachelor of Arts"), "TH": ("BE", "Bachelor of Engg."),
            "TU": ("MBA", "Master of Business Admin."), "DM": ("MD", "Doctor of Medicine")}
_DPLANS = (("R", "Resident"), ("R", "Resident"), ("R", "Resident"), ("L", "Leave"), ("O", "Off Campus"))


def _near(rng: random.Random, gpa: float) -> float:
    return round(min(4.0, max(0.0, gpa + rng.uniform(-0.3, 0.3))), 2)


def class_year(p: Person) -> str:
    """Two-digit class year; the world sets the expected graduation term (June of the class year)."""
    return (p.grad_term or "")[2:4]


class StudentRecords:
    def __init__(self, world: World, academic: AcademicRecords, cache_date: str) -> None:
        self.world, self.academic, self.cache_date = world, academic, cache_date
        current = world.current_term
        self.senior_class = (current.year + (1 if current.season == "Fall" else 0)) % 100
        self.past_terms = [t for t in world.terms if t.offset < 0]
        self.terms = {t.code: t for t in world.terms}

    def stores(self) -> dict[str, dict[str, Record]]:
        students = {p.key: self.student(p) for p in self.world.students(DARTMOUTH)}
        if SEED_003_NETID in students:
            students[SEED_003_NETID] = {"cache_date": self.cache_date, **SEED_003_STUDENT}
        people = {p.key: self.person(p) for p in self.world.people.values() if DARTMOUTH in p.vendors}
        return {"students": students, "people": people}

    # ---- students ---------------------------------------------------------------------------
    def _class_code(self, p: Person) -> str | None:
        years_left = int(class_year(p) or 0) - self.senior_class
        if p.school_id != "UG" or p.status not in ("AS", "LA") or not 0 <= years_left <= 3:
            return None
        return ("SR", "JR", "SO", "FR")[years_left]

    def student(self, p: Person) -> Record:
        rng = random.Random(f"{self.world.seed}:{p.key}")
        school = p.school_id or "UG"
        # A Thayer student's class year is the school's code, as in the seed's Thayer sample ("class_year": "TH",
        # its curriculum's "college_id" too): an undergraduate class year is two digits.
        year, code = "TH" if school == "TH" else class_year(p), self._class_code(p)
        current = self.world.current_term
        term_eff = p.admit_term if p.is_future else current.code
        student_type = "N" if p.is_future or code == "FR" else "C"
        degree_id, level = _DEGREES[school]
        return {
            "netid": p.key, "cache_date": self.cache_date, "term_code_eff": term_eff,
            "is_future_status": p.is_future, "school_id": school, "school_code": school, "class_year": year,
            "student_type_id": student_type,
            "admission_type_id": "EN" if school == "TH" else rng.choice(("ST", "ST", "ST", "EA", "ED", "UT")),
            "current_admit_term_code": p.admit_term, "grad_term": p.grad_term, "student_status_id": p.status,
            "academic_history": [self._high_school(rng, p), self._dartmouth_history(p, school, level)],
            "advisors": [{"netid": key, "term_code_effective": p.admit_term, "is_primary": i == 0,
                          "type": "Faculty Advisor" if i == 0 else "Undergraduate Class Dean"}
                         for i, key in enumerate(p.advisor_keys)],
            "other_attributes": [{"code": "EABE", "description": "Thayer AB/BE Students",
                                  "term_code_effective": p.admit_term}] if school == "TH" else [],
            "status_history": self._status_history(p, school, year, student_type),
            "dplans": self._dplans(rng, p),
            "gpa_history": self._gpa_history(rng, p, school),
            "is_fysep_participant": rng.random() < 0.05, "is_firstgen_student": rng.random() < 0.12,
            "varsity_sports": [{"id": f"D{rng.randint(1, 30)}"}] if rng.random() < 0.15 else [],
            "class": None if code is None else {"code": code, "name": f"{_CLASS_NAMES[code]} (UG)"},
            "curriculum": [{"college_id": year, "degree_id": degree_id, "program": None, "school_id": school,
                            "term_code": p.admit_term, "term_code_end": p.grad_term if p.status == "GR" else None}],
        }

    def _high_school(self, rng: random.Random, p: Person) -> Record:
        finished = self.terms.get(p.admit_term or "")
        return {"admit_term_code": None,
                "completion_date": iso(finished.start.replace(month=6, day=1)) if finished else None,
                "degree": None,
                "institution": {"category": rng.choice(("Public", "Public", "Independent", "Independent Religous")),
                                "name": f"{rng.choice(names.LAST_NAMES)} High School", "type": "High School"},
                "source": {"code": "UHT1", "name": "High School Transcript 1"}, "start_date": None}

    def _dartmouth_history(self, p: Person, school: str, level: str) -> Record:
        graduated = self.terms.get(p.grad_term or "")
        institution = _SCHOOL_INSTITUTION.get(school, f"Dartmouth - Undergraduate - Class of 20{class_year(p)}")
        return {"admit_term_code": p.admit_term,
                "completion_date": iso(graduated.end) if graduated and p.status == "GR" else None,
                "degree": {"disciplines": [{"concentrations": [], "id": m, "name": subject_name(m), "type": "MAJOR"}
                                           for m in p.majors],
                           "level": level, "status": "Awarded" if p.status == "GR" else "Sought"},
                "institution": {"category": None, "name": institution, "type": "College"},
                "source": None, "start_date": None}

    def _status_history(self, p: Person, school: str, year: str, student_type: str) -> list[Record]:
        entry = {"class_year": year, "grad_term": p.grad_term, "school_id": school}
        history = [{**entry, "class_code": "FR", "student_status_id": "AS" if p.status != "AD" else "AD",
                    "student_type_id": "N", "term_code_eff": p.admit_term}]
        if not p.is_future and p.status != "AS":
            history.append({**entry, "class_code": self._class_code(p), "student_status_id": p.status,
                            "student_type_id": student_type, "term_code_eff": self.world.current_term.code})
        return history

    def _dplans(self, rng: random.Random, p: Person) -> list[Record]:
        if p.status not in ("AS", "LA", "AD"):
            return []
        plans = []
        for t in (t for t in self.world.terms if -1 <= t.offset <= 1 and t.code >= (p.admit_term or "")):
            dplan_id, description = ("L", "Leave") if p.status == "LA" and t.offset == 0 else rng.choice(_DPLANS)
            plans.append({"dplan_description": description, "dplan_id": dplan_id,
                          "dplan_source_description": "DPlan Assignment Process", "dplan_source_id": "UWEB",
                          "term_code": t.code})
        return plans

    def _gpa_history(self, rng: random.Random, p: Person, school: str) -> Record:
        if p.gpa is None:
            return {"cumulative_gpa": [], "term_gpa": []}
        as_text = rng.random() < 0.5  # the seed's samples give gpa_value as a string in some, a number in others

        def value(v: float) -> str | float:
            return f"{v:.2f}" if as_text else v

        cumulative = [{"gpa_type_ind": kind, "gpa_value": value(p.gpa), "school_id": school} for kind in "IO"]
        cumulative.append({"gpa_type_ind": "T", "gpa_value": "0" if as_text else 0, "school_id": school})
        held = [t for t in self.past_terms if (p.admit_term or "") <= t.code <= (p.grad_term or "")][-6:]
        term_gpa = [{"gpa_type_ind": "I", "gpa_value": value(_near(rng, p.gpa)),
                     "school_id": school, "sis_term_code": t.code} for t in reversed(held)]
        return {"cumulative_gpa": cumulative, "term_gpa": term_gpa}

    # ---- student terms (D3) --------------------------------------------------------------------
    def terms_of(self, student: Record) -> list[Record]:
        """The terms a student holds: admission to graduation, up to next term (a future student: its first)."""
        first, last = student["current_admit_term_code"] or "", student["grad_term"] or ""
        held: list[Term] = [t for t in self.world.terms if first <= t.code <= last and t.offset <= 1]
        if student["is_future_status"]:
            held = held[:1]
        school = student["school_id"]
        return [{"netid": student["netid"], "term_id": f"{t.code}-U", "school_id": school,
                 "is_active": t.offset in (0, 1), "start_date": iso(t.start), "end_date": iso(t.end),
                 "lms_term": self.academic.lms_terms[t.code], "quarterly_term": self.academic.quarterly[t.code],
                 "cache_date": self.cache_date} for t in held]

    # ---- people (D11) ----------------------------------------------------------------------------
    def person(self, p: Person) -> Record:
        rng = random.Random(f"{self.world.seed}:person:{p.key}")
        student = p.kind == "student"
        alum = student and p.status == "GR"
        middle = f" {p.middle_name[0]}." if p.middle_name else ""
        if student:
            affiliations = [{"name": "Alum"}] if alum else [{"name": "Student"}]
            department_class: str | None = f"'{class_year(p)}"
            phone_type, source = "CELL", "SIS"
        else:
            affiliations = [{"name": "Faculty"}, {"name": "Employee"}]
            department_class = subject_name(p.department) if p.department else None
            phone_type, source = "CAMPUS", "HR"
        return {
            "netid": p.key, "name": f"{p.preferred_name or p.first_name}{middle} {p.last_name}",
            "prefix": None if student else "Prof.", "first_name": p.first_name, "middle_name": p.middle_name,
            "last_name": p.last_name, "suffix": None, "email": p.email, "title": p.job_title,
            "campus_address": f"HB {rng.randint(1000, 6999)}", "affiliations": affiliations,
            "dartmouth_affiliation": "ALUMNI" if alum else "DART", "department_class": department_class,
            "telephone_numbers": [{"telephone_number": f"603-646-{rng.randint(1000, 9999)}",
                                   "telephone_type_id": phone_type, "data_source": source}],
            "cache_date": self.cache_date,
        }
