"""Writes need their scope: a caller without it reaches no vendor, and a task is followed with the same scope."""

from __future__ import annotations

from tests.gateway.test_mutations_assessment import ENROLLMENT, READ_TASK, SET
from tests.gateway.test_students import world
from tests.gateway.writes import codes, writes
from tests.gatewayproc import GatewayProcess
from tests.sandboxproc import SandboxProcess

TAG = 'mutation { addStudentTag(username: "mabbott", tag: "honors") { success } }'
EXPORT = 'mutation { startExport(dataType: "user_groups") { task { id } } }'


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
