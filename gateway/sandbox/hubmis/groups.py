"""Forms, tutor groups and subject sets of each year group, with their staff, rooms and weekly timetable slots.

Membership is arithmetic over a year group's roll (student ids in ascending order), so it costs
nothing per student: form ``j`` takes ranks ``j, j+k, ...``; tutor groups take contiguous runs; a
subject set takes every ``m*k``-th student of those whose rank matches the option. Seed student 56
has the lowest id, so he sits at rank 0 of Year 9: form 9A (93), tutor group TG09X (98), set ENG9A (25).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from random import Random
from typing import Any

from gateway.sandbox.hubmis import lookups as lk
from gateway.sandbox.hubmis.lookups import Ref
from gateway.sandbox.hubmis.school import Group, Ids, Year, YearGroup

FORM_SIZE, TUTOR_SIZE, SET_SIZE = 20, 16, 24
TUTOR_LABELS = "XYZWVUTSRQPONMLKJIHGFEDCBA"


def label(n: int, alphabet: str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ") -> str:
    """A, B, ..., Z, AA, AB, ... (spreadsheet-column style), for schools bigger than 26 groups."""
    out = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, len(alphabet))
        out = alphabet[rest] + out
    return out


class Staffing:
    """Hands out teachers, tutors and rooms round-robin, and remembers who got what (for staff filters)."""

    def __init__(self, teachers: dict[str, list[int]], everyone: list[int], rooms: dict[str, list[int]],
                 staff_ref: Callable[[int], Ref]) -> None:
        self.teachers, self.everyone, self.rooms, self.staff_ref = teachers, everyone, rooms, staff_ref
        self._turn: dict[str, int] = {}
        self.links: dict[int, dict[str, set[int]]] = {}  # staff id -> kind -> ids (forms, subjectSets, ...)

    def next(self, pool_name: str, pool: list[int]) -> int | None:
        if not pool:
            return None
        turn = self._turn.get(pool_name, 0)
        self._turn[pool_name] = turn + 1
        return pool[turn % len(pool)]

    def teacher_for(self, subject: str) -> int | None:
        dept = next(d for d, (_, subjects) in lk.DEPARTMENTS.items() if subject in subjects)
        pool = self.teachers.get(subject) or self.teachers.get(dept) or self.everyone
        return self.next(f"t:{subject}", pool)

    def link(self, staff_id: int | None, **kinds: int) -> None:
        if staff_id is None:
            return
        links = self.links.setdefault(staff_id, {})
        for kind, value in kinds.items():
            links.setdefault(kind, set()).add(value)


def _group_record(group: Group, year: Year, code: str, name: str, short: str, timetable_code: str,
                  staffing: Staffing, rooms: dict[int, dict[str, Any]]) -> dict[str, Any]:
    return {
        "academic_year": year.ref(), "code": code, "max_students": 40, "name": name,
        "rooms": [_room_ref(rooms[group.room])] if group.room else [], "short_description": short,
        "staff": [staffing.staff_ref(s) for s in group.staff], "staff_report_writers": [],
        "student_count": group.count(), "timetable_code": timetable_code, "id": group.id,
    }


def _room_ref(room: dict[str, Any]) -> Ref:
    return {"id": room["id"], "name": room["room_code"], "code": room["timetable_code"]}


def build_groups(year: Year, ids: Ids, rng: Random, staffing: Staffing, rooms: dict[int, dict[str, Any]],
                 sections: dict[str, Ref]) -> None:
    """Fill every year group of ``year`` (whose roll is complete) with forms, tutor groups and subject sets."""
    for yg in year.year_groups:
        n, num = len(yg.members), yg.number
        section = sections[yg.section]
        for j in range(max(1, math.ceil(n / FORM_SIZE))):
            letter = label(j)
            form = Group(ids.take("form", (year.start_year, num, letter)), "form", yg, slice(j, None,
                         max(1, math.ceil(n / FORM_SIZE))), letter)
            form.staff = [s for s in (staffing.next("tutor", staffing.everyone),) if s is not None]
            form.room = staffing.next("form-room", [r for dept in staffing.rooms.values() for r in dept])
            form.record = _group_record(form, year, f"{num}{letter}", f"Form {num}{letter}",
                                        f"Year {num} form group {letter}", f"{num}{letter}", staffing, rooms)
            form.record.update(section=section, year_group=yg.ref(), student_representatives=[])
            yg.forms.append(form)
        k = max(1, math.ceil(n / TUTOR_SIZE))
        for j in range(k):
            tag = label(j, TUTOR_LABELS)
            bounds = slice(math.ceil(j * n / k), math.ceil((j + 1) * n / k))
            tutor = Group(ids.take("tutor_group", (year.start_year, num, tag)), "tutor_group", yg, bounds, tag)
            tutor.staff = [s for s in (staffing.next("tutor", staffing.everyone),) if s is not None]
            tutor.room = yg.forms[j % len(yg.forms)].room
            name = f"Year {num} Tutor Group {tag}"
            tutor.record = _group_record(tutor, year, f"TG{num:02d}{tag}", name, name, f"TG{num}{tag}", staffing,
                                         rooms)
            tutor.record["section"] = section
            yg.tutor_groups.append(tutor)
        _build_sets(year, yg, ids, rng, staffing, rooms, section)
        for group in (*yg.forms, *yg.tutor_groups):
            year.groups[group.kind][group.id] = group
            for staff_id in group.staff:
                staffing.link(staff_id, **{"form" if group.kind == "form" else "tutorGroup": group.id},
                              yearGroup=yg.id, section=section["id"])


def _build_sets(year: Year, yg: YearGroup, ids: Ids, rng: Random, staffing: Staffing,
                rooms: dict[int, dict[str, Any]], section: Ref) -> None:
    blocks = lk.CURRICULUM[yg.key_stage]
    # Deal each block's periods into the 30 weekly slots; sixth formers get free periods in the rest.
    slots = [(d, p) for d in range(len(lk.DAYS)) for p in range(len(lk.PERIODS))]
    Random(f"{year.start_year}:{yg.number}:{rng.random()}").shuffle(slots)
    n = len(yg.members)
    cursor = 0
    for options, periods in blocks:
        block_slots = tuple(sorted(slots[cursor:cursor + periods]))
        cursor += periods
        entries = []
        for subject, m, c in options:
            takers = len(range(c, n, m))
            k = max(1, math.ceil(takers / SET_SIZE))
            subject_name, _, prefix = lk.SUBJECTS[subject]
            dept = next(d for d, (_, subjects) in lk.DEPARTMENTS.items() if subject in subjects)
            sets = []
            for j in range(k):
                tag = label(j)
                group = Group(ids.take("subject_set", (year.start_year, yg.number, subject, j)), "subject_set", yg,
                              slice(c + m * j, None, m * k), tag, subject=subject, slots=block_slots)
                group.staff = [s for s in (staffing.teacher_for(subject),) if s is not None]
                group.room = staffing.next(f"room:{dept}", staffing.rooms[dept])
                group.record = _group_record(
                    group, year, f"{prefix.upper()}{yg.number}{tag}", f"{subject_name} {yg.number}{tag}",
                    f"{subject_name} class year {yg.number} group {tag}", f"{yg.number}{tag}{prefix}", staffing, rooms)
                group.record.update(
                    credit_score=periods * 4, date_start=year.terms[0].start.isoformat(),
                    date_end=year.terms[-1].end.isoformat(), qualification=_qualification(yg.number),
                    section=section, subject={"id": year.subjects[subject]["id"], "name": subject_name,
                                              "code": subject}, year_group=yg.ref())
                year.groups["subject_set"][group.id] = group
                for staff_id in group.staff:
                    staffing.link(staff_id, subjectSet=group.id, subject=year.subjects[subject]["id"],
                                  department=year.departments[dept]["id"], yearGroup=yg.id, section=section["id"])
                sets.append(group)
            entries.append((subject, m, c, sets))
        yg.blocks.append((block_slots, entries))


def _qualification(number: int) -> Ref | None:
    if number in (10, 11):
        return {"id": 2, "name": "GCSE", "code": "GCSE"}
    if number in (12, 13):
        return {"id": 3, "name": "A Level", "code": "GCE"}
    return None


def student_form(year: Year, student_id: int) -> tuple[YearGroup, Group] | None:
    """Year group and form of a student in ``year``; None when not on roll."""
    placed = year.roll.get(student_id)
    if placed is None:
        return None
    yg, rank = placed
    return yg, yg.forms[rank % len(yg.forms)]


def student_groups(year: Year, student_id: int) -> tuple[YearGroup, Group, Group, list[Group]] | None:
    """Year group, form, tutor group and subject sets of a student in ``year``; None when not on roll."""
    placed = year.roll.get(student_id)
    if placed is None:
        return None
    yg, rank = placed
    n = len(yg.members)
    form = yg.forms[rank % len(yg.forms)]
    tutor = yg.tutor_groups[min(len(yg.tutor_groups) - 1, rank * len(yg.tutor_groups) // n)]
    sets = []
    for _, entries in yg.blocks:
        for _, m, c, groups in entries:
            if rank % m == c:
                sets.append(groups[(rank // m) % len(groups)])
    return yg, form, tutor, sets


def year_of(years: list[Year], day: date) -> Year | None:
    return next((y for y in years if y.start <= day <= y.end), None)
