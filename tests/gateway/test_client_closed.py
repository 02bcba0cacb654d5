"""A read-only request whose client hangs up stops calling the vendors; a write goes on."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import httpx
import pytest

from gateway.security.guard import read_only as is_read_only
from tests.gatewayproc import GatewayProcess
from tests.sandboxproc import SandboxProcess

# Level 1: the student's active enrollments (Dartmouth); level 2: each enrolled section's seats.
SEATS = """query LeftEarly($netid: String!) { student(netid: $netid) {
    enrollments(activeOnly: true) { section { code seats { enrolled } } } } }"""
NETID = "d59951y"
SECTION_READS = "GET /api/academic/sections/{id}"


def _logged(gateway: GatewayProcess, request_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for line in gateway.logs().splitlines():
            entry = json.loads(line)
            if entry.get("request_id") == request_id and "request" in entry:
                return dict(entry["request"])
        time.sleep(0.1)
    raise AssertionError(f"no request line for {request_id}")


def test_a_query_whose_client_hangs_up_sends_no_more_vendor_calls(gateway: GatewayProcess,
                                                                  sandbox: SandboxProcess) -> None:
    sandbox.reset()
    sandbox.faults("dartmouth", latency_ms=700)
    request_id = uuid.uuid4().hex
    with pytest.raises(httpx.ReadTimeout):  # the client gives up while the enrollments are read
        httpx.post(f"{gateway.url}/graphql", json={"query": SEATS, "variables": {"netid": NETID}},
                   headers={**gateway.bearer(), "X-Request-ID": request_id}, timeout=0.3)
    line = _logged(gateway, request_id)  # logged once the level-1 reads it had sent have answered
    assert line["status"] == 499 and "CLIENT_CLOSED_REQUEST" in line["errors"], line
    routes = sandbox.requests("dartmouth")["by_route"]
    assert routes.get("GET /api/academic/enrollments") == 1, routes  # in flight when it hung up: it finished
    assert SECTION_READS not in routes, routes  # nothing after: no one would read it

    # The same query, its client waiting: the sections are read (and the enrollments come from the cache).
    sandbox.faults("dartmouth", latency_ms=0)
    result = gateway.query(SEATS, {"netid": NETID})
    assert "errors" not in result, result["errors"]
    sections = {e["section"]["code"] for e in result["data"]["student"]["enrollments"]}
    assert sections and sandbox.requests("dartmouth")["by_route"].get(SECTION_READS) == len(sections)
    assert sandbox.requests("dartmouth")["by_route"].get("GET /api/academic/enrollments") == 1


@pytest.mark.parametrize(("text", "read_only"), [
    ("{ student(netid: \"x\") { netid } }", True),
    ("query Q { a } fragment F on Student { netid }", True),
    ('query Q { a(s: "mutation") } # mutation', True),
    ("mutation M { addStudentTag(username: \"u\", tag: \"t\") { ok } }", False),
    ("query Q { a } mutation M { b }", False),
    ("subscription S { taskUpdates(id: \"1\") { state } }", False),
    ('query Q { a(s: "unterminated }', False),
])
def test_only_a_document_without_writes_is_stopped_when_its_client_leaves(text: str, read_only: bool) -> None:
    assert is_read_only(text) is read_only
