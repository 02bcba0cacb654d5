"""HUBmis student routes: lists, one student, and the per-student sub-resources."""

from __future__ import annotations

from datetime import UTC
from random import Random
from typing import Any

from starlette.responses import Response

from gateway.sandbox.hubmis import lessons
from gateway.sandbox.hubmis import lookups as lk
from gateway.sandbox.hubmis import people as pp
from gateway.sandbox.hubmis import query as q
from gateway.sandbox.hubmis.core import HubmisCore, endpoint, ok
from gateway.sandbox.hubmis.groups import student_groups
from gateway.sandbox.hubmis.roster import School
from gateway.sandbox.hubmis.school import Year
from gateway.sandbox.simulator import Call

STUDENT_FILTERS: dict[str, q.Kind] = {
    "gender": "int", "academicYear": "int", "boardingType": "int", "form": "int", "yearGroup": "int",
    "enrolmentStatus": ("current", "past", "applicant"), "house": "int", "tutorGroup": "int",
}
HOUSE_STUDENT_FILTERS = {k: STUDENT_FILTERS[k] for k in ("gender", "boardingType", "form", "yearGroup")}


def _year_number(record: dict[str, Any]) -> int | None:
    return int(record["form"]["year_group"]["code"][1:]) if record["form"] else None


STUDENT_SORTS = {
    "id": lambda r: r["id"], "firstName": lambda r: r["first_name"].lower(),
    "lastName": lambda r: r["last_name"].lower(),
    "preferredName": lambda r: (r["preferred_name"] or "").lower() or None,
    "dateOfBirth": lambda r: r["date_of_birth"], "externalId": lambda r: r["external_id"], "yearGroup": _year_number,
    "form": lambda r: (_year_number(r), len(r["form"]["code"]), r["form"]["code"]) if r["form"] else None,
}


def select_students(school: School, year: Year, filters: dict[str, Any], terms: list[str]) -> list[dict[str, Any]]:
    """Student records shown for ``year`` that pass every filter and search word, in id order."""
    infos: Any = school.students.values()
    for kind, name in (("form", "form"), ("tutor_group", "tutorGroup")):
        if name in filters:
            group = school.group(kind, filters[name])
            infos = [school.students[i] for i in group.student_ids()] if group else []
    if "yearGroup" in filters:
        yg = school.year_group(filters["yearGroup"])
        wanted = set(yg.members) if yg else set()
        infos = [i for i in infos if i.id in wanted]
    if "academicYear" in filters:
        on_roll = school.year(filters["academicYear"])
        if on_roll is None:
            raise q.invalid("filter.academicYear", "The selected filter.academicYear is invalid.")
        infos = [i for i in infos if i.id in on_roll.roll]
    status, gender, boarding = filters.get("enrolmentStatus"), filters.get("gender"), filters.get("boardingType")
    house = filters.get("house")
    out = []
    for info in infos:
        if (status and info.status != status) or (boarding is not None and info.boarding_type["id"] != boarding):
            continue
        if gender is not None and info.record["gender"]["id"] != gender:
            continue
        if house is not None and (info.id not in year.roll or house not in (info.academic_house, info.boarding_house)):
            continue
        if terms and not q.matches(info.haystack, terms):
            continue
        out.append(school.view_student(info, year))
    return out


class StudentRoutes(HubmisCore):
    """Handlers for /students and its sub-resources."""

    def student(self, call: Call) -> pp.StudentInfo:
        student_id = self.path_id(call)
        info = self.school.students.get(student_id)
        if info is None:
            raise self.not_found("Student", student_id)
        return info

    @endpoint("list_students", year_sensitive=True)
    async def list_students(self, call: Call, year: Year) -> Response:
        filters = q.parse_filters(call.query, STUDENT_FILTERS)
        sorts = q.parse_sort(call.query, STUDENT_SORTS)
        page = q.parse_page(call.query)
        records = select_students(self.school, year, filters, q.search_terms(call.query))
        return ok(q.paginate(q.apply_sort(records, sorts), page))

    @endpoint("list_past_students")
    async def list_past_students(self, call: Call, year: Year) -> Response:
        filters = q.parse_filters(call.query, {"gender": "int", "destinationSchool": "int"})
        q.parse_sort(call.query, {})
        page = q.parse_page(call.query)
        terms = q.search_terms(call.query)
        gender, destination = filters.get("gender"), filters.get("destinationSchool")
        records = [
            info.record for info in self.school.students.values()
            if info.status == "past" and (gender is None or info.record["gender"]["id"] == gender)
            and (destination is None or info.destination == destination) and q.matches(info.haystack, terms)
        ]
        return ok(q.paginate(records, page))

    @endpoint("get_student", year_sensitive=True)
    async def get_student(self, call: Call, year: Year) -> Response:
        return ok(self.school.view_student(self.student(call), year))

    @endpoint("get_student_consent")
    async def get_student_consent(self, call: Call, year: Year) -> Response:
        return ok(pp.consent(self.student(call).id, self.school.seed))

    @endpoint("get_student_enrolment")
    async def get_student_enrolment(self, call: Call, year: Year) -> Response:
        info = self.student(call)
        placed = year.roll.get(info.id)
        return ok(pp.enrolment(info, self.school.seed, placed[0].number if placed else None))

    @endpoint("get_student_destination")
    async def get_student_destination(self, call: Call, year: Year) -> Response:
        info = self.student(call)
        previous = self.school.years[0]
        placed = previous.roll.get(info.id)
        if info.status != "past" or placed is None:
            return ok({"leaving_status": None, "leaving_date": None, "term": None, "academic_year": None,
                       "destination_start_date": None, "destination": None, "key_stage": None})
        days = previous.school_days()
        # Year 13 leave at the end of the summer term; others part-way through the year.
        left = days[-1] if placed[0].number == 13 else Random(f"hubmis:left:{self.school.seed}:{info.id}").choice(days)
        term = next(t for t in previous.terms if t.start <= left <= t.end)
        destination = next(d for d in lk.DESTINATIONS if d["id"] == info.destination)
        return ok({"leaving_status": "Leaver", "leaving_date": left.isoformat(),
                   "term": {"id": term.id, "name": term.name, "code": None}, "academic_year": previous.ref(),
                   "destination_start_date": f"{previous.start_year + 1}-09-01" if placed[0].number == 13 else None,
                   "destination": destination, "key_stage": placed[0].key_stage})

    @endpoint("list_student_email_addresses")
    async def list_student_email_addresses(self, call: Call, year: Year) -> Response:
        info = self.student(call)
        p = info.person
        addresses = [(info.record["primary_email"], "school" if info.id != pp.SEED_STUDENT else "primary")]
        if info.id == pp.SEED_STUDENT:
            addresses.append((p.email, "school"))
        elif Random(f"hubmis:email:{self.school.seed}:{info.id}").random() < 0.4:
            addresses.append((f"{p.first_name}.{p.last_name}{info.id % 97}@example.com".lower(), "personal"))
        return ok(pp.email_addresses(info.id, addresses))

    @endpoint("list_student_contact_relations")
    async def list_student_contact_relations(self, call: Call, year: Year) -> Response:
        info = self.student(call)
        relations = []
        for priority, (relation_id, contact_id, relationship) in enumerate(info.contacts, start=1):
            c = self.school.contacts[contact_id]
            relations.append({
                "id": relation_id, "contact": {"id": c["id"], "first_name": c["first_name"],
                                               "last_name": c["last_name"], "title": c["title"]},
                "relationship_type": lk.RELATIONSHIP_TYPES[relationship], "priority": priority,
                "is_primary": priority == 1, "parental_responsibility": True,
                "lives_with_student": relation_id % 9 != 0, "receives_correspondence": True,
                "emergency_contact": True,
            })
        return ok(relations)

    @endpoint("list_student_academic_structure")
    async def list_student_academic_structure(self, call: Call, year: Year) -> Response:
        placed = student_groups(year, self.student(call).id)
        if placed is None:
            return ok([])
        yg, form, tutor, sets = placed
        rows = [(yg.ref(), "year_group"), (form.ref(), "form"), (tutor.ref(), "tutor_group")]
        rows += [(s.ref(), "subject_set") for s in sets]
        return ok([{**group, "group_type": kind, "academic_year": year.ref()} for group, kind in rows])

    @endpoint("get_student_attendance")
    async def get_student_attendance(self, call: Call, year: Year) -> Response:
        info = self.student(call)
        filters = q.parse_filters(call.query, {"attendanceCode": "id-or-code", "attendanceSession": ("am", "pm"),
                                               "dateTime": "datetime-range"})
        sorts = q.parse_sort(call.query, {
            "date": lambda m: m["date_time"], "description": lambda m: m["description"],
            "attendanceCode": lambda m: m["attendance_code"]["code"],
            "attendanceSession": lambda m: m["attendance_session"]})
        if info.id not in year.roll:
            return ok([])
        marks = lessons.attendance(self.school.seed, info.id, year, self.school.today)
        code, session = filters.get("attendanceCode"), filters.get("attendanceSession")
        window = filters.get("dateTime", {})
        low, high = (window[k].astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if k in window else None
                     for k in ("from", "to"))
        marks = [m for m in marks
                 if (code is None or code in (m["attendance_code"]["id"], m["attendance_code"]["code"]))
                 and (session is None or m["attendance_session"] == session)
                 and (low is None or m["date_time"] >= low) and (high is None or m["date_time"] <= high)]
        return ok(q.apply_sort(marks, sorts))

    @endpoint("get_student_timetable")
    async def get_student_timetable(self, call: Call, year: Year) -> Response:
        placed = student_groups(year, self.student(call).id)
        return ok({"timetables": lessons.periods(year, placed[3]) if placed else []})

    @endpoint("get_student_timetable_calendar")
    async def get_student_timetable_calendar(self, call: Call, year: Year) -> Response:
        info = self.student(call)
        start, end = q.date_window(call.query, lessons.MAX_CALENDAR_DAYS)

        def sets_in(y: Year) -> list[Any]:
            placed = student_groups(y, info.id)
            return placed[3] if placed else []

        return ok({"calendar": lessons.calendar(self.school.years, sets_in, start, end)})

