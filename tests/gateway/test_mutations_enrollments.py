"""Stellic course enrollments (a full replace per term, answered item by item) and section enrollments."""

from __future__ import annotations

from typing import Any

from tests.gateway.writes import USER_ERRORS, calls, codes, mutate
from tests.gatewayproc import GatewayProcess
from tests.sandboxproc import SandboxProcess

STUDENT = "f00q1kd"
BATCH = f"success items {{ index succeeded record }} {USER_ERRORS}"
REPLACE = f"""mutation($u: String!, $t: String!, $e: [CourseEnrollmentInput!]!) {{
  replaceCourseEnrollments(username: $u, termId: $t, enrollments: $e) {{ {BATCH} }} }}"""
FUTURE = """query($u: String!, $f: String!) { student(stellicUsername: $u) { stellic {
  futureCourses(courseFilter: $f) } } }"""


def future_courses(gateway: GatewayProcess, course_filter: str) -> list[dict[str, Any]]:
    courses: list[dict[str, Any]] = gateway.query(FUTURE, {"u": STUDENT, "f": course_filter})[
        "data"]["student"]["stellic"]["futureCourses"]
    return courses


def course_enrollments(sandbox: SandboxProcess, username: str, term: str) -> set[str]:
    ids = sandbox.records("stellic", "course_enrollments")["ids"]
    return {i.split(":")[2] for i in ids if i.startswith(f"{username}:{term}:")}


def test_a_full_replace_maps_each_item_and_the_planner_read_follows(gateway: GatewayProcess,
                                                                    sandbox: SandboxProcess) -> None:
    planned = future_courses(gateway, "planned")
    term = planned[0]["term"]
    keep, add = [c["course"] for c in planned if c["term"] == term][:2]
    before = {c["course"] for c in future_courses(gateway, "registered") if c["term"] == term}  # now cached
    assert keep not in before and add not in before  # planned courses are those not registered
    payload = mutate(gateway, REPLACE, {"u": STUDENT, "t": term, "e": [
        {"course": keep, "units": 1}, {"course": "ZZZZ 999"}, {"course": add, "gradeOption": "pass_fail"}]})
    assert not payload["success"]
    assert [(i["index"], i["succeeded"]) for i in payload["items"]] == [(0, True), (1, False), (2, True)]
    assert payload["items"][2]["record"]["course"] == add and payload["items"][1]["record"] is None
    assert codes(payload) == [(["enrollments", "1", "course"], "NOT_APPLIED")]
    assert "ZZZZ 999" in payload["userErrors"][0]["message"]
    assert course_enrollments(sandbox, STUDENT, term) == {keep, add}
    registered = [c["course"] for c in future_courses(gateway, "registered") if c["term"] == term]
    assert sorted(registered) == sorted([keep, add])  # the planner read was forgotten, not served from cache


def test_course_enrollment_input_errors_are_caught_before_any_call(gateway: GatewayProcess,
                                                                   sandbox: SandboxProcess) -> None:
    payload = mutate(gateway, REPLACE, {"u": STUDENT, "t": " ", "e": [
        {"course": "BIOL 020", "units": -1, "sections": ["1009", "1009"]}, {"course": "BIOL 020"}, {"course": ""}]})
    assert sorted(codes(payload)) == sorted([
        (["termId"], "REQUIRED"), (["enrollments", "0", "units"], "OUT_OF_RANGE"),
        (["enrollments", "0", "sections", "1"], "DUPLICATE"), (["enrollments", "1", "course"], "DUPLICATE"),
        (["enrollments", "2", "course"], "REQUIRED")])
    assert [i["succeeded"] for i in payload["items"]] == [False, False, False]
    assert calls(sandbox, "stellic") == []


def test_a_body_over_stellics_10_mb_is_refused_before_any_call(gateway: GatewayProcess,
                                                               sandbox: SandboxProcess) -> None:
    # One 0.9 MB variable used by twelve items: a small request whose Stellic body would be 10.8 MB.
    items = ", ".join(f'{{course: "C{i}", transferCourseMeta: $m}}' for i in range(12))
    query = f"""mutation($m: String!) {{ replaceCourseEnrollments(username: "{STUDENT}", termId: "20263",
        enrollments: [{items}]) {{ {BATCH} }} }}"""
    payload = mutate(gateway, query, {"m": "x" * 900_000})
    assert codes(payload) == [(["enrollments"], "TOO_LARGE")] and "10 MB" in payload["userErrors"][0]["message"]
    assert calls(sandbox, "stellic") == []


SECTION_INPUT = """{studentUsername: $u, course: $course, section: $section, isEnrollmentComponent: true,
  registrationStatus: "enrolled", units: 1}"""


def a_section(sandbox: SandboxProcess, taken: set[str]) -> dict[str, Any]:
    for section_id in sandbox.records("stellic", "sections")["ids"]:
        section: dict[str, Any] = sandbox.records("stellic", "sections", section_id)
        if section["course"] not in taken:
            return section
    raise AssertionError("no free section")


def test_a_section_enrollment_is_created_patched_replaced_and_deleted(gateway: GatewayProcess,
                                                                      sandbox: SandboxProcess) -> None:
    mine = {se.split(":")[2] for se in sandbox.records("stellic", "course_enrollments")["ids"]
            if se.startswith(STUDENT + ":")}
    section = a_section(sandbox, mine)
    args = {"u": STUDENT, "course": section["course"], "section": section["id"], "id": "se-new-1"}
    created = mutate(gateway, f"""mutation($id: ID!, $u: String!, $course: String!, $section: String!) {{
        createSectionEnrollment(id: $id, input: {SECTION_INPUT}) {{ {BATCH} }} }}""", args)
    assert created["success"] and created["items"][0]["succeeded"]
    assert created["items"][0]["record"]["id"] == "se-new-1"
    record = sandbox.records("stellic", "section_enrollments", "se-new-1")
    assert (record["student_username"], record["section"], record["term"]) == (STUDENT, section["id"], section["term"])
    key = f"{STUDENT}:{section['term']}:{section['course']}"
    assert sandbox.records("stellic", "course_enrollments", key)["sections"] == [section["id"]]

    again = mutate(gateway, f"""mutation($id: ID!, $u: String!, $course: String!, $section: String!) {{
        createSectionEnrollment(id: $id, input: {SECTION_INPUT}) {{ {BATCH} }} }}""", args)
    assert not again["success"] and codes(again) == [(["id"], "NOT_APPLIED")]

    patched = mutate(gateway, f"""mutation {{ patchSectionEnrollment(id: "se-new-1",
        patch: {{registrationStatus: "waitlisted"}}) {{ {BATCH} }} }}""")
    assert patched["success"]
    assert sandbox.records("stellic", "section_enrollments", "se-new-1")["registration_status"] == "waitlisted"

    replaced = mutate(gateway, f"""mutation($id: ID!, $u: String!, $course: String!, $section: String!) {{
        updateSectionEnrollment(id: $id, input: {SECTION_INPUT}) {{ {BATCH} }} }}""", args)
    assert replaced["success"]
    assert sandbox.records("stellic", "section_enrollments", "se-new-1")["registration_status"] == "enrolled"

    deleted = mutate(gateway, f"""mutation {{ deleteSectionEnrollment(id: "se-new-1") {{ success {USER_ERRORS} }}
        }}""")
    assert deleted == {"success": True, "userErrors": []}
    assert "se-new-1" not in sandbox.records("stellic", "section_enrollments")["ids"]
    assert key not in sandbox.records("stellic", "course_enrollments")["ids"]  # the last section took the course
    missing = mutate(gateway, f"""mutation {{ deleteSectionEnrollment(id: "se-new-1") {{ success {USER_ERRORS} }}
        }}""")
    assert missing["success"] is False and codes(missing) == [(None, "NOT_FOUND")]


def test_a_section_enrollment_stellic_refuses_names_the_field(gateway: GatewayProcess,
                                                              sandbox: SandboxProcess) -> None:
    payload = mutate(gateway, f"""mutation {{ createSectionEnrollment(id: "se-new-2", input: {{
        studentUsername: "{STUDENT}", course: "BIOL 020", section: "no-such-section",
        isEnrollmentComponent: true}}) {{ {BATCH} }} }}""")
    assert not payload["success"] and codes(payload) == [(["input", "section"], "NOT_APPLIED")]


def test_section_enrollment_input_errors_are_caught_before_any_call(gateway: GatewayProcess,
                                                                    sandbox: SandboxProcess) -> None:
    empty = mutate(gateway, f"""mutation {{ patchSectionEnrollment(id: "10209-102", patch: {{}}) {{ {BATCH} }} }}""")
    assert codes(empty) == [(["patch"], "REQUIRED")]
    bad = mutate(gateway, f"""mutation {{ createSectionEnrollment(id: "", input: {{studentUsername: " ",
        course: "BIOL 020", section: "1009", isEnrollmentComponent: true, units: -2}}) {{ {BATCH} }} }}""")
    assert sorted(codes(bad)) == [(["id"], "REQUIRED"), (["input", "studentUsername"], "REQUIRED"),
                                  (["input", "units"], "OUT_OF_RANGE")]
    assert calls(sandbox, "stellic") == []
