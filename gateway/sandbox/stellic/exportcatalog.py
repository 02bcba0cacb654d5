"""Rows of the Stellic exports about programs, audits, groups, workflows, notes and permissions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from starlette.datastructures import QueryParams

from gateway.sandbox.stellic import catalog, plans
from gateway.sandbox.stellic.exportrows import Rows, flag, integer, required
from gateway.sandbox.stellic.state import StellicState
from gateway.sandbox.stellic.validate import not_found

NOTES = ("Checked in about course load.", "Discussed summer research options.", "Referred to the tutoring center.",
         "Reviewed progress toward the major.", "Talked through a leave of absence.")


def _audited(sim: StellicState) -> list[dict[str, Any]]:
    return [p for p in sim.stores["programs"].values() if p["audit_id"] is not None]


def _date(sim: StellicState, *parts: object) -> str:
    return (sim.world.today - timedelta(days=plans.roll(*parts) % 300)).isoformat()


def audit_data(sim: StellicState, q: QueryParams) -> Rows:
    first_catalog = f"{sim.world.today.year - 4}4"
    rows = [[p["audit_id"], f"{p['name']} Audit", p["id"], p["name"], "published", "program", first_catalog,
             _date(sim, "audit", p["id"])] for p in _audited(sim)]
    return ["Audit ID", "Audit Name", "Program ID", "Program Name", "Status", "Scope", "Catalog Term",
            "Last Modified"], rows


def audit_requirements(sim: StellicState, q: QueryParams) -> Rows:
    ext = flag(q, "for_ext_ids")
    flag(q, "reset_cache")
    rows = []
    departments = catalog.departments()
    for p in _audited(sim):
        low = 0
        for n, (band, limit) in enumerate(catalog.REQUIREMENTS, start=1):
            rows.append([p["id"] if ext else p["audit_id"], f"{p['audit_id']}-{n}",
                         f"{band} {departments[p['department']]['name']}", "course_range",
                         f"{p['department']} {low:03d}-{limit - 1:03d}", 2 if p["type"] == "minor" else 3 + n // 3])
            low = limit
    return ["Audit External ID" if ext else "Audit ID", "Requirement ID", "Requirement Name", "Constraint Type",
            "Constraint Value", "Courses Required"], rows


def programs_without_audits(sim: StellicState, q: QueryParams) -> Rows:
    rows = [[p["id"], p["name"], p["department"], p["type"]]
            for p in sim.stores["programs"].values() if p["audit_id"] is None]
    return ["Program ID", "Program Name", "Department", "Type"], rows


def bulk_exceptions_detailed(sim: StellicState, q: QueryParams) -> Rows:
    """About one student in twenty has an exception; without include_all, cancelled and denied ones are left out."""
    school = q.get("school_shortname")
    if school and school not in sim.stores["schools"]:
        raise not_found(f"School {school!r} not found.", "school_shortname")
    everything = flag(q, "include_all")
    rows = []
    for s in sim.stores["students"].values():
        value = plans.roll(sim.options.seed, s["username"], "exception")
        if value % 20 or not s["programs"] or (school and school not in s["school_ids"]):
            continue
        status = ("approved", "approved", "pending", "denied", "cancelled")[value // 20 % 5]
        if status in ("denied", "cancelled") and not everything:
            continue
        program = s["programs"][0]
        course = sim.course_codes[value // 100 % len(sim.course_codes)]
        rows.append([f"EX{value % 100000:05d}", s["username"], s["id"], ";".join(s["school_ids"]), program,
                     catalog.requirement(f"{program.split('-')[0]} 050"), ("substitution", "waiver")[value % 2],
                     course, status, s["primary_advisor_username"], _date(sim, "exception", s["username"])])
    return ["Exception ID", "Student Username", "Student ID", "School", "Program", "Requirement", "Exception Type",
            "Course", "Status", "Requested By", "Created On"], rows


def bulk_pathways(sim: StellicState, q: QueryParams) -> Rows:
    placeholders, extracurriculars = flag(q, "include_placeholders"), flag(q, "include_extracurriculars")
    rows: list[list[Any]] = []
    courses = sim.course_codes
    for n, p in enumerate(p for p in sim.stores["programs"].values() if p["type"] == "major"):
        own = [c for c in courses if c.startswith(p["department"] + " ")]
        pathway = [f"PW{n + 1:03d}", f"Four-year plan: {p['name']}", p["id"]]
        for term in range(1, 9):
            rows.append([*pathway, term, "course", own[(term - 1) % len(own)]])
            if placeholders:
                rows.append([*pathway, term, "placeholder", "Elective"])
            if extracurriculars and term == 6:
                rows.append([*pathway, term, "extracurricular", "Summer internship"])
    return ["Pathway ID", "Pathway Name", "Program ID", "Term Number", "Item Type", "Item"], rows


def dynamic_group_entities(sim: StellicState, q: QueryParams) -> Rows:
    group = required(q, "dynamic_group")
    tag = catalog.DYNAMIC_GROUPS.get(group)
    if tag is None:
        raise not_found(f"Dynamic group {group!r} not found.", "dynamic_group")
    rows = [[s["first_name"], s["last_name"], s["email"], group, ";".join(s["programs"]),
             ";".join(s["department_ids"]), ";".join(s["school_ids"])]
            for s in sim.stores["students"].values() if tag in s["tags"]]
    return ["First Name", "Last Name", "Email", "Dynamic Group", "Program", "Department", "School"], rows


def export_workflow_responses(sim: StellicState, q: QueryParams) -> Rows:
    workflow_id = integer(q, "workflow_id")
    workflow = catalog.WORKFLOWS.get(workflow_id)
    if workflow is None:
        raise not_found(f"Workflow {workflow_id} not found.", "workflow_id")
    rows = []
    for s in sim.stores["students"].values():
        value = plans.roll(sim.options.seed, s["username"], "workflow", workflow_id)
        if value % 25:
            continue
        rows.append([f"WR{value % 1000000:06d}", workflow, s["username"], f"{s['first_name']} {s['last_name']}",
                     ("submitted", "approved", "rejected")[value // 25 % 3], _date(sim, "wf", s["username"]),
                     ("Approved by advisor", "Awaiting department review", "Does not meet policy")[value // 25 % 3]])
    return ["Request ID", "Workflow", "Student Username", "Student Name", "Status", "Submitted On", "Response"], rows


def incorrect_audit_applications(sim: StellicState, q: QueryParams) -> Rows:
    students, programs = sim.stores["students"], sim.stores["programs"]
    rows = []
    for pe in sim.stores["program_enrollments"].values():
        program = programs[pe["program_id"]]
        value = plans.roll(sim.options.seed, pe["student_username"], pe["program_id"], "audit")
        if value % 40 or program["audit_id"] is None:
            continue
        s = students[pe["student_username"]]
        rows.append([s["username"], s["id"], program["id"], f"{program['audit_id']}-v{1 + value % 3}",
                     f"{program['audit_id']}-v4", "yes" if value // 40 % 2 else "no"])
    return ["Username", "ID", "Program", "Applied Audit Version", "Expected Audit Version", "Manually Applied"], rows


def tagged_notes(sim: StellicState, q: QueryParams) -> Rows:
    tag = required(q, "tag")
    if tag not in sim.stores["tags"]:
        raise not_found(f"Tag {tag!r} not found.", "tag")
    rows = []
    for s in sim.stores["students"].values():
        if tag in s["tags"]:
            value = plans.roll(sim.options.seed, s["username"], "note", tag)
            rows.append([f"N{value % 1000000:06d}", tag, s["username"], f"{s['first_name']} {s['last_name']}",
                         NOTES[value % len(NOTES)], s["primary_advisor_username"], _date(sim, "note", s["username"])])
    return ["Note ID", "Tag", "Student Username", "Student Name", "Note", "Created By", "Created On"], rows


def user_groups(sim: StellicState, q: QueryParams) -> Rows:
    members = {group: sum(1 for s in sim.stores["students"].values() if tag in s["tags"])
               for group, tag in catalog.DYNAMIC_GROUPS.items()}
    advisors = {s["primary_advisor_username"] for s in sim.stores["students"].values()} - {None}
    rows: list[list[Any]] = [[n, group, "dynamic", count] for n, (group, count) in enumerate(members.items(), 1)]
    rows += [[len(rows) + 1, "Advisors", "static", len(advisors)], [len(rows) + 2, "Superadmins", "static", 1]]
    return ["Group ID", "Name", "Type", "Members"], rows


def permissions(sim: StellicState, q: QueryParams) -> Rows:
    rows: list[list[Any]] = [["stellic-admin", "superadmin", "all", "institution"]]
    advisors = sorted({s["primary_advisor_username"] for s in sim.stores["students"].values()} - {None})
    for advisor in advisors:
        rows += [[advisor, "advisor", perm, "advisees"] for perm in ("view_audit", "edit_plan", "add_note")]
    return ["Username", "Role", "Permission", "Scope"], rows
