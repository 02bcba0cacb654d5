"""/healthz says the process is up; /readyz lists each vendor and Redis, and stays ready while one vendor is down
and the others serve, and while Redis, once configured, stops answering (shown as such)."""

from __future__ import annotations

import time
from typing import Any

import httpx

from gateway.observability.health import vendor_up
from tests.gateway.test_students import linked_student
from tests.gatewayproc import GatewayProcess, sandbox_env
from tests.redisproc import RedisProcess
from tests.sandboxproc import SandboxProcess

EVERYONE = "query($n: String) { student(netid: $n) { netid dartmouth { gradTerm } hubmis { enrolmentStatus } } }"


def ready(gateway: GatewayProcess) -> tuple[int, dict[str, Any]]:
    response = httpx.get(f"{gateway.url}/readyz", timeout=10)
    return response.status_code, response.json()


def by_vendor(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {v["vendor"]: v for v in body["vendors"]}


def test_a_vendor_down_at_start_is_reported_while_the_gateway_stays_ready(sandbox: SandboxProcess) -> None:
    sandbox.faults("dartmouth", outage=True)
    # The failed exchanges, retried as reads are, may open the exchange route's circuit: it probes again after 1 s.
    gateway = GatewayProcess(sandbox_env(sandbox, dartmouth_breaker_reset_s=1)).start()  # waits for /readyz: 200
    try:
        assert httpx.get(f"{gateway.url}/healthz").json() == {"status": "ok"}
        status, body = ready(gateway)
        assert status == 200 and body["ready"] is True and body["down"] == ["dartmouth"]
        dartmouth = by_vendor(body)["dartmouth"]
        assert dartmouth["up"] is False and dartmouth["session_open"] is True
        assert dartmouth["credentials_ready"] is False  # its JWT could not be obtained
        assert by_vendor(body)["hubmis"]["up"] and by_vendor(body)["stellic"]["up"]
        assert body["redis"] is None  # not configured
        result = gateway.query(EVERYONE, {"n": linked_student()})  # and the others do serve
        assert result["data"]["student"]["hubmis"] is not None and result["data"]["student"]["dartmouth"] is None

        sandbox.reset("dartmouth")  # Dartmouth is back: a call (the probe, once the circuit allows) obtains a JWT
        deadline = time.monotonic() + 10
        while (again := gateway.query(EVERYONE, {"n": linked_student()}))["data"]["student"]["dartmouth"] is None:
            assert time.monotonic() < deadline, again["errors"]
            time.sleep(0.2)
        assert ready(gateway)[1]["down"] == []
    finally:
        gateway.stop()


def test_an_open_breaker_marks_its_vendor_down(sandbox: SandboxProcess) -> None:
    gateway = GatewayProcess(sandbox_env(sandbox, hubmis_breaker_failures=2, hubmis_retries=0)).start()
    try:
        gateway.query(EVERYONE, {"n": linked_student()})
        sandbox.faults("hubmis", outage=True)
        for n in (56, 57, 58):  # uncached HUBmis reads, each failing
            gateway.query("query($n: Int) { student(hubmisId: $n) { hubmisId } }", {"n": n})
        status, body = ready(gateway)  # one route failing: its circuit is open, the vendor is not down
        assert status == 200 and body["down"] == []
        assert by_vendor(body)["hubmis"]["breaker"] == "open" and by_vendor(body)["hubmis"]["up"] is True
        assert by_vendor(body)["hubmis"]["circuits"] == {"GET /api/v1/students/{id}": "open"}
        gateway.query("{ staff(first: 2) { totalCount } }")  # a second route failing: the vendor is
        status, body = ready(gateway)
        assert status == 200 and body["down"] == ["hubmis"]
        assert by_vendor(body)["hubmis"]["breaker"] == "open" and by_vendor(body)["hubmis"]["up"] is False
    finally:
        gateway.stop()


def test_one_dartmouth_breaker_whatever_the_callers_scopes(sandbox: SandboxProcess) -> None:
    """A caller without people:private reads Dartmouth with a JWT of its own, through a second client that had a
    breaker of its own: its failures opened a circuit /readyz, /metrics and `vendors` never showed (Dartmouth
    "closed", not down), and callers with people:private went on calling the vendor that was down, and the other
    way round."""
    gateway = GatewayProcess(sandbox_env(sandbox, dartmouth_breaker_failures=2, dartmouth_retries=0,
                                         dartmouth_breaker_reset_s=60)).start()
    try:
        sandbox.faults("dartmouth", outage=True)
        netids = [n for n in sandbox.records("dartmouth", "students")["ids"][:6] if n != "d59951y"]
        # Uncached reads by a basic caller, of two routes (the vendor failing, not one endpoint), each failing.
        result = gateway.query("query($n: String) { student(netid: $n) { classYear } holdTypes { id } }",
                               {"n": netids[0]}, scopes=["students:read"])
        assert {e["extensions"]["code"] for e in result["errors"]} == {"VENDOR_UNAVAILABLE"}, result
        status, body = ready(gateway)
        assert status == 200 and body["down"] == ["dartmouth"], body
        assert by_vendor(body)["dartmouth"]["breaker"] == "open"
        sent = sandbox.requests("dartmouth")["total"]
        everything = gateway.query("query($n: String) { student(netid: $n) { classYear } }", {"n": netids[2]})
        assert everything["errors"][0]["extensions"]["code"] == "VENDOR_CIRCUIT_OPEN", everything
        assert sandbox.requests("dartmouth")["total"] == sent  # nothing sent to the vendor that is down
        vendors = gateway.query("{ vendors { vendor circuit } }")["data"]["vendors"]
        assert {v["vendor"]: v["circuit"] for v in vendors}["DARTMOUTH"] == "open", vendors
    finally:
        gateway.stop()


def test_redis_configured_but_gone_is_shown_while_the_gateway_stays_ready(sandbox: SandboxProcess) -> None:
    """Every replica shares the one Redis: taking them out of rotation would make a Redis outage a full one,
    while each still serves without it (tests/deploy/test_redis_outage.py)."""
    redis = RedisProcess()
    gateway = GatewayProcess(sandbox_env(sandbox, redis_url=redis.url)).start()
    try:
        status, body = ready(gateway)
        assert status == 200 and body["redis"] == {"ok": True}
        redis.stop()
        status, body = ready(gateway)
        assert status == 200 and body["ready"] is True and body["redis"] == {"ok": False}
    finally:
        gateway.stop()
        redis.stop()


def test_a_vendor_is_up_only_with_session_credentials_and_not_every_circuit_open() -> None:
    up = {"session_open": True, "credentials_ready": True, "breaker": "open", "all_circuits_open": False}
    assert vendor_up(up)  # one route's circuit open (a broken endpoint): the vendor still serves the others
    assert not vendor_up({**up, "all_circuits_open": True})
    assert not vendor_up({**up, "session_open": False}) and not vendor_up({**up, "credentials_ready": False})


def test_a_credential_due_for_renewal_is_not_a_vendor_down(sandbox: SandboxProcess) -> None:
    """Tokens are renewed by the next call that needs one: a quiet spell past a token's renewal time (HUBmis' after
    13.5 minutes, Dartmouth's after 54) left /readyz listing both vendors down with nothing wrong. A renewal that
    fails does mark its vendor down."""
    for vendor in ("dartmouth", "hubmis"):
        sandbox.faults(vendor, token_ttl_s=2)
    gateway = GatewayProcess(sandbox_env(sandbox)).start()
    try:
        time.sleep(2.5)  # both tokens are past their renewal time (and expired); no call has needed one
        status, body = ready(gateway)
        assert status == 200 and body["down"] == [], body
        assert all(v["credentials_ready"] for v in body["vendors"])
        sandbox.faults("dartmouth", route="POST /api/jwt", outage=True)
        result = gateway.query(EVERYONE, {"n": linked_student()})
        assert result["data"]["student"]["hubmis"] is not None and result["data"]["student"]["dartmouth"] is None
        status, body = ready(gateway)
        assert status == 200 and body["down"] == ["dartmouth"]
        assert by_vendor(body)["dartmouth"]["credentials_ready"] is False
    finally:
        gateway.stop()


def test_a_failing_credential_exchange_is_suspended_like_any_route(sandbox: SandboxProcess) -> None:
    """Every request needing a token waits for the exchange, so Dartmouth's JWT route failing cost each request an
    exchange (and, had it hung, its timeout) for as long as it lasted. Its failures now open its circuit: past the
    threshold a request is refused at once, nothing sent, and /readyz has Dartmouth down for its credentials."""
    sandbox.faults("dartmouth", token_ttl_s=2)
    gateway = GatewayProcess(sandbox_env(sandbox, dartmouth_breaker_failures=2, dartmouth_breaker_reset_s=60)).start()
    try:
        time.sleep(2.5)  # the token is past its renewal time: the next Dartmouth read exchanges the key again
        sandbox.faults("dartmouth", route="POST /api/jwt", outage=True)
        netids = [n for n in sandbox.records("dartmouth", "students")["ids"][:5] if n != "d59951y"]
        query = "query($n: String) { student(netid: $n) { netid dartmouth { gradTerm } } }"
        codes = []
        for netid in netids[:3]:  # uncached reads, each needing the token
            result = gateway.query(query, {"n": netid})
            codes.append({e["extensions"]["code"] for e in result["errors"]})
        exchanges = sum(r["route"] == "POST /api/jwt" and r["status"] == 503
                        for r in sandbox.requests("dartmouth")["requests"])
        # The first request's exchange and its retry fail, which opens the circuit: the others send none.
        assert codes == [{"VENDOR_UNAVAILABLE"}, {"VENDOR_CIRCUIT_OPEN"}, {"VENDOR_CIRCUIT_OPEN"}], codes
        assert exchanges == 2
        status, body = ready(gateway)
        assert status == 200  # the other vendors still serve
        dartmouth = by_vendor(body)["dartmouth"]
        assert "dartmouth" in body["down"] and dartmouth["credentials_ready"] is False, dartmouth
        assert dartmouth["circuits"] == {"POST /api/jwt": "open"}
        assert dartmouth["last_error"]["code"] == "VENDOR_UNAVAILABLE"  # the exchange's, not the refusal
    finally:
        gateway.stop()
