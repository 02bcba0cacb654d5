"""Circuit breakers as users see them: an outage reported as the outage, one probe after the reset time, a broken
route suspending only its own calls, and the gateway's own failing work suspending nothing."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from tests.gateway.test_partial_results import WIDE_QUERY
from tests.gateway.test_students import linked_student
from tests.gatewayproc import GatewayProcess, sandbox_env
from tests.sandboxproc import SandboxProcess

# The README's outage example, through gateways whose breakers trip as in production (5 failures) with a short reset
# (1 s) so recovery is quick to see. One process per test: a breaker left open must not reach the next test.
README_QUERY = """query($n: String) {
    student(netid: $n) { netid stellic { engagementScore } dartmouth { gradTerm } } }"""
HUBMIS_QUERY = """query($n: String) { student(netid: $n) { netid stellic { engagementScore }
    hubmis { enrolmentStatus form { name } yearGroup { name } academicHouse { name } } } }"""


@pytest.fixture
def tripping_gateway(sandbox: SandboxProcess) -> Iterator[GatewayProcess]:
    proc = GatewayProcess(sandbox_env(sandbox, dartmouth_breaker_reset_s=1.0, hubmis_breaker_reset_s=1.0)).start()
    yield proc
    proc.stop()


@pytest.mark.parametrize(("vendor", "query"), [("dartmouth", README_QUERY), ("dartmouth", WIDE_QUERY),
                                               ("hubmis", HUBMIS_QUERY)])
def test_an_outage_is_reported_as_the_outage_not_as_the_circuit_it_opened(
        tripping_gateway: GatewayProcess, sandbox: SandboxProcess, vendor: str, query: str) -> None:
    netid = linked_student()
    tripping_gateway.query(query, {"n": "warm-up-tokens"})
    sandbox.reset(vendor)
    sandbox.faults(vendor, outage=True)
    result = tripping_gateway.query(query, {"n": netid})
    student = result["data"]["student"]
    assert student["stellic"]["engagementScore"] is not None
    assert student[vendor] is None
    assert vendor in {e["path"][-1] for e in result["errors"]}
    assert [(e["extensions"]["code"], e["extensions"]["vendor"], e["extensions"]["status"]) for e in result["errors"]
            ] == [("VENDOR_UNAVAILABLE", vendor, 503)] * len(result["errors"])
    # The request's failed reads retried one at a time, and not once the circuit had opened.
    assert sandbox.requests(vendor)["total"] <= 6

    # Once the outage has opened the circuit, a request is told so, with the status that opened it, and calls
    # nothing; every request before it reported the outage.
    for _ in range(5):
        if circuit(tripping_gateway, vendor) == "open":
            break
        again = tripping_gateway.query(query, {"n": netid})
        assert {(e["extensions"]["code"], e["extensions"]["status"]) for e in again["errors"]} == {
            ("VENDOR_UNAVAILABLE", 503)}
    sandbox.reset(vendor)
    sandbox.faults(vendor, outage=True)
    later = tripping_gateway.query(query, {"n": netid})
    assert {(e["extensions"]["code"], e["extensions"]["status"]) for e in later["errors"]} == {
        ("VENDOR_CIRCUIT_OPEN", 503)}
    assert later["data"]["student"]["stellic"]["engagementScore"] is not None
    assert sandbox.requests(vendor)["total"] == 0


def circuit(gateway: GatewayProcess, vendor: str) -> str:
    found = gateway.query("{ vendors { vendor circuit } }")["data"]["vendors"]
    return str(next(v["circuit"] for v in found if v["vendor"].lower() == vendor)).lower()


def test_after_the_reset_time_parallel_calls_wait_for_the_probe_and_succeed(
        tripping_gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    netid = linked_student()
    tripping_gateway.query(WIDE_QUERY, {"n": "warm-up-tokens"})
    sandbox.faults("dartmouth", outage=True)
    assert tripping_gateway.query(WIDE_QUERY, {"n": netid})["errors"]
    assert circuit(tripping_gateway, "dartmouth") == "open"
    sandbox.reset("dartmouth")
    sandbox.faults("dartmouth", latency_ms=200)  # the probe is still out when the other reads arrive
    time.sleep(1.1)
    result = tripping_gateway.query(WIDE_QUERY, {"n": netid})
    assert "errors" not in result, result["errors"]
    student = result["data"]["student"]
    assert student["netid"] == netid and student["dartmouth"]["gradTerm"] and student["holds"] is not None


def test_a_vendor_down_is_probed_once_per_reset_time_stays_down_and_recovers_whole(
        tripping_gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """Dartmouth down: its routes' circuits open together, and after the reset time a request reading four of its
    routes sends one probe for the vendor, not one per route; the calls that waited for it are refused when it
    fails. /readyz keeps Dartmouth down meanwhile: a route called before the outage and not since does not sit
    half open for good, which made the whole vendor look up ten seconds into an outage."""
    netid = linked_student()
    tripping_gateway.query(WIDE_QUERY, {"n": "warm-up-tokens"})
    assert tripping_gateway.query("{ holdTypes { id } }")["data"]["holdTypes"]  # a route no later request reads
    sandbox.reset("dartmouth")
    sandbox.faults("dartmouth", outage=True)
    assert tripping_gateway.query(WIDE_QUERY, {"n": netid})["errors"]
    assert circuit(tripping_gateway, "dartmouth") == "open"
    # More reset times than the breaker's threshold: the failing probes (all of one route) keep the vendor down.
    for _ in range(6):
        time.sleep(1.1)
        sandbox.reset("dartmouth")
        sandbox.faults("dartmouth", outage=True)
        result = tripping_gateway.query(WIDE_QUERY, {"n": netid})
        assert sandbox.requests("dartmouth")["total"] == 1, sandbox.requests("dartmouth")["by_route"]
        # The fields of the probe's read report what it saw; those of the reads that waited for it, the circuit.
        assert {e["extensions"]["code"] for e in result["errors"]} == {"VENDOR_UNAVAILABLE", "VENDOR_CIRCUIT_OPEN"}
        assert result["data"]["student"]["stellic"]["engagementScore"] is not None
        body = httpx.get(f"{tripping_gateway.url}/readyz", timeout=5).json()
        dartmouth = next(v for v in body["vendors"] if v["vendor"] == "dartmouth")
        assert (body["down"], dartmouth["up"], dartmouth["breaker"]) == (["dartmouth"], False, "open"), dartmouth

    # Dartmouth is back: the first answer closes every circuit the outage opened, the hold types' too, though no
    # request has read them since (they sat half open, and Dartmouth with them, until one did).
    sandbox.reset("dartmouth")
    time.sleep(1.1)
    assert "errors" not in tripping_gateway.query(WIDE_QUERY, {"n": netid})
    body = httpx.get(f"{tripping_gateway.url}/readyz", timeout=5).json()
    dartmouth = next(v for v in body["vendors"] if v["vendor"] == "dartmouth")
    assert (dartmouth["up"], dartmouth["breaker"], dartmouth["circuits"]) == (True, "closed", {}), dartmouth
    vendors = tripping_gateway.query("{ vendors { vendor circuit openCircuits } }")["data"]["vendors"]
    assert next(v for v in vendors if v["vendor"] == "DARTMOUTH") == {
        "vendor": "DARTMOUTH", "circuit": "closed", "openCircuits": []}


HOLDS_ROUTE = "GET /api/academic/holds"


def test_one_broken_route_suspends_its_own_calls_not_the_vendors_others(
        tripping_gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """Dartmouth's holds endpoint failing, the rest of Dartmouth well: a page's holds reads fail together and open
    the holds route's circuit, and only its calls are suspended. The next page still comes, with its students'
    other Dartmouth fields, and /readyz keeps Dartmouth up. (With one breaker for the whole vendor, the next page
    was refused VENDOR_CIRCUIT_OPEN: the holds endpoint took every Dartmouth read down with it.)"""
    query = """query($after: String) { students(first: 10, after: $after) {
        pageInfo { endCursor } edges { node { netid firstName holds { code } } } } }"""
    tripping_gateway.query("{ student(netid: \"warm-up-tokens\") { netid } }")
    sandbox.faults("dartmouth", route=HOLDS_ROUTE, error_rate=1.0, error_status=500)
    first = tripping_gateway.query(query)
    assert {(e["path"][-1], e["extensions"]["code"], e["extensions"]["status"]) for e in first["errors"]} == {
        ("holds", "VENDOR_UNAVAILABLE", 500)}
    assert all(edge["node"]["firstName"] for edge in first["data"]["students"]["edges"])
    before = sandbox.requests("dartmouth")["by_route"]
    second = tripping_gateway.query(query, {"after": first["data"]["students"]["pageInfo"]["endCursor"]})
    assert second["data"]["students"] is not None, second
    edges = second["data"]["students"]["edges"]
    assert len(edges) == 10 and all(edge["node"]["firstName"] for edge in edges), second
    assert [(e["path"][-1], e["extensions"]["code"], e["extensions"]["status"]) for e in second["errors"]] == [
        ("holds", "VENDOR_CIRCUIT_OPEN", 500)] * 10
    after = sandbox.requests("dartmouth")["by_route"]
    assert after.get(HOLDS_ROUTE) == before.get(HOLDS_ROUTE)  # suspended: not sent
    body = httpx.get(f"{tripping_gateway.url}/readyz", timeout=5).json()
    dartmouth = next(v for v in body["vendors"] if v["vendor"] == "dartmouth")
    assert (dartmouth["up"], dartmouth["circuits"]) == (True, {HOLDS_ROUTE: "open"}), dartmouth
    vendors = tripping_gateway.query("{ vendors { vendor circuit openCircuits } }")["data"]["vendors"]
    assert next(v["openCircuits"] for v in vendors if v["vendor"] == "DARTMOUTH") == [HOLDS_ROUTE]


def test_failing_index_refreshes_do_not_suspend_hubmis_for_users(sandbox: SandboxProcess) -> None:
    """Only HUBmis' student list fails: the crosswalk's index refreshes (the gateway's own work) fail again and
    again, yet a user's read of a HUBmis student, a route that works, is answered. Before, the refreshes' failures
    opened HUBmis' circuit, and the read got VENDOR_CIRCUIT_OPEN."""
    proc = GatewayProcess(sandbox_env(sandbox, hubmis_index_refresh_s=0.2, hubmis_breaker_failures=5,
                                      hubmis_breaker_reset_s=30)).start()
    try:
        query = "{ student(hubmisId: 100) { hubmisId hubmis { form { name } } } vendors { vendor circuit } }"
        assert "errors" not in proc.query(query)
        sandbox.faults("hubmis", route="GET /api/v1/students", error_rate=1.0, error_status=503)
        deadline = time.monotonic() + 20
        while sandbox.requests("hubmis")["by_route"].get("GET /api/v1/students", 0) < 8:  # refreshes failing
            assert time.monotonic() < deadline, "the index was not refreshed"
            time.sleep(0.2)
        result = proc.query(query.replace("hubmisId: 100", "hubmisId: 101"))
        assert "errors" not in result, result["errors"]
        assert result["data"]["student"]["hubmis"] is not None  # HUBmis answered the read
        assert next(v["circuit"] for v in result["data"]["vendors"] if v["vendor"] == "HUBMIS") == "closed"
    finally:
        proc.stop()
