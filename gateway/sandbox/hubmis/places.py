"""HUBmis houses, rooms and attendance-code routes."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from gateway.sandbox.hubmis import lessons
from gateway.sandbox.hubmis import query as q
from gateway.sandbox.hubmis.core import HubmisCore, endpoint, ok
from gateway.sandbox.hubmis.school import Year
from gateway.sandbox.hubmis.students import HOUSE_STUDENT_FILTERS, STUDENT_SORTS, select_students
from gateway.sandbox.simulator import Call


class PlaceRoutes(HubmisCore):
    """Handlers for /houses, /rooms and /attendance-codes."""

    def house(self, house_id: int, year: Year) -> dict[str, Any]:
        """A house as shown for ``year``: its house parents and staff change from year to year."""
        house = self.school.houses.get(house_id)
        if house is None:
            raise self.not_found("House", house_id)
        parents, staff = self.school.house_staff[(year.id, house_id)]
        return {**house, "house_parents": parents, "staff": staff}

    @endpoint("list_houses")
    async def list_houses(self, call: Call, year: Year) -> Response:
        found = q.parse_filters(call.query, {"houseType": ("academic", "boarding"), "isActive": "bool"})
        return ok([self.house(h["id"], year) for h in self.school.houses.values()
                   if found.get("houseType", h["house_type"]) == h["house_type"]
                   and found.get("isActive", h["is_active"]) == h["is_active"]])

    @endpoint("get_house", year_sensitive=True)
    async def get_house(self, call: Call, year: Year) -> Response:
        return ok(self.house(self.path_id(call), year))

    @endpoint("list_house_students", year_sensitive=True)
    async def list_house_students(self, call: Call, year: Year) -> Response:
        house = self.house(self.path_id(call), year)
        filters = q.parse_filters(call.query, HOUSE_STUDENT_FILTERS)
        sorts = q.parse_sort(call.query, STUDENT_SORTS)
        # Students on roll in the house that year: for the active year, exactly the 'current' ones (seed).
        filters["house"] = house["id"]
        records = select_students(self.school, year, filters, q.search_terms(call.query))
        return ok(q.apply_sort(records, sorts))

    @endpoint("list_rooms")
    async def list_rooms(self, call: Call, year: Year) -> Response:
        found = q.parse_filters(call.query, {"location": "int"})
        q.parse_sort(call.query, {})
        page = q.parse_page(call.query)
        terms = q.search_terms(call.query)
        rooms = [r for r in sorted(self.school.rooms.values(), key=lambda r: r["id"])
                 if found.get("location", r["location"]["id"]) == r["location"]["id"]
                 and q.matches(f"{r['room_code']} {r['description']} {r['timetable_code']}".lower(), terms)]
        return ok(q.paginate(rooms, page))

    @endpoint("get_room")
    async def get_room(self, call: Call, year: Year) -> Response:
        room_id = self.path_id(call)
        room = self.school.rooms.get(room_id)
        if room is None:
            raise self.not_found("Room", room_id)
        return ok(room)

    @endpoint("list_attendance_codes")
    async def list_attendance_codes(self, call: Call, year: Year) -> Response:
        found = q.parse_filters(call.query, {"display": "bool"})
        return ok([c for c in lessons.attendance_codes() if found.get("display", c["display"]) == c["display"]])
