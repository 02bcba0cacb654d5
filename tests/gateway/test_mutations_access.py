"""Writes need their scope: a caller without it reaches no vendor, and a task is followed with the same scope."""

from __future__ import annotations

from tests.gateway.test_mutations_assessment import ENROLLMENT, READ_TASK, SET
from tests.gateway.writes import writes
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
