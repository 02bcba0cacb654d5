"""Sections of the Stellic simulator: create (#8), seat counts (#7, #9), restrictions (#10, #11), timings (#12, #13)."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from gateway.sandbox.responses import JSONResponse
from gateway.sandbox.simulator import Call, handles
from gateway.sandbox.stellic.state import StellicState, created
from gateway.sandbox.stellic.validate import (
    Field,
    Spec,
    bad_request,
    check,
    not_found,
    pick,
    problem,
    require_array,
    require_object,
)

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SEATS: Spec = {"max_enrollment": Field("int"), "available_enrollment": Field("int"), "max_waitlist": Field("int"),
               "waitlist": Field("int")}
TIMING: Spec = {"start": Field("time", True), "end": Field("time", True), "day": Field("str", True, DAYS),
                "room": Field("str", True), "building": Field("str", True), "start_date": Field("date"),
                "end_date": Field("date")}
SECTION: Spec = {
    "name": Field("str", True), "external_id": Field("str", True), "course": Field("str", True),
    "campus": Field("str", True), "term": Field("str", True), "type": Field("str", True),
    "start_date": Field("date", True), "end_date": Field("date", True), "linked_sections": Field("strings"),
    "topic": Field("str"), "delivery_mode": Field("str"), **SEATS, "details": Field("object"),
    "instructors": Field("objects"), "timings": Field("objects"),
}
RESTRICTION_TYPES = ("campus", "concentration", "program", "raw", "school", "student_level", "tags")
RESTRICTION: Spec = {
    "section": Field("str", True), "type": Field("str", True, RESTRICTION_TYPES),
    "operator": Field("str", True, ("eq", "neq", "info")), "student_sets": Field("objects", True),
    "action": Field("str", True, ("disallow_register", "disallow_drop", "hide", "warn", "reserved_seats", "show")),
    "note": Field("str"), "reserve_capacity": Field("str"), "start_date": Field("date"), "end_date": Field("date"),
    "rqrmnt_group": Field("str"),
}
BULK_SEATS: Spec = {"id": Field("str", True), **SEATS}
BULK_TIMINGS: Spec = {"section": Field("str", True), "timings": Field("objects", True)}


def _seat_problems(body: dict[str, Any], index: int | None = None) -> list[dict[str, Any]]:
    return [problem(k, "Must be 0 or more.", index) for k in SEATS if isinstance(body.get(k), int) and body[k] < 0]


def _timing_problems(timings: list[dict[str, Any]], index: int | None = None) -> list[dict[str, Any]]:
    """Problems of nested ClassTimings, named ``timings[i].field`` under the body item ``index``."""
    found = []
    for i, timing in enumerate(timings):
        own = [problem(f"timings[{i}].{p.get('field', '')}".rstrip("."), p["message"], index)
               for p in check(timing, TIMING)]
        if not own and timing["start"] >= timing["end"]:
            own.append(problem(f"timings[{i}].end", "Must be later than start.", index))
        found += own
    return found


def _order_problems(timings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Timings given as the body array itself: the item index and the plain field name."""
    return [problem("end", "Must be later than start.", i) for i, t in enumerate(timings) if t["start"] >= t["end"]]


def _timings(timings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [pick(t, TIMING) for t in timings]


def _seats(section: dict[str, Any]) -> dict[str, Any]:
    return {"id": section["id"], **{k: section[k] for k in SEATS}}


class SectionHandlers(StellicState):
    """Handlers of routes #7-#13."""

    @handles("update_section_enrollment_info")
    async def update_section_enrollment_info(self, call: Call) -> Response:
        section = self.record("sections", call.params["id"], "Section")
        body = require_object(await self.body_json(call), SEATS)
        if problems := _seat_problems(body):
            raise bad_request(problems)
        section.update({k: body[k] for k in SEATS if body.get(k) is not None})
        return JSONResponse(_seats(section))

    @handles("bulk_update_section_enrollment_info")
    async def bulk_update_section_enrollment_info(self, call: Call) -> Response:
        items = require_array(await self.body_json(call), BULK_SEATS)
        problems = [p for i, item in enumerate(items) for p in _seat_problems(item, i)]
        problems += [problem("id", f"Section {item['id']!r} not found.", i)
                     for i, item in enumerate(items) if item["id"] not in self.stores["sections"]]
        if problems:  # atomic: one bad item and nothing is applied
            raise bad_request(sorted(problems, key=lambda p: p["index"]), bulk=True)
        success = []
        for item in items:
            section = self.stores["sections"][item["id"]]
            section.update({k: item[k] for k in SEATS if item.get(k) is not None})
            success.append(_seats(section))
        return JSONResponse({"success": success, "errors": []})

    @handles("create_section")
    async def create_section(self, call: Call) -> Response:
        section_id = call.params["id"]
        body = require_object(await self.body_json(call), SECTION)
        problems = _seat_problems(body) + _timing_problems(body.get("timings") or [])
        if body["end_date"] < body["start_date"]:
            problems.append(problem("end_date", "Must not be before start_date."))
        if section_id in self.stores["sections"]:
            problems.append(problem("id", f"Section {section_id!r} already exists."))
        if problems:
            raise bad_request(problems)
        self.record("courses", body["course"], "Course", "course")
        term = self.record("terms", body["term"], "Term", "term")
        self.record("campuses", body["campus"], "Campus", "campus")
        section = pick(body, SECTION, {"linked_sections": [], "details": {}, "instructors": [], "timings": [],
                                       "max_enrollment": 0, "available_enrollment": 0, "max_waitlist": 0,
                                       "waitlist": 0})
        section["timings"] = _timings(section["timings"])
        record = {"id": section_id, **section, "linked_section": f"{term['short_name']}-{body['external_id']}"}
        self.stores["sections"][section_id] = record
        return created(record)

    @handles("create_section_restriction")
    async def create_section_restriction(self, call: Call) -> Response:
        restriction_id = call.params["id"]
        body = require_object(await self.body_json(call), RESTRICTION)
        problems = []
        if len(body["section"]) > 50:
            problems.append(problem("section", "Must be at most 50 characters."))
        for i, entry in enumerate(body["student_sets"]):
            if list(entry) != [body["type"]]:
                message = f"Each object must have the single key {body['type']!r}."
                problems.append(problem(f"student_sets[{i}]", message))
        if restriction_id in self.stores["restrictions"]:
            problems.append(problem("id", f"Section restriction {restriction_id!r} already exists."))
        if problems:
            raise bad_request(problems)
        self.record("sections", body["section"], "Section", "section")
        echo = pick(body, RESTRICTION, {"reserve_capacity": "0"} if body["action"] == "reserved_seats" else {})
        self.stores["restrictions"][restriction_id] = {"id": restriction_id, **echo}
        return created(echo)

    @handles("delete_section_restriction")
    async def delete_section_restriction(self, call: Call) -> Response:
        if self.stores["restrictions"].pop(call.params["id"], None) is None:
            raise not_found(f"Section restriction {call.params['id']!r} not found.")
        return JSONResponse({"success": True})

    @handles("update_section_timings")
    async def update_section_timings(self, call: Call) -> Response:
        section = self.record("sections", call.params["id"], "Section")
        body = await self.body_json(call)
        timings = [] if body == [] else require_array(body, TIMING, bulk=False)
        if problems := _order_problems(timings):
            raise bad_request(problems)
        section["timings"] = _timings(timings)
        return JSONResponse({"section": section["id"], "timings": section["timings"]})

    @handles("bulk_update_section_timings")
    async def bulk_update_section_timings(self, call: Call) -> Response:
        items = require_array(await self.body_json(call), BULK_TIMINGS)
        problems = []
        for i, item in enumerate(items):
            if item["section"] not in self.stores["sections"]:
                problems.append(problem("section", f"Section {item['section']!r} not found.", i))
            problems += _timing_problems(item["timings"], i)
        if problems:  # atomic: one bad item and nothing is applied
            raise bad_request(problems, bulk=True)
        success = []
        for item in items:
            section = self.stores["sections"][item["section"]]
            section["timings"] = _timings(item["timings"])
            success.append({"section": section["id"], "timings": section["timings"]})
        return JSONResponse({"success": success, "errors": []})
