"""A Redis outage degrades a real `campusgraph serve`, it does not take it down: queries answer in full from the
vendors, /readyz stays 200 (showing Redis down), one warning says Redis was lost and one that it is back, and then
the shared cache is used again. A hung Redis (SIGSTOP) costs no request a long wait; a write made meanwhile is not
served stale once Redis answers again; a mutation with an Idempotency-Key is refused with a code, nothing sent;
a task is still followed."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import redis as redis_sync

from tests.gateway.test_idempotency import HOLDS, post, sent
from tests.gateway.test_mutations_assessment import ENROLLMENT, READ_ENROLLMENT, SET, poll
from tests.gateway.writes import mutate
from tests.gatewayproc import GatewayProcess, sandbox_env
from tests.redisproc import RedisProcess
from tests.sandboxproc import VENDORS, SandboxProcess

STUDENT = '{ student(netid: "d59951y") { netid firstName holds { code } } }'
LOST, BACK = "redis unreachable (", "redis answers again"


@pytest.fixture
def redis_and_gateway(sandbox: SandboxProcess) -> Iterator[tuple[RedisProcess, GatewayProcess]]:
    redis = RedisProcess()  # this test's own, since it stops it
    gateway = GatewayProcess(sandbox_env(sandbox, redis_url=redis.url))
    try:
        gateway.start(timeout=60)
        yield redis, gateway
    finally:
        gateway.stop()
        redis.stop()


def upstream_calls(sandbox: SandboxProcess) -> int:
    return sum(int(sandbox.requests(vendor)["total"]) for vendor in VENDORS)


def answered(gateway: GatewayProcess, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    result = gateway.query(query, variables)
    assert "errors" not in result, result["errors"]
    data: dict[str, Any] = result["data"]
    return data


def ready(gateway: GatewayProcess) -> tuple[int, dict[str, Any]]:
    response = httpx.get(f"{gateway.url}/readyz", timeout=10)
    body: dict[str, Any] = response.json()
    return response.status_code, body


def redis_up_gauge(gateway: GatewayProcess) -> str:
    text = httpx.get(f"{gateway.url}/metrics", timeout=10).text
    return next(line for line in text.splitlines() if line.startswith("campusgraph_redis_up "))


def wait_until_redis_answers(gateway: GatewayProcess) -> None:
    deadline = time.monotonic() + 15
    while ready(gateway)[1]["redis"] != {"ok": True}:
        assert time.monotonic() < deadline, "the gateway never saw Redis answer again"
        time.sleep(0.2)


def test_redis_stopped_queries_answer_from_the_vendors_then_the_cache_is_used_again(
        redis_and_gateway: tuple[RedisProcess, GatewayProcess], sandbox: SandboxProcess) -> None:
    redis, gateway = redis_and_gateway
    first = answered(gateway, STUDENT)
    assert first["student"]["netid"] == "d59951y" and first["student"]["firstName"]

    redis.stop()
    before = upstream_calls(sandbox)
    assert answered(gateway, STUDENT) == first  # in full, with no error: the vendors answered it
    assert upstream_calls(sandbox) > before
    before = upstream_calls(sandbox)
    assert answered(gateway, STUDENT) == first  # kept in this process meanwhile
    assert upstream_calls(sandbox) == before
    status, body = ready(gateway)
    assert status == 200 and body["ready"] is True and body["redis"] == {"ok": False}
    assert redis_up_gauge(gateway) == "campusgraph_redis_up 0.0"
    assert gateway.logs().count(LOST) == 1 and BACK not in gateway.logs()

    redis.start()  # on the same port, empty
    wait_until_redis_answers(gateway)
    assert answered(gateway, STUDENT) == first  # fetched again, and kept in Redis
    assert redis_sync.Redis.from_url(redis.url).dbsize() > 0
    before = upstream_calls(sandbox)
    assert answered(gateway, STUDENT) == first
    assert upstream_calls(sandbox) == before  # the shared cache answered it
    status, body = ready(gateway)
    assert status == 200 and body["ready"] is True and body["redis"] == {"ok": True}
    assert redis_up_gauge(gateway) == "campusgraph_redis_up 1.0"
    logs = gateway.logs()
    assert logs.count(LOST) == 1 and logs.count(BACK) == 1, logs


def test_redis_hung_costs_no_long_waits_refuses_idempotency_keys_and_forgets_what_a_write_changed(
        redis_and_gateway: tuple[RedisProcess, GatewayProcess], sandbox: SandboxProcess) -> None:
    redis, gateway = redis_and_gateway
    cached = answered(gateway, READ_ENROLLMENT, {"e": ENROLLMENT})  # now in Redis for 30 min
    assert cached["enrollment"] == {"courseAssessment": None}

    redis.freeze()  # connections are accepted, nothing is answered
    for _ in range(3):
        started = time.monotonic()
        assert answered(gateway, STUDENT)["student"]["netid"] == "d59951y"
        assert time.monotonic() - started < 3.0  # one Redis timeout (1 s) at most, not 5 s per Redis call

    refused = post(gateway, "outage-1", {"sis": "H-20", "note": "kept?"})
    assert refused["data"] is None
    assert [e["extensions"]["code"] for e in refused["errors"]] == ["IDEMPOTENCY_UNAVAILABLE"]
    assert sent(sandbox, "stellic", HOLDS) == 0  # nothing was sent

    payload = mutate(gateway, SET, {"e": ENROLLMENT, "s": "2020-03-05T17:53:46Z"})  # without a key: runs
    assert payload["success"] and payload["task"]["status"] == "PENDING"
    seen = poll(gateway, payload["task"]["id"], timeout=20)  # followed and answered, from the vendor
    assert seen[-1]["status"] == "COMPLETE" and seen[-1]["createdAt"] == payload["task"]["createdAt"]
    assessed = {"courseAssessment": {"submitDate": "2020-03-05T17:53:46+00:00", "optOutDate": None}}
    assert answered(gateway, READ_ENROLLMENT, {"e": ENROLLMENT})["enrollment"] == assessed
    assert "1 answer(s) cached from dartmouth forgotten in this process only" in gateway.logs()
    status, body = ready(gateway)
    assert status == 200 and body["redis"] == {"ok": False}

    redis.thaw()  # with the old enrollment still stored
    wait_until_redis_answers(gateway)
    assert answered(gateway, READ_ENROLLMENT, {"e": ENROLLMENT})["enrollment"] == assessed  # not the old one
    logs = gateway.logs()
    assert logs.count(LOST) == 1 and logs.count(BACK) == 1, logs
