"""Student reads of the Stellic simulator: bulk export by property (#14), property (#15), audit (#16, #17),
planner (#18)."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from gateway.sandbox.responses import JSONResponse
from gateway.sandbox.simulator import Call, handles
from gateway.sandbox.stellic import catalog, plans
from gateway.sandbox.stellic.exportrows import csv_response, engagement_rows
from gateway.sandbox.stellic.state import StellicState
from gateway.sandbox.stellic.validate import bad_request, problem

PROPERTIES = ("engagement_score",)
AUDIT_COURSE_FILTERS = ("planned", "registered")
PROGRAM_FILTERS = ("planned", "registered", "all")
AUDIT_PROPERTIES = ("unmatched", "progress")
PLANNER_COURSE_FILTERS = ("planned", "registered", "all")
PLANNER_PROPERTIES = ("future",)


def _enum(call: Call, name: str, allowed: tuple[str, ...], *, source: str = "path") -> str:
    value = call.params[name] if source == "path" else call.query.get(name)
    if value not in allowed:
        message = f"Must be one of: {', '.join(allowed)}." if value else "This parameter is required."
        raise bad_request([problem(name, message)])
    return str(value)


class StudentReadHandlers(StellicState):
    """Handlers of routes #14-#18."""

    @handles("export_students_by_property")
    async def export_students_by_property(self, call: Call) -> Response:
        _enum(call, "property", PROPERTIES)
        _enum(call, "output_format", ("csv",), source="query")
        _enum(call, "delivery_channel", ("http_file",), source="query")
        return csv_response(*engagement_rows(self, call.query), engagement=True)

    @handles("get_student_property")
    async def get_student_property(self, call: Call) -> Response:
        student = self.student(call.params["student_username"])
        _enum(call, "property", PROPERTIES)
        score = {"username": student["username"], "id": student["id"], "score": student["engagement_score"]}
        return JSONResponse({"engagement_score": score, "success": True})

    @handles("get_student_audit")
    async def get_student_audit(self, call: Call) -> Response:
        student = self.student(call.params["student_username"])
        course_filter = _enum(call, "course_filter", AUDIT_COURSE_FILTERS)
        prop = _enum(call, "property", AUDIT_PROPERTIES)
        return JSONResponse(self._audit(student, course_filter, "all", prop))

    @handles("get_student_custom_audit")
    async def get_student_custom_audit(self, call: Call) -> Response:
        student = self.student(call.params["student_username"])
        course_filter = _enum(call, "course_filter", AUDIT_COURSE_FILTERS)
        program_filter = _enum(call, "program_filter", PROGRAM_FILTERS)
        prop = _enum(call, "property", AUDIT_PROPERTIES)
        return JSONResponse(self._audit(student, course_filter, program_filter, prop))

    @handles("get_student_planner")
    async def get_student_planner(self, call: Call) -> Response:
        student = self.student(call.params["student_username"])
        course_filter = _enum(call, "course_filter", PLANNER_COURSE_FILTERS)
        _enum(call, "property", PLANNER_PROPERTIES)
        future = [c for c in self.student_courses(student, course_filter) if self.term_is_future(c["term"])]
        return JSONResponse({"future_courses": future, "success": True})

    # ---- the audit ---------------------------------------------------------------------------
    def _audit(self, student: dict[str, Any], course_filter: str, program_filter: str, prop: str) -> dict[str, Any]:
        programs = self.stores["programs"]
        chosen = self.student_programs(student, program_filter)
        unmatched, counted = [], []
        for course in self.student_courses(student, course_filter):
            if not plans.counts(course["grade"]):
                continue
            toward = plans.counting_programs(course["course"], chosen, programs)
            if not toward:
                unmatched.append(course)
            counted += [{"course": course["course"], "term": course["term"], "program": p,
                         "requirement": catalog.requirement(course["course"])} for p in toward]
        if prop == "progress":
            counted = [self._progress(p, counted) for p in chosen]
        return {"unmatched_courses": unmatched, "counts_for": counted, "success": True}

    def _progress(self, program_id: str, counted: list[dict[str, Any]]) -> dict[str, Any]:
        program = self.stores["programs"][program_id]
        done = len({c["course"] for c in counted if c["program"] == program_id})
        required = catalog.COURSES_REQUIRED[program["type"]]
        return {"program": program_id, "name": program["name"], "courses_counted": done,
                "courses_required": required, "percent_complete": min(100, round(100 * done / required))}
