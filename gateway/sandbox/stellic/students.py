"""Student profiles (#19), program enrollments (#1), tags (#20, #21), schools and departments (#22-#25)."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from gateway.sandbox.responses import JSONResponse
from gateway.sandbox.simulator import Call, handles
from gateway.sandbox.stellic import catalog
from gateway.sandbox.stellic.state import StellicState
from gateway.sandbox.stellic.validate import Field, Spec, bad_request, not_found, pick, problem, require_object

PROGRAM_ENROLLMENT: Spec = {
    "concentration_ids": Field("strings", True), "certification_status": Field("bool", True),
    "certification_date": Field("date", True), "order": Field("int", True), "catalog_term": Field("str", True),
}
PROFILE: Spec = {
    "first_name": Field("str", True), "preferred_first_name": Field("str"), "last_name": Field("str", True),
    "email": Field("str", True), "primary_advisor_username": Field("str"), "primary_campus_id": Field("str"),
    "pronouns": Field("str"), "current_campus_id": Field("str"), "department_ids": Field("strings"),
    "expected_graduation": Field("str"), "class_level_id": Field("str", True), "pre_req_waivers": Field("strings"),
    "cgpa": Field("number"), "school_ids": Field("strings"), "term_joined": Field("str", True),
    "ge_catalog_term": Field("str"), "student_id": Field("str"), "type": Field("str"), "mobile_number": Field("str"),
    "text_consent": Field("bool"), "primary_enrollment_level_id": Field("str"),
}
# Profile fields that name catalog records: field -> (store kind, what the 404 calls it).
_PROFILE_REFS = {
    "class_level_id": ("class_levels", "Class level"), "term_joined": ("terms", "Term"),
    "ge_catalog_term": ("terms", "Term"), "primary_campus_id": ("campuses", "Campus"),
    "current_campus_id": ("campuses", "Campus"), "school_ids": ("schools", "School"),
    "department_ids": ("departments", "Department"),
}


def _success(state: dict[str, Any], *, errors: bool = False, status: int = 200) -> JSONResponse:
    body: dict[str, Any] = {"status": "success", "state": state}
    if errors:
        body["errors"] = []
    return JSONResponse(body, status_code=status)


class StudentHandlers(StellicState):
    """Handlers of routes #1 and #19-#25."""

    @handles("create_program_enrollment")
    async def create_program_enrollment(self, call: Call) -> Response:
        """Creates the record, or replaces it when the student already has the program (201 vs 200)."""
        student = self.student(call.params["username"])
        program = self.record("programs", call.params["program_id"], "Program")
        body = require_object(await self.body_json(call), PROGRAM_ENROLLMENT)
        unknown = [c for c in body["concentration_ids"] if c not in program["concentration_ids"]]
        if unknown:
            raise not_found(f"Concentration {unknown[0]!r} is not a concentration of {program['id']}.",
                            "concentration_ids")
        self.record("terms", body["catalog_term"], "Term", "catalog_term")
        key = f"{student['username']}:{program['id']}"
        is_new = key not in self.stores["program_enrollments"]
        record = {"student_username": student["username"], "program_id": program["id"],
                  **pick(body, PROGRAM_ENROLLMENT)}
        self.stores["program_enrollments"][key] = record
        if program["id"] not in student["programs"]:
            student["programs"].append(program["id"])
        return _success(record, errors=True, status=201 if is_new else 200)

    @handles("create_student_profile")
    async def create_student_profile(self, call: Call) -> Response:
        """Seed 000 gives the body as an array (its schema says "Array", its sample ``[{...}]``) of the one profile
        the path names: a bare object is refused, as the real Stellic's array schema would."""
        username = call.params["student_username"]
        body = await self.body_json(call)
        if not isinstance(body, list):
            raise bad_request([problem(None, "The request body must be a JSON array holding the one profile.")])
        if len(body) != 1:
            raise bad_request([problem(None, "Give exactly one student profile.")])
        body = require_object(body[0], PROFILE)
        problems = []
        if username in self.stores["students"]:
            problems.append(problem("student_username", f"Student {username!r} already exists."))
        if body.get("student_id") in self.ids:
            problems.append(problem("student_id", f"Student ID {body['student_id']!r} is already in use."))
        if problems:
            raise bad_request(problems)
        for field, (kind, what) in _PROFILE_REFS.items():
            values = body.get(field)
            for value in values if isinstance(values, list) else [values] if values is not None else []:
                self.record(kind, value, what, field)
        if body.get("primary_advisor_username") is not None:
            advisor = self.people.get(body["primary_advisor_username"])
            if advisor is None or advisor.kind != "staff":
                raise not_found(f"Advisor {body['primary_advisor_username']!r} not found.", "primary_advisor_username")
        if body.get("primary_enrollment_level_id") not in (None, *catalog.ENROLLMENT_LEVELS):
            raise not_found(f"Enrollment level {body['primary_enrollment_level_id']!r} not found.",
                            "primary_enrollment_level_id")
        stellic_id, self.next_student_id = self.next_student_id, self.next_student_id + 1
        record = {"username": username, "id": stellic_id,
                  **pick(body, PROFILE, {"school_ids": [], "department_ids": [], "pre_req_waivers": [],
                                         "student_id": str(stellic_id), "text_consent": False}),
                  "programs": [], "tags": [], "engagement_score": 0}
        record["primary_enrollment_level_id"] = record["primary_enrollment_level_id"] or (
            "GRAD" if record["class_level_id"] == "GR" else "UGRD")
        self.stores["students"][username] = record
        self.ids[record["student_id"]] = username
        return _success(record, errors=True, status=201)

    async def _membership(self, call: Call, field: str, kind: str, param: str, what: str, add: bool) -> Response:
        """Add a catalog entry to (or take it off) one of the profile's lists: tags, school_ids, department_ids."""
        student = self.student(call.params["student_username"])
        value = call.params[param]
        self.record(kind, value, what)
        current: list[str] = student[field]
        if add and value in current:
            raise bad_request([problem(param, f"{what} {value!r} is already on the student's profile.")])
        if not add and value not in current:
            raise bad_request([problem(param, f"{what} {value!r} is not on the student's profile.")])
        student[field] = [*current, value] if add else [v for v in current if v != value]
        return _success({"username": student["username"], field: student[field]}, status=201 if add else 200)

    @handles("add_student_tag")
    async def add_student_tag(self, call: Call) -> Response:
        return await self._membership(call, "tags", "tags", "tag_name", "Tag", add=True)

    @handles("remove_student_tag")
    async def remove_student_tag(self, call: Call) -> Response:
        return await self._membership(call, "tags", "tags", "tag_name", "Tag", add=False)

    @handles("create_school_enrollment")
    async def create_school_enrollment(self, call: Call) -> Response:
        return await self._membership(call, "school_ids", "schools", "school_id", "School", add=True)

    @handles("delete_school_enrollment")
    async def delete_school_enrollment(self, call: Call) -> Response:
        return await self._membership(call, "school_ids", "schools", "school_id", "School", add=False)

    @handles("create_department_enrollment")
    async def create_department_enrollment(self, call: Call) -> Response:
        return await self._membership(call, "department_ids", "departments", "dept_id", "Department", add=True)

    @handles("delete_department_enrollment")
    async def delete_department_enrollment(self, call: Call) -> Response:
        return await self._membership(call, "department_ids", "departments", "dept_id", "Department", add=False)
