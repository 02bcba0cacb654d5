"""Replicas behave as one: two real `campusgraph serve` processes on loopback sharing one real redis-server keep
one response cache and one HUBmis rate budget between them; and SIGTERM drains a request in flight."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from gateway.sandbox.world import HUBMIS
from tests.gateway.test_students import linked_student, world
from tests.gatewayproc import GatewayProcess, sandbox_env
from tests.redisproc import RedisProcess
from tests.sandboxproc import SandboxProcess

BUCKET, REFILL_S = 4, 0.25  # a small HUBmis budget, so the test spends it all in a few seconds
HUBMIS_STUDENT = "GET /api/v1/students/{id}"


@pytest.fixture(scope="module")
def replicas(sandbox_process: SandboxProcess) -> Iterator[tuple[GatewayProcess, GatewayProcess]]:
    redis = RedisProcess()
    env = sandbox_env(sandbox_process, redis_url=redis.url, hubmis_rate_limit_bucket=BUCKET,
                      hubmis_rate_limit_refill_s=REFILL_S)
    a, b = GatewayProcess(env), GatewayProcess(env)
    try:
        a.start(timeout=60), b.start(timeout=60)
        yield a, b
    finally:
        a.stop(), b.stop()
        redis.stop()


def calls(sandbox: SandboxProcess, vendor: str) -> dict[str, int]:
    by_route: dict[str, int] = sandbox.requests(vendor)["by_route"]
    return by_route


def test_what_one_replica_fetched_the_other_serves_from_the_shared_cache(
        replicas: tuple[GatewayProcess, GatewayProcess], sandbox: SandboxProcess) -> None:
    a, b = replicas
    query = """{ terms { id name } holdTypes { id description }
                 student(netid: "d59951y") { lastName dartmouth { gradTerm } } }"""
    first = a.query(query)
    assert "errors" not in first
    after_a = calls(sandbox, "dartmouth")
    routes = {"GET /api/academic/terms", "GET /api/academic/hold_types", "GET /api/students/{netid}",
              "GET /api/people/{netid}"} & after_a.keys()
    assert len(routes) >= 3, after_a  # what the query cost on replica A
    assert b.query(query) == first
    after_b = calls(sandbox, "dartmouth")
    assert {r: after_b[r] for r in routes} == {r: after_a[r] for r in routes}  # replica B made no call of its own


def test_the_hubmis_rate_budget_is_shared_so_together_they_cause_no_429(
        replicas: tuple[GatewayProcess, GatewayProcess], sandbox: SandboxProcess) -> None:
    a, b = replicas
    for gateway in replicas:  # both have their credentials and indexes before the budget shrinks
        gateway.query("{ __typename }")
    sandbox.faults("hubmis", rate_limit_bucket=BUCKET, rate_limit_refill_s=REFILL_S)
    ids = [p.hubmis_id for p in world().students() if HUBMIS in p.vendors][:16]
    # hubmis { dateOfBirth } needs the record itself (which person a HUBmis id is, the index answers without a call)
    query = "query($id: Int) { student(hubmisId: $id) { hubmisId hubmis { dateOfBirth } } }"
    before = sandbox.requests("hubmis")["total"]
    started = time.monotonic()
    with ThreadPoolExecutor(len(ids)) as pool:  # half on each replica, all at once: 4x the bucket
        results = list(pool.map(lambda i: (a, b)[i % 2].query(query, {"id": ids[i]}), range(len(ids))))
    elapsed = time.monotonic() - started

    assert [r["data"]["student"]["hubmisId"] for r in results] == ids and not any("errors" in r for r in results)
    log = sandbox.requests("hubmis")
    window = log["requests"][-(log["total"] - before):]
    assert len([r for r in window if r["route"] == HUBMIS_STUDENT and r["status"] == 200]) == len(ids)
    assert not [r for r in window if r["status"] == 429], "a replica spent budget the other had already spent"
    # The bucket's four went at once; the other twelve waited their turn, one refill apart, across both replicas.
    assert elapsed >= (len(ids) - BUCKET) * REFILL_S * 0.9


def test_sigterm_drains_a_request_in_flight(sandbox: SandboxProcess) -> None:
    gateway = GatewayProcess(sandbox_env(sandbox), extra_args=("--workers", "2")).start(timeout=60)
    try:
        gateway.query('{ student(netid: "d59951y") { netid } }')  # credentials and indexes, then a slow vendor
        sandbox.faults("dartmouth", route="GET /api/academic/terms", latency_ms=1500)
        answer: list[httpx.Response] = []
        request = threading.Thread(target=lambda: answer.append(gateway.post("{ terms { id } }")))
        request.start()
        time.sleep(0.5)  # the request is in flight, waiting on Dartmouth
        assert gateway.proc is not None
        gateway.proc.send_signal(signal.SIGTERM)
        request.join(timeout=30)
        assert answer and answer[0].status_code == 200
        assert answer[0].json()["data"]["terms"], answer[0].text  # completed, not cut off
        gateway.proc.wait(timeout=30)
        with pytest.raises(httpx.ConnectError):  # and the gateway is gone once it drained
            httpx.get(f"{gateway.url}/healthz", timeout=1)
    finally:
        gateway.stop()


HUBMIS_LISTS = {"students": "GET /api/v1/students", "staff": "GET /api/v1/staff"}


def index_of(gateway: GatewayProcess, timeout: float = 30.0) -> dict[str, int]:
    """The gateway's HUBmis index as ``/readyz`` shows it, once built (or taken from Redis)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        index: dict[str, int] = httpx.get(f"{gateway.url}/readyz", timeout=2).json()["hubmis_index"]
        if index["ready"] and index["staff"]:  # staff follows students; both there, both built
            return index
        time.sleep(0.1)
    raise AssertionError(f"hubmis index never ready:\n{gateway.logs()}")


def list_calls(sandbox: SandboxProcess) -> dict[str, int]:
    """HUBmis list calls by index: pages of a build, and searches (a lookup the index could not answer)."""
    requests = sandbox.requests("hubmis")["requests"]
    out: dict[str, int] = {}
    for name, route in HUBMIS_LISTS.items():
        listed = [r for r in requests if r["route"] == route]
        out[name] = len([r for r in listed if "search=" not in r["query"]])
        out[f"{name} searches"] = len(listed) - out[name]
    return out


def test_replicas_build_the_hubmis_index_once_between_them(sandbox: SandboxProcess) -> None:
    redis = RedisProcess()
    env = sandbox_env(sandbox, redis_url=redis.url)
    a, b = GatewayProcess(env), GatewayProcess(env)
    try:
        with ThreadPoolExecutor(2) as pool:  # both start at once: both find no index, one builds it
            list(pool.map(lambda g: g.start(timeout=60), (a, b)))
        index_a, index_b = index_of(a), index_of(b)
        assert index_a == index_b
        # One build's pages (100 a page, the last one short): one pass over each list between the two replicas.
        one_build = {"students": index_a["students"] // 100 + 1, "staff": index_a["staff"] // 100 + 1,
                     "students searches": 0, "staff searches": 0}
        assert list_calls(sandbox) == one_build, (a.logs(), b.logs())

        third = GatewayProcess(env).start(timeout=60)
        try:  # a replica starting later takes the stored index, fresh enough, and builds nothing
            assert index_of(third) == index_a
        finally:
            third.stop()
        assert list_calls(sandbox) == one_build

        netid = linked_student()
        query = "query($netid: String) { student(netid: $netid) { hubmisId } }"
        for gateway in (a, b):  # each answers from the index it holds: no search of HUBmis
            answer = gateway.query(query, {"netid": netid})
            assert answer == {"data": {"student": {"hubmisId": world().people[netid].hubmis_id}}}
        assert list_calls(sandbox) == one_build
    finally:
        a.stop(), b.stop()
        redis.stop()
