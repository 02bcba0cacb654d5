"""The Stellic simulator's state: stores, the indexes that keep single-record calls cheap, and lookups."""

from __future__ import annotations

import gc
import json
from typing import Any

from gateway.sandbox.responses import JSONResponse
from gateway.sandbox.simulator import Call, SandboxError, Simulator
from gateway.sandbox.stellic import data, plans
from gateway.sandbox.stellic.validate import bad_request, not_found, problem
from gateway.sandbox.world import World

MAX_BODY_BYTES = 10_000_000  # "accept a maximum payload size of 10 MBs" (seed 000)


class StellicState(Simulator):
    """Stores and indexes shared by the handler families; the handlers live in sibling modules."""

    max_body_bytes = MAX_BODY_BYTES

    def load(self, world: World) -> None:
        # Building ~250k small dicts at 20,000 students sets off the cyclic GC over and over; none of
        # them form cycles, so collection waits until the build is done (load time halves).
        enabled = gc.isenabled()
        gc.disable()
        try:
            self._load(world)
        finally:
            if enabled:
                gc.enable()

    def _load(self, world: World) -> None:
        self.stores = data.build(world, self.rng)
        self.current_term = world.current_term.stellic_id
        self.term_offsets = {t.stellic_id: t.offset for t in world.terms}
        self.people = world.people
        self.ids = {s["student_id"]: name for name, s in self.stores["students"].items()}
        self.ce_by_student: dict[str, set[str]] = {}
        for key, ce in self.stores["course_enrollments"].items():
            self.ce_by_student.setdefault(ce["student_username"], set()).add(key)
        self.se_by_student: dict[str, set[str]] = {}
        for se_id, se in self.stores["section_enrollments"].items():
            self.se_by_student.setdefault(se["student_username"], set()).add(se_id)
        self.next_student_id = max((s["id"] for s in self.stores["students"].values()), default=99) + 1
        self.course_codes = tuple(self.stores["courses"])
        self.future_terms = [t.stellic_id for t in world.terms if 1 <= t.offset <= 2]
        self.exports: dict[str, bytes] = {}  # async export file name -> CSV, kept out of the records view

    # ---- bodies ------------------------------------------------------------------------------
    async def body_json(self, call: Call) -> Any:
        """The JSON body; the 10 MB limit is checked on the bytes too, not only on Content-Length."""
        raw = await call.body()
        if len(raw) > MAX_BODY_BYTES:
            raise SandboxError(413, "request body exceeds 10 MB")
        if not raw:
            raise bad_request([problem(None, "A JSON request body is required.")])
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise bad_request([problem(None, f"The request body is not valid JSON: {exc}")]) from exc

    # ---- lookups (404 when absent) -----------------------------------------------------------
    def student(self, username: str, field: str | None = None) -> dict[str, Any]:
        found: dict[str, Any] | None = self.stores["students"].get(username)
        if found is None:
            raise not_found(f"Student {username!r} not found.", field)
        return found

    def student_by_id(self, student_id: str, field: str | None = "student_id") -> dict[str, Any]:
        """A student by their ID; the username is accepted as well, since partners hold either."""
        username = self.ids.get(student_id, student_id)
        found: dict[str, Any] | None = self.stores["students"].get(username)
        if found is None:
            raise not_found(f"Student with ID {student_id!r} not found.", field)
        return found

    def record(self, kind: str, key: str, what: str, field: str | None = None) -> dict[str, Any]:
        found: dict[str, Any] | None = self.stores[kind].get(key)
        if found is None:
            raise not_found(f"{what} {key!r} not found.", field)
        return found

    def term_is_future(self, term: str) -> bool:
        return self.term_offsets.get(term, 0) > 0

    # ---- enrollments: the course enrollment is the sum of its section enrollments --------------
    def put_course_enrollment(self, key: str, ce: dict[str, Any]) -> None:
        self.stores["course_enrollments"][key] = ce
        self.ce_by_student.setdefault(ce["student_username"], set()).add(key)

    def drop_course_enrollment(self, key: str) -> None:
        ce = self.stores["course_enrollments"].pop(key, None)
        if ce is not None:
            self.ce_by_student.get(ce["student_username"], set()).discard(key)

    def put_section_enrollment(self, se: dict[str, Any]) -> None:
        self.stores["section_enrollments"][se["id"]] = se
        self.se_by_student.setdefault(se["student_username"], set()).add(se["id"])

    def drop_section_enrollment(self, se_id: str) -> dict[str, Any] | None:
        se: dict[str, Any] | None = self.stores["section_enrollments"].pop(se_id, None)
        if se is not None:
            self.se_by_student.get(se["student_username"], set()).discard(se_id)
        return se

    def course_enrollments_of(self, username: str) -> list[dict[str, Any]]:
        store = self.stores["course_enrollments"]
        return [store[k] for k in sorted(self.ce_by_student.get(username, ()))]

    def section_enrollments_of(self, username: str) -> list[dict[str, Any]]:
        store = self.stores["section_enrollments"]
        return [store[k] for k in sorted(self.se_by_student.get(username, ()))]

    # ---- plans (computed, see plans.py) ---------------------------------------------------------
    def student_courses(self, student: dict[str, Any], course_filter: str) -> list[dict[str, Any]]:
        """Registered courses are the course enrollments; planned ones come from the student's plan."""
        found: list[dict[str, Any]] = []
        titles = self.stores["courses"]
        if course_filter in ("registered", "all"):
            found += [{"course": ce["course"], "title": titles.get(ce["course"], {}).get("title"), "term": ce["term"],
                       "units": ce["units"], "grade": ce["final_grade"], "status": ce["registration_status"]}
                      for ce in self.course_enrollments_of(student["username"])]
        if course_filter in ("planned", "all"):
            taken = {(c["course"], c["term"]) for c in found}
            for term in self.future_terms:
                for code in plans.plan_courses(self.options.seed, student["username"], term, self.course_codes):
                    if (code, term) not in taken:
                        found.append({"course": code, "title": titles[code]["title"], "term": term, "units": 1,
                                      "grade": None, "status": "planned"})
        return found

    def student_programs(self, student: dict[str, Any], program_filter: str) -> list[str]:
        declared = list(student["programs"])
        planned = plans.planned_programs(self.options.seed, student)
        return {"registered": declared, "planned": planned, "all": declared + planned}[program_filter]


def created(body: Any) -> JSONResponse:
    return JSONResponse(body, status_code=201)
