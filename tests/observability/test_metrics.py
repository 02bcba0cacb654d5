"""GET /metrics after a known set of operations: operations by name and outcome, upstream calls by vendor,
route and status, retries, cache, breaker and rate budget; and no label ever holds an id or a query. With
several workers, any of them answers for all."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import httpx
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from gateway.observability.metrics import MAX_OPERATION_NAMES, GatewayMetrics, OperationNames, record_task
from gateway.vendors.stats import UpstreamStats
from tests.gateway.test_students import linked_student
from tests.gatewayproc import GatewayProcess, sandbox_env
from tests.observability.conftest import scrape, value
from tests.sandboxproc import SandboxProcess

CARD = "query StudentCard($n: String) { student(netid: $n) { netid firstName dartmouth { gradTerm } } }"
STUDENT_ROUTE = "GET /api/students/{netid}"
# Every label a campusgraph metric may carry; each has a bounded set of values.
LABELS = {"operation", "type", "outcome", "vendor", "route", "status", "result", "kind", "campusgraph_upstream_breaker",
          "le"}


def test_a_known_set_of_operations_is_counted_by_name_outcome_vendor_route_and_status(
        observed: GatewayProcess, sandbox: SandboxProcess) -> None:
    netid = linked_student()
    assert netid != "d59951y"
    observed.query(CARD, {"n": "warm-up-tokens"})
    sandbox.reset()
    before = scrape(observed)

    assert "errors" not in observed.query(CARD, {"n": "d59951y"})
    assert "errors" not in observed.query(CARD, {"n": "d59951y"})  # the same again: from the cache
    assert "data" not in observed.post("query Broken { student(netid: \"d59951y\") { nope } }").json()
    sandbox.faults("dartmouth", route=STUDENT_ROUTE, fail_next=3, error_status=503)  # the first try and 2 retries
    partial = observed.query(CARD, {"n": netid})
    assert partial["data"]["student"] is not None and partial["errors"]

    after = scrape(observed)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    ops = "campusgraph_graphql_operations_total"
    assert delta(ops, operation="StudentCard", type="query", outcome="ok") == 2
    assert delta(ops, operation="StudentCard", type="query", outcome="partial") == 1
    assert delta(ops, operation="Broken", type="query", outcome="error") == 1
    assert delta("campusgraph_graphql_operation_duration_seconds_count", operation="StudentCard", type="query") == 3
    assert delta("campusgraph_graphql_operation_duration_seconds_sum", operation="StudentCard", type="query") > 0

    calls = "campusgraph_upstream_requests_total"
    assert delta(calls, vendor="dartmouth", route=STUDENT_ROUTE, status="503") == 3
    assert delta(calls, vendor="dartmouth", route=STUDENT_ROUTE, status="200") == 1  # d59951y, once
    assert delta("campusgraph_upstream_retries_total", vendor="dartmouth") == 2
    assert delta("campusgraph_upstream_request_duration_seconds_count", vendor="dartmouth", route=STUDENT_ROUTE) == 4
    # What the gateway counts is what the vendor saw.
    assert sandbox.requests("dartmouth")["by_route"][STUDENT_ROUTE] == 4
    assert delta("campusgraph_cache_requests_total", vendor="dartmouth", result="hit") >= 2  # student and person
    assert delta("campusgraph_cache_requests_total", vendor="dartmouth", result="miss") >= 2

    # Read at scrape time: each vendor's breaker as a state set, and the HUBmis rate budget.
    for vendor in ("stellic", "hubmis", "dartmouth"):
        assert value(after, "campusgraph_upstream_breaker", vendor=vendor, campusgraph_upstream_breaker="closed") == 1
        assert value(after, "campusgraph_upstream_breaker", vendor=vendor, campusgraph_upstream_breaker="open") == 0
    left = value(after, "campusgraph_upstream_rate_remaining", vendor="hubmis")
    assert 0 < left <= 500 and left == int(left)  # whole requests, as the GraphQL field gives them
    assert ("campusgraph_upstream_rate_remaining", frozenset({("vendor", "stellic")})) not in after

    for name, labels in after:
        assert {k for k, _ in labels} <= LABELS, (name, labels)
        for _, label_value in labels:
            assert netid not in label_value and "d59951y" not in label_value and "{ " not in label_value


def test_a_429_is_counted_per_vendor(observed: GatewayProcess, sandbox: SandboxProcess) -> None:
    observed.query(CARD, {"n": "warm-up-tokens"})
    before = scrape(observed)
    sandbox.faults("dartmouth", route=STUDENT_ROUTE, fail_next=1, error_status=429, retry_after_s=0.2)
    assert "errors" not in observed.query(CARD, {"n": linked_student()})  # retried after the 429's wait
    after = scrape(observed)
    name = "campusgraph_upstream_rate_limited_total"
    assert value(after, name, vendor="dartmouth") - value(before, name, vendor="dartmouth") == 1


def test_client_chosen_operation_names_are_capped() -> None:
    names = OperationNames()
    labels = [names.label(f"Op{i}") for i in range(MAX_OPERATION_NAMES + 5)]
    assert labels[:MAX_OPERATION_NAMES] == [f"Op{i}" for i in range(MAX_OPERATION_NAMES)]
    assert set(labels[MAX_OPERATION_NAMES:]) == {"other"}
    assert names.label("Op3") == "Op3" and names.label(None) == "anonymous"


def test_tasks_are_counted_by_kind_and_status() -> None:
    metrics, stats = GatewayMetrics(), UpstreamStats()
    metrics.attach(stats)
    record_task(stats, "dartmouth_enrollment_patch", "accepted")
    record_task(stats, "dartmouth_enrollment_patch", "complete")
    record_task(stats, "dartmouth_enrollment_patch", "complete")
    samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
               for f in text_string_to_metric_families(generate_latest(metrics.registry).decode()) for s in f.samples}
    assert samples[("campusgraph_tasks_total", (("kind", "dartmouth_enrollment_patch"), ("status", "complete")))] == 2
    assert samples[("campusgraph_tasks_total", (("kind", "dartmouth_enrollment_patch"), ("status", "accepted")))] == 1


def test_a_course_assessment_task_is_counted_as_it_moves(observed: GatewayProcess, sandbox: SandboxProcess) -> None:
    mutation = """mutation($e: ID!) { setCourseAssessment(enrollmentId: $e, submitDate: "2026-11-20T10:00:00Z",
        optOutDate: null, wait: true) { success task { status } } }"""
    before = scrape(observed)
    result = observed.query(mutation, {"e": "AAAS.010.01-202001-U-10188-f002qt1-student"})
    assert result["data"]["setCourseAssessment"]["task"]["status"] == "COMPLETE", result
    after = scrape(observed)

    def grew(status: str) -> float:
        return (value(after, "campusgraph_tasks_total", kind="course_assessment", status=status)
                - value(before, "campusgraph_tasks_total", kind="course_assessment", status=status))

    assert grew("pending") == 1 and grew("complete") == 1


def _children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as f:
        return [int(p) for p in f.read().split()]


def _inherited(pid: int, name: str) -> str | None:
    with open(f"/proc/{pid}/environ", "rb") as f:
        env = dict(v.split(b"=", 1) for v in f.read().split(b"\0") if b"=" in v)
    found = env.get(name.encode())
    return found.decode() if found is not None else None


def test_every_worker_is_counted_whichever_answers_the_scrape(sandbox: SandboxProcess) -> None:
    gateway = GatewayProcess(sandbox_env(sandbox), extra_args=("--workers", "2")).start(timeout=60)
    try:
        assert gateway.proc is not None
        shared = {d for pid in _children(gateway.proc.pid) if (d := _inherited(pid, "PROMETHEUS_MULTIPROC_DIR"))}
        assert len(shared) == 1, "the workers were given one directory to count in"
        directory = shared.pop()
        headers = gateway.bearer()
        sent = 0
        for _ in range(10):  # until both workers have answered some: each request on a connection of its own
            with ThreadPoolExecutor(8) as pool:
                answers = list(pool.map(lambda _: httpx.post(f"{gateway.url}/graphql", headers=headers, timeout=30,
                                                             json={"query": "query Ping { __typename }"}), range(16)))
            assert all(a.status_code == 200 for a in answers)
            sent += len(answers)
            counted_by = {f.rsplit("_", 1)[1] for f in os.listdir(directory) if f.startswith("counter_")}
            if len(counted_by) >= 2:
                break
        assert len(counted_by) >= 2, "one worker answered every request"

        for _ in range(8):  # each scrape on a new connection, answered by either worker: always the total
            samples = scrape(gateway)
            assert value(samples, "campusgraph_graphql_operations_total", operation="Ping", type="query",
                         outcome="ok") == sent
            assert value(samples, "campusgraph_upstream_breaker", vendor="dartmouth",
                         campusgraph_upstream_breaker="closed") == 1
    finally:
        gateway.stop()
    assert not os.path.exists(directory), "the directory is removed with the gateway"
