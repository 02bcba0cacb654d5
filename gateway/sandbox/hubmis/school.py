"""The school's skeleton: academic years and terms, sections, year groups, departments, subjects, rooms, houses.

Built around ``world.today``: the academic year containing today is active, the one before it is kept
for ``academic-year-id`` look-ups. Ids come from one allocator per kind, previous year first, so they
are stable for a seed and the records the seed shows keep the seed's ids.
"""

from __future__ import annotations

import uuid
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date, timedelta
from random import Random
from typing import Any

from gateway.sandbox.hubmis import lookups as lk
from gateway.sandbox.hubmis.lookups import Ref, ref


class Ids:
    """Sequential ids per kind that skip, and hand out on request, the ids the seed pins to named records."""

    def __init__(self, reserved: dict[str, dict[Hashable, int]], start: dict[str, int] | None = None) -> None:
        self._reserved = reserved
        self._taken = {kind: set(keys.values()) for kind, keys in reserved.items()}
        self._next = dict(start or {})

    def take(self, kind: str, key: Hashable) -> int:
        pinned = self._reserved.get(kind, {}).get(key)
        if pinned is not None:
            return pinned
        n = self._next.get(kind, 1)
        while n in self._taken.get(kind, ()):
            n += 1
        self._next[kind] = n + 1
        return n


@dataclass(slots=True)
class Term:
    id: int
    name: str
    start: date
    end: date


@dataclass(slots=True)
class Group:
    """A form, tutor group or subject set: a slice of its year group's roll (sorted by student id)."""

    id: int
    kind: str  # "form" | "tutor_group" | "subject_set"
    year_group: YearGroup
    members: slice
    label: str
    record: dict[str, Any] = field(default_factory=dict)
    subject: str | None = None
    staff: list[int] = field(default_factory=list)
    room: int | None = None
    slots: tuple[tuple[int, int], ...] = ()  # (day index, period index) in the weekly timetable

    def student_ids(self) -> list[int]:
        return self.year_group.members[self.members]

    def count(self) -> int:
        return len(range(*self.members.indices(len(self.year_group.members))))

    def ref(self) -> Ref:
        return ref(self.id, self.record["name"], self.record["code"])


@dataclass(slots=True)
class YearGroup:
    id: int
    number: int  # 7..13
    year: Year
    section: str  # section code
    members: list[int] = field(default_factory=list)
    forms: list[Group] = field(default_factory=list)
    tutor_groups: list[Group] = field(default_factory=list)
    # per curriculum block: (slots, [(subject, m, c, sets)])
    blocks: list[tuple[tuple[tuple[int, int], ...], list[tuple[str, int, int, list[Group]]]]] = field(
        default_factory=list)
    uuid: str = ""
    record: dict[str, Any] = field(default_factory=dict)

    @property
    def key_stage(self) -> str:
        return lk.KEY_STAGES[self.number]

    def ref(self) -> Ref:
        return ref(self.id, f"Year {self.number}", f"Y{self.number}")


@dataclass(slots=True)
class Year:
    """One academic year and everything scoped to it."""

    id: int
    start_year: int
    start: date
    end: date
    active: bool
    terms: list[Term]
    year_groups: list[YearGroup] = field(default_factory=list)
    roll: dict[int, tuple[YearGroup, int]] = field(default_factory=dict)  # student id -> (year group, rank)
    departments: dict[str, dict[str, Any]] = field(default_factory=dict)  # code -> record
    subjects: dict[str, dict[str, Any]] = field(default_factory=dict)  # code -> record
    # forms, tutor groups and subject sets by kind, then id
    groups: dict[str, dict[int, Group]] = field(
        default_factory=lambda: {"form": {}, "tutor_group": {}, "subject_set": {}})

    @property
    def name(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    def ref(self) -> Ref:
        return {"id": self.id, "name": self.name, "code": f"{self.start_year}-{(self.start_year + 1) % 100:02d}",
                "is_active": self.active}

    def school_days(self, until: date | None = None) -> list[date]:
        days = []
        for term in self.terms:
            day = term.start
            while day <= term.end and (until is None or day <= until):
                if day.weekday() < 5:
                    days.append(day)
                day += timedelta(days=1)
        return days

    def in_term(self, day: date) -> bool:
        return day.weekday() < 5 and any(t.start <= day <= t.end for t in self.terms)


def _weekday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def _weekday_on_or_before(day: date) -> date:
    return day - timedelta(days=day.weekday() - 4) if day.weekday() >= 5 else day


def active_start_year(today: date) -> int:
    """The calendar year in which the academic year containing ``today`` began (years run September-August)."""
    return today.year if today >= date(today.year, 9, 1) else today.year - 1


def build_years(today: date, ids: Ids) -> list[Year]:
    """The previous and the active academic year (1 September to 31 August), with three terms each."""
    active_start = active_start_year(today)
    years = []
    for start_year in (active_start - 1, active_start):
        y = start_year
        terms = [
            Term(0, "Autumn Term", _weekday_on_or_after(date(y, 9, 3)), _weekday_on_or_before(date(y, 12, 18))),
            Term(0, "Spring Term", _weekday_on_or_after(date(y + 1, 1, 5)), _weekday_on_or_before(date(y + 1, 3, 26))),
            Term(0, "Summer Term", _weekday_on_or_after(date(y + 1, 4, 19)), _weekday_on_or_before(date(y + 1, 7, 16))),
        ]
        for term in terms:
            term.id = ids.take("term", (start_year, term.name))
        # Ids count academic years since the school joined HUBmis (2020/21 = 1).
        years.append(Year(start_year - 2019, start_year, date(y, 9, 1), date(y + 1, 8, 31),
                          start_year == active_start, terms))
    return years


def build_year_groups(year: Year, ids: Ids, rng: Random) -> None:
    sections = {n: code for code, _, numbers in lk.SECTIONS for n in numbers}
    for number in range(7, 14):
        yg = YearGroup(ids.take("year_group", (year.start_year, number)), number, year, sections[number])
        yg.uuid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        year.year_groups.append(yg)


def build_departments(year: Year, ids: Ids, staff: dict[str, list[Ref]]) -> None:
    """Departments and subjects of one year (HUBmis copies them year to year, with new ids).

    ``staff`` holds staff refs by subject code and by department code; the first of each leads it.
    """
    for code, (name, subject_codes) in lk.DEPARTMENTS.items():
        dept_id = ids.take("department", (year.start_year, code))
        subjects = []
        for s in subject_codes:
            s_name, alt, _ = lk.SUBJECTS[s]
            subject_id = ids.take("subject", (year.start_year, s))
            year.subjects[s] = {"id": subject_id, "academic_year": year.ref(), "alternative_name": alt, "code": s,
                                "department": ref(dept_id, name, code), "name": s_name, "can_copy": not year.active,
                                "subject_heads": staff.get(s, [])[:1]}
            subjects.append(ref(subject_id, s_name, s))
        year.departments[code] = {"id": dept_id, "academic_year": year.ref(), "code": code,
                                  "department_heads": staff.get(code, [])[:1], "name": name, "subjects": subjects,
                                  "can_copy": not year.active}


def build_sections(ids: Ids, heads: list[Ref], current: Year) -> dict[int, dict[str, Any]]:
    sections = {}
    for position, (code, name, numbers) in enumerate(lk.SECTIONS, start=1):
        section_id = ids.take("section", code)
        sections[section_id] = {
            "id": section_id, "code": code, "name": name, "section_heads": heads[position - 1:position],
            "year_groups": [yg.ref() for yg in current.year_groups if yg.number in numbers], "position": position,
        }
    return sections


def build_rooms(ids: Ids, students: int) -> tuple[dict[int, dict[str, Any]], dict[str, list[int]]]:
    """Teaching rooms by department; more of them for a bigger school. Room 123 is the seed's Maths room."""
    per_dept = {"ENG": ("E", 1, 4), "MAT": ("M", 1, 4), "SCI": ("S", 2, 6), "HUM": ("H", 1, 5), "MFL": ("L", 1, 3),
                "DT": ("T", 5, 2), "PA": ("D", 3, 3)}
    extra = students // 600
    rooms: dict[int, dict[str, Any]] = {}
    by_dept: dict[str, list[int]] = {}
    for dept, (letter, location, count) in per_dept.items():
        dept_name = lk.DEPARTMENTS[dept][0]
        for n in range(1, count + extra + 1):
            room_id = ids.take("room", (dept, n))
            code = f"{letter}{n}"
            rooms[room_id] = {
                "id": room_id, "description": f"Standard room assigned to {dept_name} department",
                "location": lk.LOCATIONS[location - 1], "room_capacity": 30 if dept != "SCI" else 24,
                "room_code": code, "telephone_extension": f"x{room_id}", "timetable_code": code,
            }
            by_dept.setdefault(dept, []).append(room_id)
    rooms[123] = {"id": 123, "description": "Standard room assigned to Maths department", "location": lk.LOCATIONS[0],
                  "room_capacity": 50, "room_code": "Maths room", "telephone_extension": "x123",
                  "timetable_code": "12355AAXP4"}
    by_dept["MAT"].insert(0, 123)
    return rooms, by_dept


def build_houses(ids: Ids) -> dict[int, dict[str, Any]]:
    """Academic houses (every student) and boarding houses (boarders only); house 9 is the seed's Green House."""
    houses: dict[int, dict[str, Any]] = {}
    colours = iter(lk.HOUSE_COLOURS)
    for name, code, active in lk.ACADEMIC_HOUSES:
        house_id = ids.take("house", code)
        houses[house_id] = _house(house_id, name, code, "academic", [], 400, next(colours), active)
    for name, code, genders in lk.BOARDING_HOUSES:
        house_id = ids.take("house", code)
        houses[house_id] = _house(house_id, name, code, "boarding", [lk.GENDERS[g] for g in genders], 60,
                                  next(colours), True)
    houses[9].update(max_students=100, system_profile_image="aqua")
    return houses


def _house(house_id: int, name: str, code: str, kind: str, genders: list[Ref], max_students: int, colour: str,
           active: bool) -> dict[str, Any]:
    return {"id": house_id, "address": None, "code": code, "genders": genders, "house_parents": [],
            "house_type": kind, "images": [], "max_students": max_students, "name": name, "note": None,
            "phone": None, "profile_image": {"url": None}, "staff": [], "system_profile_image": colour,
            "is_active": active}
