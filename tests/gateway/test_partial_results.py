"""When one vendor is down, slow or rate limiting, the others' fields still arrive, each failure one coded error."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from tests.gateway.test_students import linked_student
from tests.gatewayproc import GatewayProcess, sandbox_env
from tests.sandboxproc import SandboxProcess

QUERY = """query($n: String) { student(netid: $n) {
    netid firstName hubmis { enrolmentStatus } dartmouth { studentStatusId } stellic { engagementScore } } }"""


@pytest.mark.parametrize(("fault", "code", "status"), [
    ({"outage": True}, "VENDOR_UNAVAILABLE", 503),
    ({"error_rate": 1.0, "error_status": 500}, "VENDOR_UNAVAILABLE", 500),
    ({"fail_next": 10, "error_status": 429, "retry_after_s": 120}, "VENDOR_RATE_LIMITED", 429),
    ({"malformed": True}, "VENDOR_PROTOCOL_ERROR", 200),  # a 200 whose body is not JSON
])
def test_a_failing_dartmouth_leaves_the_other_vendors_fields(gateway: GatewayProcess, sandbox: SandboxProcess,
                                                              fault: dict[str, object], code: str,
                                                              status: int | None) -> None:
    netid = linked_student()
    gateway.query(QUERY, {"n": "warm-up-tokens"})
    sandbox.faults("dartmouth", route="GET /api/students/{netid}", **fault)
    result = gateway.query(QUERY, {"n": netid})
    student = result["data"]["student"]
    assert student["hubmis"]["enrolmentStatus"] == "current"
    assert student["dartmouth"] is None
    errors = [e for e in result["errors"] if e["path"][-1] == "dartmouth"]
    assert len(errors) == 1
    assert errors[0]["extensions"]["code"] == code and errors[0]["extensions"]["vendor"] == "dartmouth"
    assert errors[0]["extensions"].get("status") == status
    text = json.dumps(result)
    assert sandbox.url("dartmouth") not in text and "Traceback" not in text and "sandbox-" not in text


@pytest.fixture(scope="module")
def impatient_gateway(sandbox_process: SandboxProcess) -> Iterator[GatewayProcess]:
    proc = GatewayProcess(sandbox_env(sandbox_process, stellic_timeout_s=0.5, stellic_retries=0)).start()
    yield proc
    proc.stop()


def test_a_slow_vendor_times_out_into_an_error_not_a_hang(impatient_gateway: GatewayProcess,
                                                          sandbox: SandboxProcess) -> None:
    sandbox.faults("stellic", latency_ms=3000)
    started = time.monotonic()
    result = impatient_gateway.query('{ student(netid: "d59951y") { netid stellic { engagementScore } } }')
    assert time.monotonic() - started < 2.5
    assert result["data"]["student"]["netid"] == "d59951y"
    assert {(e["extensions"]["vendor"], e["extensions"]["code"]) for e in result["errors"]} == {
        ("stellic", "VENDOR_UNAVAILABLE")}


EVERYTHING = """query($n: String) { student(netid: $n) {
    netid stellicUsername hubmisId lastName
    hubmis { enrolmentStatus } dartmouth { studentStatusId } stellic { engagementScore } } }"""


@pytest.mark.parametrize(("down", "field"), [("hubmis", "hubmis"), ("stellic", "stellic"),
                                             ("dartmouth", "dartmouth")])
def test_each_vendor_down_in_turn(gateway: GatewayProcess, sandbox: SandboxProcess, down: str, field: str) -> None:
    netid = linked_student()
    gateway.query(EVERYTHING, {"n": "warm-up-tokens"})
    sandbox.faults(down, outage=True)
    result = gateway.query(EVERYTHING, {"n": netid})
    student = result["data"]["student"]
    assert student is not None and student["netid"] in (netid, None)
    failing = {e["path"][-1] for e in result["errors"]}
    assert field in failing
    assert {e["extensions"]["vendor"] for e in result["errors"]} == {down}
    assert all(e["extensions"]["code"] in ("VENDOR_UNAVAILABLE", "VENDOR_CIRCUIT_OPEN") for e in result["errors"])
    others = {"hubmis": student["hubmis"], "dartmouth": student["dartmouth"],
              "stellic": (student.get("stellic") or {}).get("engagementScore")}
    assert all(value is not None for vendor, value in others.items() if vendor != down)
