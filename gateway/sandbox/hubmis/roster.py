"""Build the whole HUBmis school from the world: staff, structure, the roll of each year, contacts.

Everything is derived in one pass, in id order, from the world and one seeded random stream, so the
same seed always yields the same school. Year-dependent student fields (form, houses) are filled for
the active year here; ``view_student`` re-renders them for another year on request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from random import Random
from typing import Any

from gateway.sandbox.hubmis import lookups as lk
from gateway.sandbox.hubmis import people as pp
from gateway.sandbox.hubmis.groups import Staffing, build_groups, student_form
from gateway.sandbox.hubmis.lookups import Ref
from gateway.sandbox.hubmis.school import (
    Group,
    Ids,
    Year,
    YearGroup,
    active_start_year,
    build_departments,
    build_houses,
    build_rooms,
    build_sections,
    build_year_groups,
    build_years,
)
from gateway.sandbox.world import HUBMIS, World


def _reserved(active_start: int) -> dict[str, dict[Any, int]]:
    """Records seed 002 shows, under the ids it gives them (in the active year where year-scoped)."""
    return {
        "year_group": {(active_start, 9): 8}, "form": {(active_start, 9, "A"): 93},
        "tutor_group": {(active_start, 9, "X"): 98}, "subject_set": {(active_start, 9, "EN", 0): 25},
        "department": {(active_start, "SCI"): 3}, "subject": {(active_start, "MATH"): 33, (active_start, "BY"): 88},
        "section": {"MS": 5}, "house": {"GH": 9}, "room": {"seed maths room": 123},
        "contact": {(pp.SEED_STUDENT, 0): pp.SEED_CONTACT},
    }


@dataclass
class School:
    seed: int
    today: date
    years: list[Year]  # previous, active
    staffing: Staffing
    sections: dict[int, dict[str, Any]] = field(default_factory=dict)
    houses: dict[int, dict[str, Any]] = field(default_factory=dict)
    house_staff: dict[tuple[int, int], tuple[list[Ref], list[Ref]]] = field(default_factory=dict)
    rooms: dict[int, dict[str, Any]] = field(default_factory=dict)
    students: dict[int, pp.StudentInfo] = field(default_factory=dict)
    staff: dict[int, pp.StaffInfo] = field(default_factory=dict)
    contacts: dict[int, dict[str, Any]] = field(default_factory=dict)
    contact_haystacks: dict[int, str] = field(default_factory=dict)

    @property
    def active(self) -> Year:
        return self.years[-1]

    def year(self, year_id: int) -> Year | None:
        return next((y for y in self.years if y.id == year_id), None)

    def group(self, kind: str, group_id: int) -> Group | None:
        """A form, tutor group or subject set of any year (ids are unique per kind across years)."""
        return next((y.groups[kind][group_id] for y in self.years if group_id in y.groups[kind]), None)

    def year_group(self, year_group_id: int) -> YearGroup | None:
        return next((yg for y in self.years for yg in y.year_groups if yg.id == year_group_id), None)

    def staff_ref(self, staff_id: int) -> Ref:
        return pp.person_ref(self.staff[staff_id].person, staff_id)

    def view_student(self, info: pp.StudentInfo, year: Year) -> dict[str, Any]:
        """The student record as shown for ``year`` (the stored record is the active year's)."""
        if year is self.active:
            return info.record
        record = dict(info.record)
        record.update(self.year_fields(info, year))
        return record

    def year_fields(self, info: pp.StudentInfo, year: Year) -> dict[str, Any]:
        placed = student_form(year, info.id)
        if placed is None:
            return {"form": None, "academic_house": None, "boarding_house": None}
        yg, form = placed
        return {"form": {**form.ref(), "year_group": yg.ref()},
                "academic_house": _house_ref(self.houses, info.academic_house),
                "boarding_house": _house_ref(self.houses, info.boarding_house)}


def _house_ref(houses: dict[int, dict[str, Any]], house_id: int | None) -> Ref | None:
    if house_id is None:
        return None
    house = houses[house_id]
    return {"id": house_id, "name": house["name"], "code": house["code"], "house_type": house["house_type"]}


def build_school(world: World, seed: int, rng: Random) -> School:
    """Everything the HUBmis simulator serves, in an order that keeps every id and draw stable for a seed."""
    ids = Ids(_reserved(active_start_year(world.today)), start={"room": 101, "contact": 100})
    years = build_years(world.today, ids)
    for year in years:
        build_year_groups(year, ids, rng)
    staff = _staff(world, rng)
    current = [s.id for s in staff.values() if s.status == "current"]
    teachers: dict[str, list[int]] = {}
    for s in staff.values():
        if s.status == "current":
            teachers.setdefault(s.subject, []).append(s.id)
            teachers.setdefault(s.department, []).append(s.id)
    rooms, rooms_by_dept = build_rooms(ids, len(world.students(HUBMIS)))
    school = School(seed, world.today, years, Staffing(teachers, current, rooms_by_dept, lambda i: school.staff_ref(i)),
                    rooms=rooms)
    school.staff = staff
    refs = {key: [school.staff_ref(i) for i in pool] for key, pool in teachers.items()}
    for year in years:
        build_departments(year, ids, refs)
        for s in staff.values():
            school.staffing.link(s.id, department=year.departments[s.department]["id"],
                                 subject=year.subjects[s.subject]["id"])
    heads = [school.staff_ref(i) for i in current[:3]]
    school.sections = build_sections(ids, heads, years[-1])
    section_refs = {s["code"]: {"id": s["id"], "name": s["name"], "code": s["code"]} for s in school.sections.values()}
    school.houses = build_houses(ids)
    _place_students(school, world, rng, ids)
    for year in years:
        build_groups(year, ids, rng, school.staffing, rooms, section_refs)
        _year_group_records(school, year, section_refs)
        _house_staff(school, year)
    for info in school.students.values():
        info.record = pp.student_record(info, rng, world.today)
        info.record.update(school.year_fields(info, school.active))
    _staff_records(school, rng)
    return school


def _staff(world: World, rng: Random) -> dict[int, pp.StaffInfo]:
    staff = {}
    initials: dict[str, int] = {}
    for p in sorted(world.staff(HUBMIS), key=lambda p: p.hubmis_id or 0):
        assert p.hubmis_id is not None
        subject = lk.STAFF_SUBJECT.get(p.department or "", "HI")
        status = "past" if rng.random() < 0.05 else "current"
        if p.hubmis_id == pp.SEED_STAFF:
            subject, status = "DR", "current"
        dept = next(d for d, (_, subjects) in lk.DEPARTMENTS.items() if subject in subjects)
        staff[p.hubmis_id] = pp.StaffInfo(p.hubmis_id, p, subject, dept, status,
                                          haystack=pp.haystack(p.first_name, p.middle_name, p.last_name,
                                                               p.preferred_name, p.key, p.hubmis_id, p.email))
        letters = (p.first_name[0] + p.last_name[0]).upper()
        initials[letters] = initials.get(letters, 0) + 1
        staff[p.hubmis_id].timetable_code = f"{letters}{initials[letters]}"
    return staff


def _place_students(school: School, world: World, rng: Random, ids: Ids) -> None:
    """Status, year group in each year, boarding and houses, and parents, for every HUBmis student."""
    previous, active = school.years
    academic = [h["id"] for h in school.houses.values() if h["house_type"] == "academic" and h["is_active"]]
    boarding = {g: [h["id"] for h in school.houses.values() if h["house_type"] == "boarding"
                    and any(x["code"] == g for x in h["genders"])] for g in lk.GENDERS}
    relation_id = 0
    students = sorted(world.students(HUBMIS), key=lambda p: p.hubmis_id or 0)
    statuses = {p.key: {"GR": "past", "WD": "past", "AD": "applicant"}.get(p.status or "", "current") for p in students}
    # The world's students are university-aged; spread the current ones over Years 7-13 by age, youngest in
    # Year 7, so year groups at least follow dates of birth.
    youngest_first = sorted((p for p in students if statuses[p.key] == "current"),
                            key=lambda p: (p.date_of_birth, p.key), reverse=True)
    year_of = {p.key: 7 + 7 * rank // len(youngest_first) for rank, p in enumerate(youngest_first)}
    for p in students:
        assert p.hubmis_id is not None
        sid = p.hubmis_id
        status = statuses[p.key]
        now = prev = None
        if status == "current":
            now = 9 if sid == pp.SEED_STUDENT else year_of[p.key]
            joined_late = now in (7, 12) and (now == 7 or rng.random() < 0.2)
            prev = None if joined_late else now - 1
        elif status == "past":
            prev = 13 if p.status == "GR" else rng.randint(7, 12)
        if status == "applicant":
            start_year = active.start_year + 1
        elif now is not None:
            start_year = active.start_year - (now - 7 if prev is not None else 0)
        else:
            start_year = previous.start_year - ((prev or 7) - 7)
        btype = lk.BOARDING.pick(rng)
        info = pp.StudentInfo(
            sid, p, status, start_year, btype, rng.choice(academic),
            rng.choice(boarding[p.gender]) if btype["id"] != 1 else None,
            haystack=pp.haystack(p.first_name, p.middle_name, p.last_name, p.preferred_name, p.key, sid, p.email),
        )
        if status == "past":
            info.destination = rng.choice(lk.DESTINATIONS)["id"]
        for year, number in ((previous, prev), (active, now)):
            if number is not None:
                yg = year.year_groups[number - 7]
                year.roll[sid] = (yg, len(yg.members))
                yg.members.append(sid)
        for n, relationship in enumerate(("Mother", "Father")[:rng.choice((1, 2, 2))]):
            relation_id += 1
            contact_id = ids.take("contact", (sid, n))
            info.contacts.append((relation_id, contact_id, relationship))
            _contact(school, rng, contact_id, p, sid, relationship, status)
        school.students[sid] = info


def _contact(school: School, rng: Random, contact_id: int, child: Any, sid: int, relationship: str,
             student_status: str) -> None:
    gender = "F" if relationship == "Mother" else "M"
    first = rng.choice(lk.PARENT_NAMES[gender])
    last = child.last_name if rng.random() < 0.85 else rng.choice(lk.PARENT_NAMES["M"]) + "son"
    title = "Mr" if gender == "M" else rng.choice(("Mrs", "Ms"))
    email = f"{first}.{last}@{rng.choice(lk.EMAIL_DOMAINS)}".lower().replace(" ", "")
    access = lk.CONTACT_ACCESS.pick(rng)
    # Parents of leavers stay on file but inactive.
    status = "inactive" if student_status == "past" else "active"
    record = pp.contact_record(contact_id, first, last, gender, title, email, [pp.person_ref(child, sid)],
                               access if status == "active" else "no_access", status)
    school.contact_haystacks[contact_id] = pp.haystack(record["first_name"], record["last_name"],
                                                       record["primary_email"], contact_id)
    school.contacts[contact_id] = record


def _year_group_records(school: School, year: Year, sections: dict[str, Ref]) -> None:
    for yg in year.year_groups:
        yg.record = {
            "id": yg.id, "academic_year": year.ref(), "code": f"Y{yg.number}", "dfe_year": str(yg.number),
            "final_year": yg.number == 13, "form_count": len(yg.forms), "key_stage": yg.key_stage,
            "max_students": max(500, -(-len(yg.members) * 11 // 1000) * 100), "name": f"Year {yg.number}",
            "position": yg.number - 4, "section": sections[yg.section], "status": "active",
            "total_student_count": len(yg.members), "uuid": yg.uuid,
            "year_group_heads": [school.staff_ref(s) for s in (school.staffing.next("head", school.staffing.everyone),)
                                 if s is not None],
        }
        if yg.id == 8 and year.active:
            # Seed 002's sample values (its dfe_year and key_stage look like placeholders; kept as printed).
            yg.record.update(dfe_year="1", key_stage="KS5", max_students=500,
                             uuid="28db8526-dc32-4d18-9093-cde010d15b0b")


def _house_staff(school: School, year: Year) -> None:
    everyone = school.staffing.everyone
    for house in school.houses.values():
        rng = Random(f"hubmis:house:{school.seed}:{year.id}:{house['id']}")
        chosen = rng.sample(everyone, k=min(len(everyone), 3))
        refs = [school.staff_ref(s) for s in chosen]
        parents, staff = (refs[:2], refs[2:]) if house["house_type"] == "boarding" else ([], refs[:1])
        school.house_staff[(year.id, house["id"])] = (parents, staff)


def _staff_records(school: School, rng: Random) -> None:
    active = school.active
    houses_of: dict[int, list[int]] = {}
    for (year_id, house_id), (parents, staff) in school.house_staff.items():
        for r in (*parents, *staff) if year_id == active.id else ():
            houses_of.setdefault(r["id"], []).append(house_id)
    for info in school.staff.values():
        record = pp.staff_record(info, rng, pp.staff_title(info.person, rng))
        links = school.staffing.links.get(info.id, {})
        groups = [active.groups[kind][g] for link, kind in (("form", "form"), ("tutorGroup", "tutor_group"),
                                                            ("subjectSet", "subject_set"))
                  for g in sorted(links.get(link, ())) if g in active.groups[kind]]
        dept = active.departments[info.department]
        record["departments"] = [{"id": dept["id"], "name": dept["name"], "code": dept["code"]}]
        record["forms"] = [g.ref() for g in groups if g.kind == "form"]
        record["sections"] = [{"id": s, "name": school.sections[s]["name"], "code": school.sections[s]["code"]}
                              for s in sorted(links.get("section", ()))]
        record["rooms"] = [{"id": r, "name": school.rooms[r]["room_code"], "code": school.rooms[r]["timetable_code"]}
                           for r in sorted({g.room for g in groups if g.kind == "subject_set" and g.room})][:3]
        for kind in ("academic", "boarding"):
            record[f"{kind}_houses"] = [_house_ref(school.houses, h) for h in sorted(houses_of.get(info.id, []))
                                        if school.houses[h]["house_type"] == kind]
        roles = [lk.ROLES["teacher"]] if info.status == "current" else []
        if any(h["id"] == info.id for h in dept["department_heads"]):
            roles.append(lk.ROLES["hod"])
        if record["forms"] or links.get("tutorGroup"):
            roles.append(lk.ROLES["tutor"])
        if record["boarding_houses"]:
            roles.append(lk.ROLES["hsm"])
        record["roles"] = roles
        info.record = record
