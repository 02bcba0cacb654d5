"""HUBmis academic-structure routes: academic years, terms, departments, subjects, groups, sections."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.responses import Response

from gateway.sandbox.hubmis import lookups as lk
from gateway.sandbox.hubmis import query as q
from gateway.sandbox.hubmis.core import HubmisCore, endpoint, ok
from gateway.sandbox.hubmis.school import Group, Year
from gateway.sandbox.simulator import Call

Record = dict[str, Any]

SET_SORTS: dict[str, Callable[[Record], Any]] = {
    "code": lambda r: r["code"], "creditScore": lambda r: r["credit_score"], "maxStudents": lambda r: r["max_students"],
    "name": lambda r: r["name"].lower(), "section": lambda r: r["section"]["id"],
    "studentCount": lambda r: r["student_count"], "subject": lambda r: r["subject"]["name"].lower(),
    "yearGroup": lambda r: int(r["year_group"]["code"][1:]),
}
FORM_SORTS: dict[str, Callable[[Record], Any]] = {
    "name": lambda r: (len(r["name"]), r["name"]), "code": lambda r: (len(r["code"]), r["code"])}


def _text(record: Record) -> str:
    return " ".join(str(record.get(k) or "") for k in ("name", "code", "short_description")).lower()


class StructureRoutes(HubmisCore):
    """Handlers under /academic-years and /sections."""

    def _group(self, call: Call, kind: str, label: str) -> Group:
        year = self.path_year(call)
        group_id = self.path_id(call)
        group = year.groups[kind].get(group_id)
        if group is None:
            raise self.not_found(f"{label} in academic year {year.id}:", group_id)
        return group

    def _groups(self, call: Call, kind: str, filters: dict[str, q.Kind], sorts: dict[str, Callable[[Record], Any]],
                paged: bool) -> Response:
        year = self.path_year(call)
        found = q.parse_filters(call.query, filters)
        order = q.parse_sort(call.query, sorts)
        page = q.parse_page(call.query) if paged else None
        terms = q.search_terms(call.query)
        records = []
        for group in year.groups[kind].values():
            r = group.record
            if ("yearGroup" in found and r["year_group"]["id"] != found["yearGroup"]) or (
                    "section" in found and r["section"]["id"] != found["section"]) or (
                    "subject" in found and r["subject"]["id"] != found["subject"]):
                continue
            if q.matches(_text(r), terms):
                records.append(r)
        records = q.apply_sort(sorted(records, key=lambda r: r["id"]), order)
        return ok(q.paginate(records, page) if page else records)

    def _students(self, call: Call, kind: str, label: str) -> Response:
        group = self._group(call, kind, label)
        year = group.year_group.year
        return ok([self.school.view_student(self.school.students[i], year) for i in group.student_ids()])

    @endpoint("list_academic_years")
    async def list_academic_years(self, call: Call, year: Year) -> Response:
        return ok([{**y.ref(), "start_date": y.start.isoformat(), "end_date": y.end.isoformat()}
                   for y in self.school.years])

    @endpoint("list_terms")
    async def list_terms(self, call: Call, year: Year) -> Response:
        shown = self.path_year(call)
        return ok([{"id": t.id, "name": t.name, "start_date": t.start.isoformat(), "end_date": t.end.isoformat(),
                    "academic_year": shown.ref()} for t in shown.terms])

    @endpoint("list_departments")
    async def list_departments(self, call: Call, year: Year) -> Response:
        terms = q.search_terms(call.query)
        return ok([d for d in self.path_year(call).departments.values() if q.matches(_text(d), terms)])

    @endpoint("get_department")
    async def get_department(self, call: Call, year: Year) -> Response:
        shown, dept_id = self.path_year(call), self.path_id(call)
        found = next((d for d in shown.departments.values() if d["id"] == dept_id), None)
        if found is None:
            raise self.not_found(f"Department in academic year {shown.id}:", dept_id)
        return ok(found)

    @endpoint("list_subjects")
    async def list_subjects(self, call: Call, year: Year) -> Response:
        shown = self.path_year(call)
        found = q.parse_filters(call.query, {"department": "int", "section": "int"})
        taught_in: set[str] | None = None
        if "section" in found:
            code = self.school.sections.get(found["section"], {}).get("code")
            taught_in = {s for yg in shown.year_groups if yg.section == code
                         for options, _ in lk.CURRICULUM[yg.key_stage] for s, _, _ in options}
        return ok([s for s in shown.subjects.values()
                   if ("department" not in found or s["department"]["id"] == found["department"])
                   and (taught_in is None or s["code"] in taught_in)])

    @endpoint("get_subject")
    async def get_subject(self, call: Call, year: Year) -> Response:
        shown, subject_id = self.path_year(call), self.path_id(call)
        found = next((s for s in shown.subjects.values() if s["id"] == subject_id), None)
        if found is None:
            raise self.not_found(f"Subject in academic year {shown.id}:", subject_id)
        return ok(found)

    @endpoint("list_subject_sets")
    async def list_subject_sets(self, call: Call, year: Year) -> Response:
        return self._groups(call, "subject_set", {"yearGroup": "int", "section": "int", "subject": "int"}, SET_SORTS,
                            paged=True)

    @endpoint("get_subject_set")
    async def get_subject_set(self, call: Call, year: Year) -> Response:
        return ok(self._group(call, "subject_set", "Subject set").record)

    @endpoint("list_subject_set_students")
    async def list_subject_set_students(self, call: Call, year: Year) -> Response:
        return self._students(call, "subject_set", "Subject set")

    @endpoint("list_forms")
    async def list_forms(self, call: Call, year: Year) -> Response:
        return self._groups(call, "form", {"yearGroup": "int", "section": "int"}, FORM_SORTS, paged=False)

    @endpoint("get_form")
    async def get_form(self, call: Call, year: Year) -> Response:
        return ok(self._group(call, "form", "Form").record)

    @endpoint("list_form_students")
    async def list_form_students(self, call: Call, year: Year) -> Response:
        return self._students(call, "form", "Form")

    @endpoint("list_tutor_groups")
    async def list_tutor_groups(self, call: Call, year: Year) -> Response:
        return self._groups(call, "tutor_group", {"section": "int"}, {"name": FORM_SORTS["name"]}, paged=False)

    @endpoint("get_tutor_group")
    async def get_tutor_group(self, call: Call, year: Year) -> Response:
        return ok(self._group(call, "tutor_group", "Tutor group").record)

    @endpoint("list_tutor_group_students")
    async def list_tutor_group_students(self, call: Call, year: Year) -> Response:
        return self._students(call, "tutor_group", "Tutor group")

    @endpoint("list_year_groups")
    async def list_year_groups(self, call: Call, year: Year) -> Response:
        shown = self.path_year(call)
        found = q.parse_filters(call.query, {"section": "int"})
        order = q.parse_sort(call.query, {"position": lambda r: r["position"], "name": lambda r: r["position"]})
        records = [yg.record for yg in shown.year_groups
                   if "section" not in found or yg.record["section"]["id"] == found["section"]]
        return ok(q.apply_sort(records, order))

    @endpoint("get_year_group")
    async def get_year_group(self, call: Call, year: Year) -> Response:
        shown, yg_id = self.path_year(call), self.path_id(call)
        found = next((yg.record for yg in shown.year_groups if yg.id == yg_id), None)
        if found is None:
            raise self.not_found(f"Year group in academic year {shown.id}:", yg_id)
        return ok(found)

    @endpoint("list_sections")
    async def list_sections(self, call: Call, year: Year) -> Response:
        # filter[groupType] only narrows the list for owner/teacher permissions (seed); this client is an admin.
        q.parse_filters(call.query, {"groupType": ("form", "subject_set", "tutor_group", "year_group")})
        order = q.parse_sort(call.query, {"position": lambda r: r["position"], "name": lambda r: r["name"]})
        return ok(q.apply_sort(sorted(self.school.sections.values(), key=lambda s: s["position"]), order))

    @endpoint("get_section")
    async def get_section(self, call: Call, year: Year) -> Response:
        section_id = self.path_id(call)
        section = self.school.sections.get(section_id)
        if section is None:
            raise self.not_found("Section", section_id)
        return ok(section)
