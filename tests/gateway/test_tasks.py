"""``task(id:)`` and ``node(id:)`` for tasks, and task state shared by replicas through Redis."""

from __future__ import annotations

import time

from schema.node import encode_id
from tests.gateway.test_mutations_assessment import ENROLLMENT, READ_TASK, SET, TASK, poll
from tests.gateway.test_mutations_exports import EXPORT
from tests.gateway.writes import mutate, replica
from tests.gatewayproc import GatewayProcess
from tests.sandboxproc import SandboxProcess

__all__ = ["replica"]  # the fixture


def test_task_ids_this_gateway_did_not_issue(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    malformed = gateway.query(READ_TASK, {"id": "not-a-task"})
    assert malformed["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert gateway.query(READ_TASK, {"id": encode_id("Student", "d59951y")})["errors"][0]["extensions"][
        "code"] == "BAD_USER_INPUT"
    unknown = gateway.query(READ_TASK, {"id": encode_id("Task", "course_assessment:" + "0" * 24)})
    assert unknown == {"data": {"task": None}}
    gone_export = gateway.query(READ_TASK, {"id": encode_id("Task", "export:no-such-file.csv")})
    assert gone_export == {"data": {"task": None}}


def test_a_task_is_a_node(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    task = mutate(gateway, SET, {"e": ENROLLMENT, "w": True})["task"]
    node = gateway.query("query($id: ID!) { node(id: $id) { id ... on Task { kind status } } }", {"id": task["id"]})
    assert node["data"]["node"] == {"id": task["id"], "kind": "COURSE_ASSESSMENT", "status": "COMPLETE"}


def test_a_replica_answers_for_a_task_another_accepted(gateway: GatewayProcess, replica: GatewayProcess,
                                                       sandbox: SandboxProcess) -> None:
    pending = mutate(gateway, SET, {"e": ENROLLMENT, "s": "2020-03-05T17:53:46Z"})["task"]
    seen = poll(replica, pending["id"])  # the replica asks Dartmouth itself while the task runs
    assert seen[-1]["status"] == "COMPLETE" and seen[-1]["createdAt"] == pending["createdAt"]
    done = mutate(gateway, SET, {"e": ENROLLMENT, "w": True})["task"]
    sandbox.reset("dartmouth")  # Dartmouth forgets the task; the shared record does not
    again = replica.query(READ_TASK, {"id": done["id"]})["data"]["task"]
    assert again == done
    assert sandbox.requests("dartmouth")["total"] == 0  # a finished task is answered from the record


def test_a_task_named_twice_in_one_query_is_read_once(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """A front end asking for a task by `node(id:)` and `task(id:)` in one query (or under two aliases) got one
    vendor poll per field, and once the task had changed, one `updatedAt` per field for the same task, the last
    of them the one kept. The fields of one request now share one read: one poll, one task."""
    task = mutate(gateway, EXPORT, {"t": "plan_courses", "p": {"mode": "unmatched"}})["task"]
    both = (f"query($id: ID!) {{ a: node(id: $id) {{ ... on Task {{ {TASK} }} }} b: task(id: $id) {{ {TASK} }} "
            f"c: task(id: $id) {{ {TASK} }} }}")
    polls = "GET /exports/get_export_url/"
    for expected in ("PENDING", "COMPLETE"):
        if expected == "COMPLETE":
            time.sleep(2.0)  # the sandbox's exports take 1.5 s
        before = sandbox.requests("stellic")["by_route"].get(polls, 0)
        result = gateway.query(both, {"id": task["id"]})
        assert "errors" not in result, result["errors"]
        a, b, c = result["data"].values()
        assert a == b == c and a["status"] == expected, result["data"]
        assert sandbox.requests("stellic")["by_route"][polls] == before + 1
    assert gateway.query(READ_TASK, {"id": task["id"]})["data"]["task"] == a  # what the next poll is told
