"""Writes need their scope: a caller without it reaches no vendor, and a task is followed with the same scope."""

from __future__ import annotations

import time

from gateway.sandbox.world import DARTMOUTH, STELLIC
from tests.gateway.test_mutations_assessment import ENROLLMENT, READ_TASK, SET
from tests.gateway.test_students import world
from tests.gateway.writes import calls, codes, writes
from tests.gatewayproc import GatewayProcess, sandbox_env
from tests.sandboxproc import SandboxProcess

TAG = 'mutation { addStudentTag(username: "mabbott", tag: "honors") { success } }'
EXPORT = 'mutation { startExport(dataType: "user_groups") { task { id } } }'
ADD_TAG = ('mutation($u: String!, $t: String!) { addStudentTag(username: $u, tag: $t) '
           '{ success userErrors { field message code } } }')


def test_a_write_without_its_scope_reaches_no_vendor(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    reader = ["students:read", "students:read.sensitive"]
    for query, variables, scope in ((TAG, None, "stellic:write"), (EXPORT, None, "exports:run"),
                                    (SET, {"e": ENROLLMENT, "s": "2020-03-05T17:53:46Z"}, "enrollments:write")):
        result = gateway.query(query, variables, scopes=reader)
        assert result["data"] is None
        assert (result["errors"][0]["extensions"]["code"], result["errors"][0]["extensions"]["scope"]) == (
            "FORBIDDEN", scope)
    assert writes(sandbox, "stellic") == [] and writes(sandbox, "dartmouth") == []
    assert "export" not in str(sandbox.requests("stellic")["by_route"])


def test_a_task_is_followed_with_the_scope_that_started_it(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    task = gateway.query(EXPORT)["data"]["startExport"]["task"]
    as_writer = gateway.query(READ_TASK, {"id": task["id"]}, scopes=["stellic:write", "enrollments:write"])
    assert as_writer["data"]["task"] is None
    assert as_writer["errors"][0]["extensions"] == {**as_writer["errors"][0]["extensions"], "code": "FORBIDDEN",
                                                    "scope": "exports:run"}
    assert gateway.query(READ_TASK, {"id": task["id"]}, scopes=["exports:run"])["data"]["task"]["id"] == task["id"]


def test_a_course_assessment_of_a_protected_person_is_not_written_for_a_caller_without_the_private_scope(
        gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """The PATCH went with the gateway's every-scope JWT whoever asked: a caller with enrollments:write but not
    people:private changed the course assessment of a FERPA-protected student, whom every read hides from them,
    and was told it was done. It is sent with the JWT of the caller's view, as reads are, so Dartmouth answers
    as it answers for no such enrollment."""
    protected = next(e for e in world().enrollments.values() if e.role == "student"
                     and world().people[e.person_key].ferpa)
    without = ["students:read", "students:read.sensitive", "enrollments:write"]
    before = sandbox.records("dartmouth", "enrollments", protected.id)
    result = gateway.query(SET, {"e": protected.id, "s": "2026-03-05T17:53:46Z", "w": True}, scopes=without)
    payload = result["data"]["setCourseAssessment"]
    assert payload["success"] is False and payload["task"] is None, result
    assert codes(payload) == [(["enrollmentId"], "NOT_FOUND")]
    assert sandbox.records("dartmouth", "enrollments", protected.id) == before  # unchanged


def test_a_stellic_write_to_a_protected_student_is_refused_as_for_an_unknown_one_without_the_private_scope(
        gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """A caller with stellic:write but not people:private tagged a FERPA-protected student, whom every read hides
    from them, and the answer told them who exists ("Tag 'x' not found" against "Student 'x' not found"). Such a
    write is refused before any call, with what Stellic answers for a student it does not have."""
    protected = next(p.key for p in world().students() if p.ferpa and STELLIC in p.vendors)
    ordinary = next(p.key for p in world().students() if not p.ferpa and {DARTMOUTH, STELLIC} <= p.vendors)
    writer = ["students:read", "stellic:write"]
    before = sandbox.records("stellic", "students", protected)["tags"]
    tag = next(t for t in ("honors", "veteran", "athlete") if t not in before)
    unknown = gateway.query(ADD_TAG, {"u": "nosuchperson", "t": tag}, scopes=writer)["data"]["addStudentTag"]
    assert unknown["userErrors"] == [{"field": None, "message": "Student 'nosuchperson' not found.",
                                      "code": "NOT_FOUND"}]
    sandbox.reset()  # an empty request log
    refused = gateway.query(ADD_TAG, {"u": protected, "t": tag}, scopes=writer)["data"]["addStudentTag"]
    assert refused == {"success": False, "userErrors": [
        {"field": None, "message": f"Student {protected!r} not found.", "code": "NOT_FOUND"}]}
    assert calls(sandbox, "stellic") == []  # not even a read
    assert sandbox.records("stellic", "students", protected)["tags"] == before  # unchanged
    # The same caller writes to a student they may see; a caller with people:private to the protected one.
    theirs = next(t for t in ("honors", "veteran", "athlete") if t not in sandbox.records("stellic", "students",
                                                                                      ordinary)["tags"])
    assert gateway.query(ADD_TAG, {"u": ordinary, "t": theirs}, scopes=writer)["data"]["addStudentTag"][
        "success"] is True
    private = gateway.query(ADD_TAG, {"u": protected, "t": tag}, scopes=[*writer, "people:private"])
    assert private["data"]["addStudentTag"]["success"] is True, private
    assert tag in sandbox.records("stellic", "students", protected)["tags"]


ERRORS = "userErrors { field message code }"
# Each Stellic write that names a student, as the caller names them ($u); answered for an unknown student by Stellic.
NAMING: dict[str, str] = {
    "removeStudentTag": f'removeStudentTag(username: $u, tag: "honors") {{ success {ERRORS} }}',
    "addStudentSchool": f'addStudentSchool(username: $u, schoolId: "TU") {{ success {ERRORS} }}',
    "createProgramEnrollment": f'createProgramEnrollment(username: $u, programId: "MATH-MIN", input: {{'
                               f'concentrationIds: [], catalogTerm: "20254", order: 1, certificationStatus: false, '
                               f'certificationDate: "2026-11-01"}}) '
                               f'{{ success {ERRORS} }}',
    "replaceCourseEnrollments": f'replaceCourseEnrollments(username: $u, termId: "20254", enrollments: []) '
                                f'{{ success items {{ succeeded }} {ERRORS} }}',
    "createSectionEnrollment": f'createSectionEnrollment(id: "se-ferpa", input: {{studentUsername: $u, course: "X", '
                               f'section: "1", isEnrollmentComponent: true}}) {{ success items {{ succeeded }} '
                               f'{ERRORS} }}',
    "placeHold": f'placeHold(input: {{sisId: "H-FERPA", studentId: $u, holdCode: "AR"}}) {{ success {ERRORS} }}',
    "createRegistrationTime": f'createRegistrationTime(id: "90990", input: {{studentUsername: $u, '
                              f'timestamp: "2026-12-01 10:00", semester: "spring", year: 2027, term: "20271"}}) '
                              f'{{ success {ERRORS} }}',
}


def test_each_stellic_write_naming_a_protected_student_is_answered_as_for_an_unknown_one(
        gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """What a caller without people:private is told of a protected student, names swapped, is what Stellic told
    them of one it does not have; a hold's student is found by their Stellic ID too. Nothing reaches Stellic."""
    person = next(p for p in world().students() if p.ferpa and STELLIC in p.vendors)
    writer = ["students:read", "stellic:write"]

    def run(field: str, student: str) -> dict[str, object]:
        result = gateway.query(f"mutation($u: String!) {{ {NAMING[field]} }}", {"u": student}, scopes=writer)
        assert "errors" not in result, result
        payload: dict[str, object] = result["data"][field]
        return payload

    hidden = {field: run(field, person.key) for field in NAMING}
    by_id = run("placeHold", str(person.stellic_id))
    assert writes(sandbox, "stellic") == []
    for field, payload in hidden.items():
        assert payload["success"] is False, (field, payload)
        unknown = run(field, "nosuchperson")
        assert str(payload).replace(person.key, "nosuchperson") == str(unknown), field
    assert str(by_id).replace(str(person.stellic_id), "99999999") == str(run("placeHold", "99999999"))


def test_while_dartmouth_is_down_a_stellic_write_is_decided_as_a_read_is(gateway: GatewayProcess,
                                                                          sandbox: SandboxProcess) -> None:
    """The FERPA index of Dartmouth's last answers decides while Dartmouth is down; before its first build, the
    write fails as the read of that person does (Dartmouth is asked), and nothing is sent to Stellic."""
    protected = next(p.key for p in world().students() if p.ferpa and STELLIC in p.vendors)
    writer = ["students:read", "stellic:write"]
    deadline = time.monotonic() + 30
    while "ferpa index built" not in gateway.logs() and time.monotonic() < deadline:
        time.sleep(0.1)
    sandbox.faults("dartmouth", outage=True)
    indexed = gateway.query(ADD_TAG, {"u": protected, "t": "honors"}, scopes=writer)["data"]["addStudentTag"]
    assert indexed["userErrors"] == [{"field": None, "message": f"Student {protected!r} not found.",
                                      "code": "NOT_FOUND"}]
    cold = GatewayProcess(sandbox_env(sandbox)).start()  # its index cannot be built
    try:
        read = cold.query('query($n: String) { student(netid: $n) { netid } }', {"n": protected}, scopes=writer)
        write = cold.query(ADD_TAG, {"u": protected, "t": "honors"}, scopes=writer)
    finally:
        cold.stop()
    assert write["data"] is None and read["data"]["student"] is None
    assert write["errors"][0]["extensions"]["code"] == read["errors"][0]["extensions"]["code"] == "VENDOR_UNAVAILABLE"
    assert writes(sandbox, "stellic") == []
