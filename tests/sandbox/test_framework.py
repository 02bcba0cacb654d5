"""The simulators' shared machinery: controls, request log, faults, routing, determinism."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from gateway.sandbox.population import build_world
from gateway.vendors.routes import Provenance, Route, RouteTable
from tests.sandboxproc import SandboxProcess

PAT = {"Authorization": "Bearer sandbox-stellic-pat"}


def _engagement(sandbox: SandboxProcess, username: str = "mabbott") -> httpx.Response:
    return httpx.get(f"{sandbox.url('stellic')}/partnerapi/v1/students/{username}/engagement_score", headers=PAT)


def test_request_log_counts_by_route_template(sandbox: SandboxProcess) -> None:
    _engagement(sandbox)
    _engagement(sandbox, "sstanton")
    log = sandbox.requests("stellic")
    assert log["total"] == 2
    assert log["by_route"] == {"GET /partnerapi/v1/students/{student_username}/{property}": 2}
    assert log["requests"][0]["path"] == "/partnerapi/v1/students/mabbott/engagement_score"
    assert log["requests"][0]["status"] == 200 and log["requests"][0]["ms"] >= 0


def test_reset_clears_log_and_faults(sandbox: SandboxProcess) -> None:
    sandbox.faults("stellic", outage=True)
    assert _engagement(sandbox).status_code == 503
    sandbox.reset("stellic")
    assert sandbox.requests("stellic")["total"] == 0
    assert _engagement(sandbox).status_code == 200


def test_a_read_in_flight_across_a_reset_is_not_in_the_new_log(sandbox: SandboxProcess) -> None:
    """The log records a request once answered: one that arrived before the reset belongs to the cleared log,
    or a test that resets would count another test's slow read as its own."""
    sandbox.faults("stellic", latency_ms=1000)
    with ThreadPoolExecutor(1) as pool:
        slow = pool.submit(_engagement, sandbox)
        time.sleep(0.3)  # it has arrived and waits out its latency
        assert not slow.done()
        sandbox.reset("stellic")
        assert slow.result().status_code == 200
    assert sandbox.requests("stellic")["total"] == 0
    _engagement(sandbox)
    assert sandbox.requests("stellic")["total"] == 1


def test_fail_next_then_recovers(sandbox: SandboxProcess) -> None:
    sandbox.faults("stellic", fail_next=2, error_status=500)
    assert [_engagement(sandbox).status_code for _ in range(3)] == [500, 500, 200]


def test_fault_limited_to_one_route(sandbox: SandboxProcess) -> None:
    sandbox.faults("stellic", route="GET /partnerapi/v1/students/{student_username}/{property}", outage=True,
                   error_status=502)
    assert _engagement(sandbox).status_code == 502
    # the control plane rejects a route that is not in the table
    bad = httpx.post(f"{sandbox.url('stellic')}/_sandbox/faults", json={"route": "GET /nope", "outage": True})
    assert bad.status_code == 400 and "unknown route" in bad.json()["error"]


def test_unknown_fault_switch_is_refused(sandbox: SandboxProcess) -> None:
    bad = httpx.post(f"{sandbox.url('stellic')}/_sandbox/faults", json={"explode": True})
    assert bad.status_code == 400 and "explode" in bad.json()["error"]


def test_latency_and_error_rate(sandbox: SandboxProcess) -> None:
    sandbox.faults("stellic", latency_ms=150)
    started = time.perf_counter()
    assert _engagement(sandbox).status_code == 200
    assert time.perf_counter() - started >= 0.15
    sandbox.faults("stellic", latency_ms=0, error_rate=1.0, error_status=503)
    assert _engagement(sandbox).status_code == 503


def test_malformed_body_switch(sandbox: SandboxProcess) -> None:
    sandbox.faults("stellic", malformed=True)
    response = _engagement(sandbox)
    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()


def test_unknown_path_404_and_wrong_method_405(sandbox: SandboxProcess) -> None:
    assert httpx.get(f"{sandbox.url('dartmouth')}/api/nothing-here").status_code == 404
    assert httpx.get(f"{sandbox.url('dartmouth')}/api/jwt").status_code == 405


def test_routes_control_lists_provenance(sandbox: SandboxProcess) -> None:
    routes = sandbox.control("dartmouth", "GET", "routes")
    jwt = next(r for r in routes if r["name"] == "get_jwt")
    assert jwt == {"name": "get_jwt", "method": "POST", "path": "/api/jwt", "provenance": "found",
                   "note": jwt["note"]}


def test_world_is_deterministic_and_links_vendors() -> None:
    a, b = build_world(5, 200), build_world(5, 200)
    assert list(a.people) == list(b.people)
    assert [p.email for p in a.people.values()] == [p.email for p in b.people.values()]
    assert list(a.enrollments) == list(b.enrollments)
    students = a.students()
    multi = [p for p in students if len(p.vendors) >= 2]
    single = [p for p in students if len(p.vendors) == 1]
    assert len(multi) > len(students) / 2 and single


def test_route_table_prefers_literal_segments() -> None:
    table = RouteTable("x", [
        Route("one", "GET", "/students/{id}", Provenance.INFERRED),
        Route("past", "GET", "/students/past", Provenance.INFERRED),
    ])
    assert table.resolve("GET", "/students/past")[0] is table["past"]
    route, params, _ = table.resolve("GET", "/students/56")
    assert route is table["one"] and params == {"id": "56"}
    assert table["one"].url(id="a/b c") == "/students/a%2Fb%20c"
    assert table["past"].match("/students/past\n") is None  # the whole path fits, not all but a trailing newline


def test_students_carry_their_class_year_and_terms() -> None:
    world = build_world(5, 200)
    for p in world.students():
        assert p.class_year is not None and p.grad_term == f"20{p.class_year}06"


async def _timed_call(method: str, route_name: str, path: str) -> float:
    """One call to an in-process Stellic simulator with 100 ms of latency whose handler works for 60 ms."""
    from datetime import date

    from starlette.responses import JSONResponse

    from gateway.sandbox.simulator import SandboxOptions
    from gateway.sandbox.stellic import StellicSimulator

    simulator = StellicSimulator(lambda: build_world(1, 20, date(2026, 11, 23)), SandboxOptions(latency_ms=100))

    async def slow(call: object) -> JSONResponse:
        time.sleep(0.06)  # noqa: ASYNC251 - the vendor's own work, blocking like CPU
        return JSONResponse({})

    simulator._handlers[route_name] = slow
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=simulator), base_url="http://stellic") as client:
        started = time.perf_counter()
        response = await client.request(method, path, headers=PAT)
        elapsed = time.perf_counter() - started
    assert response.status_code == 200
    return elapsed


async def test_a_read_is_answered_when_its_latency_has_passed_its_work_included() -> None:
    # Sleeping first and working after would take 160 ms: the simulator's CPU added to the vendor's latency.
    elapsed = await _timed_call("GET", "get_student_property", "/partnerapi/v1/students/mabbott/engagement_score")
    assert 0.1 <= elapsed < 0.15


async def test_a_write_waits_out_its_latency_before_it_is_applied() -> None:
    # A write is applied once its latency has passed, as before; a caller that times out sooner cannot know
    # whether it was (the gateway reports WriteOutcomeUnknown), as with a real vendor.
    elapsed = await _timed_call("POST", "add_student_tag", "/partnerapi/v1/students/mabbott/tags/honors")
    assert elapsed >= 0.16


def test_lose_answer_next_applies_the_write_and_closes_without_an_answer(sandbox: SandboxProcess) -> None:
    tags = f"{sandbox.url('stellic')}/partnerapi/v1/students/mabbott/tags/honors"
    assert httpx.post(tags, headers=PAT).status_code == 201
    sandbox.faults("stellic", route="DELETE /partnerapi/v1/students/{student_username}/tags/{tag_name}",
                   lose_answer_next=1)
    with pytest.raises(httpx.RemoteProtocolError):  # the status line came, then the connection closed
        httpx.delete(tags, headers=PAT)
    assert httpx.delete(tags, headers=PAT).status_code == 400  # not on the profile: the lost one had removed it
    deletes = [r for r in sandbox.requests("stellic")["requests"] if r["method"] == "DELETE"]
    assert [(r["status"], r.get("answer")) for r in deletes] == [(200, "lost"), (400, None)]


def test_uvicorn_notice_of_a_lost_answer_is_dropped_once_per_expected_loss() -> None:
    import logging

    from gateway.sandbox.simulator import _LostAnswerNotices

    notices = _LostAnswerNotices()

    def record(message: str) -> logging.LogRecord:
        return logging.LogRecord("uvicorn.error", logging.ERROR, __file__, 1, message, None, None)

    notices.expect()
    assert not notices.filter(record(notices.MESSAGE))
    assert notices.filter(record(notices.MESSAGE))  # not expected: a real unfinished response still shows
    assert notices.filter(record("something else"))


def test_a_write_whose_caller_gave_up_waiting_is_still_applied(sandbox: SandboxProcess) -> None:
    """The write arrived in full, then the caller timed out during the vendor's latency: as at a real vendor (and as
    the gateway's WRITE_OUTCOME_UNKNOWN warns), it is applied all the same. The simulator read the body only after
    the latency, found the caller gone, and logged a traceback and a 500 for a write it never applied."""
    sandbox.faults("stellic", route="POST /partnerapi/v1/holds", latency_ms=800)
    with pytest.raises(httpx.TimeoutException):
        httpx.post(f"{sandbox.url('stellic')}/partnerapi/v1/holds", headers=PAT, timeout=0.3,
                   json={"sis_id": "H-GONE", "student_id": "mabbott", "hold_code": "AR"})
    time.sleep(0.8)
    assert sandbox.records("stellic", "holds", "H-GONE")["student_username"] == "mabbott"
    assert [r["status"] for r in sandbox.requests("stellic")["requests"]] == [201]
