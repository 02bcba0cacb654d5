"""HUBmis staff and contact routes."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from gateway.sandbox.hubmis import lessons
from gateway.sandbox.hubmis import lookups as lk
from gateway.sandbox.hubmis import people as pp
from gateway.sandbox.hubmis import query as q
from gateway.sandbox.hubmis.core import HubmisCore, endpoint, ok
from gateway.sandbox.hubmis.school import Group, Year
from gateway.sandbox.simulator import Call

# filter name -> the staff link kind it checks (links hold the ids of every year)
_LINK_FILTERS = ("department", "section", "subject", "form", "subjectSet", "tutorGroup", "yearGroup")
STAFF_FILTERS: dict[str, q.Kind] = {**dict.fromkeys(_LINK_FILTERS, "int"), "status": "str", "gender": "int"}
STAFF_SORTS = {"id": lambda r: r["id"], "firstName": lambda r: r["first_name"].lower(),
               "lastName": lambda r: r["last_name"].lower(), "jobTitle": lambda r: (r["job_title"] or "").lower()}
# filter[status] is documented as a "Status ID": accept the id or the name.
_STAFF_STATUS = {"1": "current", "2": "past", "current": "current", "past": "past"}
_CONTACT_STATUS = {"1": "active", "2": "inactive", "active": "active", "inactive": "inactive"}


def _status(value: str, known: dict[str, str], field: str) -> str:
    if value.lower() not in known:
        raise q.invalid(field, f"The selected {field} is invalid; expected one of: "
                               f"{', '.join(sorted(set(known.values())))} (or their ids).")
    return known[value.lower()]


class StaffRoutes(HubmisCore):
    """Handlers for /staff and /contacts."""

    def staff_info(self, call: Call) -> pp.StaffInfo:
        staff_id = self.path_id(call)
        info = self.school.staff.get(staff_id)
        if info is None:
            raise self.not_found("Staff", staff_id)
        return info

    def taught_sets(self, staff_id: int, year: Year) -> list[Group]:
        sets = year.groups["subject_set"]
        return [sets[g] for g in sorted(self.school.staffing.links.get(staff_id, {}).get("subjectSet", ()))
                if g in sets]

    @endpoint("list_staff")
    async def list_staff(self, call: Call, year: Year) -> Response:
        filters = q.parse_filters(call.query, STAFF_FILTERS)
        sorts = q.parse_sort(call.query, STAFF_SORTS)
        page = q.parse_page(call.query)
        terms = q.search_terms(call.query)
        status = _status(filters["status"], _STAFF_STATUS, "filter.status") if "status" in filters else None
        links = self.school.staffing.links
        records = []
        for info in self.school.staff.values():
            mine = links.get(info.id, {})
            if any(name in filters and filters[name] not in mine.get(name, ()) for name in _LINK_FILTERS):
                continue
            if (status and info.status != status) or ("gender" in filters and
                                                      info.record["gender"]["id"] != filters["gender"]):
                continue
            if q.matches(info.haystack, terms):
                records.append(info.record)
        return ok(q.paginate(q.apply_sort(records, sorts), page))

    @endpoint("get_staff")
    async def get_staff(self, call: Call, year: Year) -> Response:
        return ok(self.staff_info(call).record)

    @endpoint("get_staff_school_details")
    async def get_staff_school_details(self, call: Call, year: Year) -> Response:
        info = self.staff_info(call)
        record = info.record
        subject_ids = self.school.staffing.links.get(info.id, {}).get("subject", set())
        subjects = [{"id": s["id"], "name": s["name"], "code": s["code"]} for s in year.subjects.values()
                    if s["id"] in subject_ids]
        coordinator = self.school.staffing.teachers.get("PS", [None])[0] == info.id
        return ok({"departments": record["departments"], "id": info.id, "job_title": record["job_title"],
                   "learning_support_coordinator": coordinator,
                   "positions": [r for r in record["roles"] if r["id"] != lk.ROLES["teacher"]["id"]],
                   "rooms": record["rooms"], "sections": record["sections"], "subjects": subjects,
                   "timetable_code": info.timetable_code})

    @endpoint("list_staff_email_addresses")
    async def list_staff_email_addresses(self, call: Call, year: Year) -> Response:
        info = self.staff_info(call)
        addresses = [(info.record["email"], "work")]
        if info.id == pp.SEED_STAFF:
            addresses = [("user@example.com", "primary"), (info.person.email, "work")]
        return ok(pp.email_addresses(info.id, addresses))

    @endpoint("get_staff_timetable")
    async def get_staff_timetable(self, call: Call, year: Year) -> Response:
        return ok({"timetables": lessons.periods(year, self.taught_sets(self.staff_info(call).id, year))})

    @endpoint("get_staff_timetable_calendar")
    async def get_staff_timetable_calendar(self, call: Call, year: Year) -> Response:
        staff_id = self.staff_info(call).id
        start, end = q.date_window(call.query, lessons.MAX_CALENDAR_DAYS)

        def sets_in(y: Year) -> list[Group]:
            return self.taught_sets(staff_id, y)

        return ok({"calendar": lessons.calendar(self.school.years, sets_in, start, end)})

    @endpoint("list_contacts")
    async def list_contacts(self, call: Call, year: Year) -> Response:
        filters = q.parse_filters(call.query, {"status": "str"})
        q.parse_sort(call.query, {})
        page = q.parse_page(call.query)
        terms = q.search_terms(call.query)
        status = _status(filters["status"], _CONTACT_STATUS, "filter.status") if "status" in filters else None
        haystacks = self.school.contact_haystacks
        records: list[dict[str, Any]] = [
            c for c in self.school.contacts.values()
            if (status is None or c["status"] == status) and q.matches(haystacks[c["id"]], terms)
        ]
        return ok(q.paginate(records, page))

    @endpoint("get_contact")
    async def get_contact(self, call: Call, year: Year) -> Response:
        contact_id = self.path_id(call)
        contact = self.school.contacts.get(contact_id)
        if contact is None:
            raise self.not_found("Contact", contact_id)
        return ok(contact)
