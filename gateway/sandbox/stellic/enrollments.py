"""Course enrollments (#2, full replace per term) and section enrollments (#3-#6) of the Stellic simulator.

A course enrollment (student, term, course) lists its sections; each listed section has a section
enrollment record. Writes of either kind keep the other in step, as Stellic derives one from the other.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from gateway.sandbox.responses import JSONResponse
from gateway.sandbox.simulator import Call, handles
from gateway.sandbox.stellic import data
from gateway.sandbox.stellic.state import StellicState
from gateway.sandbox.stellic.validate import Field, Spec, bad_request, problem, require_array

# Fields a course enrollment shares with its section enrollments (seed 000, sections 1.9.2 and 1.9.3).
COURSE_FIELDS: Spec = {
    "campus": Field("str"), "grade_scheme": Field("str"), "grade_option": Field("str"),
    "is_transfer": Field("bool"), "transfer_course_meta": Field("str"), "course_topic": Field("str"),
    "attributes": Field("strings"), "registration_status": Field("str"), "repeat_code": Field("str"),
    "final_grade": Field("str"), "mid_semester_grade": Field("str"), "units": Field("int"),
    "enrollment_level": Field("str"),
}
COURSE_ENROLLMENT: Spec = {"course": Field("str", True), "sections": Field("strings"), **COURSE_FIELDS}
SECTION_ENROLLMENT: Spec = {
    "student_username": Field("str", True), "course": Field("str", True), "section": Field("str", True),
    "is_enrollment_component": Field("bool", True), "term": Field("str"), **COURSE_FIELDS,
}


class ItemError(Exception):
    """One array item could not be applied; it is reported in ``errors`` and the others go on."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def _given(item: dict[str, Any]) -> dict[str, Any]:
    return {k: item[k] for k in COURSE_FIELDS if k in item}


class EnrollmentHandlers(StellicState):
    """Handlers of routes #2-#6."""

    # ---- #2 ----------------------------------------------------------------------------------
    @handles("replace_course_enrollments")
    async def replace_course_enrollments(self, call: Call) -> Response:
        username, term = call.params["username"], call.params["term_id"]
        student = self.student(username)
        self.record("terms", term, "Term")
        body = await self.body_json(call)
        items = [] if body == [] else require_array(body, COURSE_ENROLLMENT)
        success, errors, named = [], [], set()
        for index, item in enumerate(items):
            repeated = item["course"] in named
            named.add(item["course"])
            try:
                self._check_course_item(item, term, repeated)
            except ItemError as exc:
                errors.append(problem(exc.field, exc.message, index))
                continue
            success.append(self._replace_course(student, term, item))
        # Full replace: what the array does not name goes; a course whose item failed is left as it was.
        for ce in self.course_enrollments_of(username):
            if ce["term"] == term and ce["course"] not in named:
                key = data.course_enrollment_key(username, term, ce["course"])
                self._sync_sections(ce, [])
                self.drop_course_enrollment(key)
        return JSONResponse({"success": success, "errors": errors})

    def _check_course_item(self, item: dict[str, Any], term: str, repeated: bool) -> None:
        course = item["course"]
        if course not in self.stores["courses"]:
            raise ItemError("course", f"Course {course!r} not found.")
        if repeated:
            raise ItemError("course", f"Course {course!r} appears more than once in the array.")
        for section_id in item.get("sections") or []:
            section = self.stores["sections"].get(section_id)
            if section is None:
                raise ItemError("sections", f"Section {section_id!r} not found.")
            if section["course"] != course or section["term"] != term:
                raise ItemError("sections", f"Section {section_id!r} is not a section of {course} in term {term}.")

    def _replace_course(self, student: dict[str, Any], term: str, item: dict[str, Any]) -> dict[str, Any]:
        username = student["username"]
        status = "enrolled" if not self.term_is_future(term) else "planned"
        ce = data.course_enrollment(username, term, item["course"], student["primary_enrollment_level_id"],
                                    status=status, grade=None)
        ce.update(_given(item))
        self.put_course_enrollment(data.course_enrollment_key(username, term, item["course"]), ce)
        self._sync_sections(ce, list(dict.fromkeys(item.get("sections") or [])))
        return ce

    def _sync_sections(self, ce: dict[str, Any], sections: list[str]) -> None:
        """Make the student's section enrollments of this course and term exactly ``sections``."""
        student = self.stores["students"][ce["student_username"]]
        mine = {se["section"]: se for se in self.section_enrollments_of(student["username"])
                if se["term"] == ce["term"] and se["course"] == ce["course"]}
        for section_id, se in mine.items():
            if section_id not in sections:
                self.drop_section_enrollment(se["id"])
        for section_id in sections:
            old = mine.get(section_id)
            se_id = old["id"] if old else f"{self.stores['sections'][section_id]['external_id']}-{student['id']}"
            component = old["is_enrollment_component"] if old else True
            self.put_section_enrollment(data.section_enrollment(se_id, ce, section_id, component))
        ce["sections"] = list(sections)

    # ---- #3-#6 -------------------------------------------------------------------------------
    @handles("create_section_enrollment")
    async def create_section_enrollment(self, call: Call) -> Response:
        return await self._section_items(call, "create")

    @handles("update_section_enrollment")
    async def update_section_enrollment(self, call: Call) -> Response:
        self.record("section_enrollments", call.params["id"], "Section enrollment")
        return await self._section_items(call, "put")

    @handles("patch_section_enrollment")
    async def patch_section_enrollment(self, call: Call) -> Response:
        self.record("section_enrollments", call.params["id"], "Section enrollment")
        return await self._section_items(call, "patch")

    @handles("delete_section_enrollment")
    async def delete_section_enrollment(self, call: Call) -> Response:
        se = self.record("section_enrollments", call.params["id"], "Section enrollment")
        self._detach(se)
        self.drop_section_enrollment(se["id"])
        return JSONResponse({"success": True})

    async def _section_items(self, call: Call, mode: str) -> Response:
        """The array body of #3-#5: the first item is the path's record, later ones name theirs in ``id``."""
        items = require_array(await self.body_json(call), SECTION_ENROLLMENT, partial=mode == "patch")
        missing = [problem("id", "Items after the first must give the section enrollment id.", i)
                   for i, item in enumerate(items) if i > 0 and not isinstance(item.get("id"), str)]
        if missing:
            raise bad_request(missing, bulk=True)
        success, errors = [], []
        for index, item in enumerate(items):
            se_id = call.params["id"] if index == 0 else item["id"]
            try:
                success.append(self._apply_section_item(se_id, item, mode))
            except ItemError as exc:
                errors.append(problem(exc.field, exc.message, index))
        status = 201 if mode == "create" and success else 200
        return JSONResponse({"success": success, "errors": errors}, status_code=status)

    def _apply_section_item(self, se_id: str, item: dict[str, Any], mode: str) -> dict[str, Any]:
        old = self.stores["section_enrollments"].get(se_id)
        if mode == "create" and old is not None:
            raise ItemError("id", f"Section enrollment {se_id!r} already exists; update it with PUT or PATCH.")
        if mode != "create" and old is None:
            raise ItemError("id", f"Section enrollment {se_id!r} not found.")
        merged = {**(old or {}), **item} if mode == "patch" else dict(item)
        if old is not None and merged["student_username"] != old["student_username"]:
            raise ItemError("student_username", "The student of a section enrollment cannot change.")
        student = self.stores["students"].get(merged["student_username"])
        if student is None:
            raise ItemError("student_username", f"Student {merged['student_username']!r} not found.")
        section = self.stores["sections"].get(merged["section"])
        if section is None:
            raise ItemError("section", f"Section {merged['section']!r} not found.")
        if merged["course"] != section["course"]:
            raise ItemError("course", f"Section {section['id']} is a section of {section['course']}.")
        if item.get("term") not in (None, section["term"]):
            raise ItemError("term", f"Section {section['id']} belongs to term {section['term']}.")
        clash = next((se for se in self.section_enrollments_of(student["username"])
                      if se["section"] == section["id"] and se["id"] != se_id), None)
        if clash is not None:
            raise ItemError("section", f"The student is already enrolled in section {section['id']} ({clash['id']}).")
        if old is not None:
            self._detach(old)
        return self._attach(se_id, merged, section, student, item)

    def _attach(self, se_id: str, merged: dict[str, Any], section: dict[str, Any], student: dict[str, Any],
                item: dict[str, Any]) -> dict[str, Any]:
        term, course = section["term"], section["course"]
        key = data.course_enrollment_key(student["username"], term, course)
        ce = self.stores["course_enrollments"].get(key)
        if ce is None:
            status = "planned" if self.term_is_future(term) else "enrolled"
            ce = data.course_enrollment(student["username"], term, course, student["primary_enrollment_level_id"],
                                        status=status, grade=None)
            ce.update(_given(merged))
            self.put_course_enrollment(key, ce)
        else:
            ce.update(_given(item))  # the new section's own values win for the whole course
        if section["id"] not in ce["sections"]:
            ce["sections"].append(section["id"])
        se = data.section_enrollment(se_id, ce, section["id"], merged["is_enrollment_component"])
        se.update(_given(merged))
        self.put_section_enrollment(se)
        return se

    def _detach(self, se: dict[str, Any]) -> None:
        """Take a section enrollment out of its course enrollment; the last section takes the course with it."""
        key = data.course_enrollment_key(se["student_username"], se["term"], se["course"])
        ce = self.stores["course_enrollments"].get(key)
        if ce is None:
            return
        ce["sections"] = [s for s in ce["sections"] if s != se["section"]]
        if not ce["sections"]:
            self.drop_course_enrollment(key)

