"""Dartmouth setCourseAssessment through the real gateway: the seed's rule, the 202 task followed to its end by
polling and by ``wait: true``, the failed task, and the enrollment read after the task completes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from gateway.sandbox import credentials as creds
from schema.node import encode_id
from tests.gateway.writes import USER_ERRORS, calls, codes, mutate
from tests.gatewayproc import GatewayProcess, sandbox_env
from tests.sandboxproc import SandboxProcess

ENROLLMENT = "AAAS.010.01-202001-U-10188-f002qt1-student"
TASK = "id kind status message resultUrl createdAt updatedAt vendor vendorId subject"
SET = f"""mutation($e: ID!, $s: DateTime, $o: DateTime, $w: Boolean) {{
  setCourseAssessment(enrollmentId: $e, submitDate: $s, optOutDate: $o, wait: $w) {{
    success task {{ {TASK} }} enrollment {{ courseAssessment {{ submitDate optOutDate }} }} {USER_ERRORS} }} }}"""
READ_TASK = f"query($id: ID!) {{ task(id: $id) {{ {TASK} }} }}"
READ_ENROLLMENT = "query($e: ID!) { enrollment(id: $e) { courseAssessment { submitDate optOutDate } } }"
PATCH_ROUTE = "PATCH /api/academic/enrollments/{id}"
TASK_ROUTE = "GET /api/tasks/{id}"
ENROLLMENT_ROUTE = "GET /api/academic/enrollments/{id}"
SEED_FAILURE = "['Payload is invalid, contains values for both submit_date and opt_out_date.']"


def poll(gateway: GatewayProcess, task_id: str, timeout: float = 10.0) -> list[dict[str, Any]]:
    """``task(id:)`` until it ends: every answer, in order."""
    seen, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = gateway.query(READ_TASK, {"id": task_id})
        assert "errors" not in result, result["errors"]
        seen.append(result["data"]["task"])
        if seen[-1]["status"] in ("COMPLETE", "FAILED"):
            return seen
        time.sleep(0.1)
    raise AssertionError(f"task never ended: {seen[-1]}")


def test_followed_by_polling_from_pending_to_complete(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    before = gateway.query(READ_ENROLLMENT, {"e": ENROLLMENT})["data"]["enrollment"]  # now cached for 30 min
    assert before == {"courseAssessment": None}
    payload = mutate(gateway, SET, {"e": ENROLLMENT, "s": "2020-03-05T17:53:46Z"})
    assert payload["success"] and payload["userErrors"] == [] and payload["enrollment"] is None
    task = payload["task"]
    assert (task["kind"], task["status"], task["vendor"], task["subject"]) == (
        "COURSE_ASSESSMENT", "PENDING", "DARTMOUTH", ENROLLMENT)
    assert task["message"] is None and task["resultUrl"] is None
    patches = calls(sandbox, "dartmouth", "PATCH")
    assert len(patches) == 1 and patches[0]["status"] == 202
    seen = poll(gateway, task["id"])
    assert seen[0]["status"] == "PENDING" and seen[-1]["status"] == "COMPLETE"
    done = seen[-1]
    assert done["message"] == "Enrollment updated successfully."
    assert done["resultUrl"].endswith("/api/academic/enrollments/" + ENROLLMENT)
    assert done["createdAt"] == task["createdAt"] and done["updatedAt"] >= done["createdAt"]
    # The cached read was forgotten when the task completed: the next read shows the new assessment.
    after = gateway.query(READ_ENROLLMENT, {"e": ENROLLMENT})["data"]["enrollment"]
    assert after == {"courseAssessment": {"submitDate": "2020-03-05T17:53:46+00:00", "optOutDate": None}}
    assert sandbox.records("dartmouth", "enrollments", ENROLLMENT)["course_assessment"] == {
        "submit_date": "2020-03-05T17:53:46Z", "opt_out_date": None}


def test_wait_answers_the_completed_task_and_the_new_enrollment(gateway: GatewayProcess,
                                                                sandbox: SandboxProcess) -> None:
    gateway.query(READ_ENROLLMENT, {"e": ENROLLMENT})  # cached before the write
    started = time.monotonic()
    payload = mutate(gateway, SET, {"e": ENROLLMENT, "o": "2020-03-06T10:00:00Z", "w": True})
    assert time.monotonic() - started < 5
    assert payload["task"]["status"] == "COMPLETE"
    opted_out = {"submitDate": None, "optOutDate": "2020-03-06T10:00:00+00:00"}
    assert payload["enrollment"] == {"courseAssessment": opted_out}
    assert gateway.query(READ_ENROLLMENT, {"e": ENROLLMENT})["data"]["enrollment"] == payload["enrollment"]
    cleared = mutate(gateway, SET, {"e": ENROLLMENT, "w": True})  # both null clears it
    assert cleared["task"]["status"] == "COMPLETE" and cleared["enrollment"] == {"courseAssessment": None}
    assert len(calls(sandbox, "dartmouth", "PATCH")) == 2


def test_each_completed_task_of_one_document_reads_its_own_enrollment(gateway: GatewayProcess) -> None:
    """Mutations run in order: the second's read-back is of the enrollment its own task changed, not the first's."""
    fields = "task { status } enrollment { courseAssessment { submitDate optOutDate } }"
    result = gateway.query(f"""mutation($e: ID!) {{
      set: setCourseAssessment(enrollmentId: $e, submitDate: "2020-03-05T17:53:46Z", wait: true) {{ {fields} }}
      clear: setCourseAssessment(enrollmentId: $e, wait: true) {{ {fields} }} }}""", {"e": ENROLLMENT})
    assert "errors" not in result, result["errors"]
    first, second = result["data"]["set"], result["data"]["clear"]
    assert first["enrollment"] == {"courseAssessment": {"submitDate": "2020-03-05T17:53:46+00:00", "optOutDate": None}}
    assert second["task"]["status"] == "COMPLETE" and second["enrollment"] == {"courseAssessment": None}


def test_the_enrollment_read_changes_when_the_task_completes_even_if_nobody_asks(
        gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    mutate(gateway, SET, {"e": ENROLLMENT, "s": "2021-01-01T00:00:00Z"})
    pending = gateway.query(READ_ENROLLMENT, {"e": ENROLLMENT})["data"]["enrollment"]  # read (and cached) meanwhile
    assert pending == {"courseAssessment": None}
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        shown = gateway.query(READ_ENROLLMENT, {"e": ENROLLMENT})["data"]["enrollment"]["courseAssessment"]
        if shown is not None:
            assert shown["submitDate"] == "2021-01-01T00:00:00+00:00"
            return
        time.sleep(0.2)
    raise AssertionError("the cached enrollment was never forgotten")


@pytest.mark.parametrize(("fault", "code"), [({"malformed": True}, "WRITE_ANSWER_UNREADABLE"),
                                             ({"lose_answer_next": 1}, "WRITE_OUTCOME_UNKNOWN")])
def test_a_patch_dartmouth_may_have_applied_says_so_and_the_enrollment_shows_it_once_applied(
        gateway: GatewayProcess, sandbox: SandboxProcess, fault: dict[str, Any], code: str) -> None:
    """A PATCH whose answer is lost or names no task cannot be followed, yet Dartmouth's task applies it. The
    enrollment read before the write is forgotten as after a success; and one read again before the task has run
    (which cached the assessment from before for the enrollment's 30 min) is forgotten once Dartmouth shows the
    change, since the gateway watches the enrollment: reading it back, as the error advises, shows what Dartmouth
    holds within a poll, and the watching stops."""
    before = gateway.query(READ_ENROLLMENT, {"e": ENROLLMENT})["data"]["enrollment"]  # now cached for 30 min
    assert before == {"courseAssessment": None}
    sandbox.faults("dartmouth", route=PATCH_ROUTE, **fault)
    result = gateway.post(SET, {"e": ENROLLMENT, "s": "2020-03-05T17:53:46Z"}).json()
    assert result["data"] is None
    (failure,) = result["errors"]
    assert (failure["extensions"]["code"], failure["extensions"]["vendor"]) == (code, "dartmouth"), failure
    early = gateway.query(READ_ENROLLMENT, {"e": ENROLLMENT})["data"]["enrollment"]  # before the task has run
    assert early == {"courseAssessment": None}
    applied = {"courseAssessment": {"submitDate": "2020-03-05T17:53:46+00:00", "optOutDate": None}}
    deadline = time.monotonic() + 6
    while gateway.query(READ_ENROLLMENT, {"e": ENROLLMENT})["data"]["enrollment"] != applied:
        assert time.monotonic() < deadline, "the enrollment read before the task applied the PATCH was kept"
        time.sleep(0.2)
    assert sandbox.records("dartmouth", "enrollments", ENROLLMENT)["course_assessment"] is not None
    reads = sandbox.requests("dartmouth")["by_route"].get("GET /api/academic/enrollments/{id}")
    time.sleep(2)
    assert gateway.query(READ_ENROLLMENT, {"e": ENROLLMENT})["data"]["enrollment"] == applied
    assert sandbox.requests("dartmouth")["by_route"].get("GET /api/academic/enrollments/{id}") == reads  # cached
    assert len(calls(sandbox, "dartmouth", "PATCH")) == 1  # sent once


def test_a_failing_enrollment_watch_does_not_suspend_dartmouth_for_users(tripping_gateway: GatewayProcess,
                                                                         sandbox: SandboxProcess) -> None:
    """The enrollment watch after a lost PATCH answer is the gateway's own work: while Dartmouth fails its reads
    (and only those), a user's query of Dartmouth routes that work is answered. Before, the watch's failing reads
    opened Dartmouth's circuit and the query got VENDOR_CIRCUIT_OPEN."""
    sandbox.faults("dartmouth", route=PATCH_ROUTE, lose_answer_next=1)
    result = tripping_gateway.post(SET, {"e": ENROLLMENT, "s": "2020-03-05T17:53:46Z"}).json()
    assert result["errors"][0]["extensions"]["code"] == "WRITE_OUTCOME_UNKNOWN"
    sandbox.faults("dartmouth", route=ENROLLMENT_ROUTE, error_rate=1.0, error_status=503)
    deadline = time.monotonic() + 10
    while len([r for r in calls(sandbox, "dartmouth") if r["route"] == ENROLLMENT_ROUTE]) < 3:
        assert time.monotonic() < deadline, "the enrollment was not watched"
        time.sleep(0.1)
    time.sleep(1.5)  # with the lost PATCH, as many consecutive failures as open the circuit, and more
    answer = tripping_gateway.query("""{ student(netid: "f002qt1") { firstName holds { code } }
                                         vendors { vendor circuit } }""")
    assert "errors" not in answer, answer["errors"]
    assert answer["data"]["student"]["firstName"]
    assert {v["vendor"]: v["circuit"] for v in answer["data"]["vendors"]}["DARTMOUTH"] == "closed"


def test_both_dates_are_refused_before_any_call(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    payload = mutate(gateway, SET, {"e": ENROLLMENT, "s": "2020-03-05T17:53:46Z", "o": "2020-03-06T10:00:00Z"})
    assert not payload["success"] and payload["task"] is None
    assert codes(payload) == [(["optOutDate"], "INVALID")]
    assert calls(sandbox, "dartmouth", "PATCH") == []
    bad_date = gateway.query(SET, {"e": ENROLLMENT, "s": "last spring"})
    assert "data" not in bad_date and bad_date["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert calls(sandbox, "dartmouth", "PATCH") == []


def test_an_unknown_enrollment_is_a_user_error(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    payload = mutate(gateway, SET, {"e": "NOPE.000.01-202001-U-1-nobody-student", "s": "2020-03-05T17:53:46Z"})
    assert not payload["success"] and codes(payload) == [(["enrollmentId"], "NOT_FOUND")]
    by_global_id = mutate(gateway, SET, {"e": encode_id("Enrollment", ENROLLMENT), "w": True})
    assert by_global_id["task"]["status"] == "COMPLETE"


def test_another_types_id_is_refused_before_any_call(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    payload = mutate(gateway, SET, {"e": encode_id("Student", "f002qt1"), "s": "2020-03-05T17:53:46Z"})
    assert not payload["success"] and codes(payload) == [(["enrollmentId"], "INVALID")]
    assert payload["userErrors"][0]["message"] == "a Student ID, not an Enrollment ID"
    assert calls(sandbox, "dartmouth", "PATCH") == []


def dartmouth_patch(sandbox: SandboxProcess, body: dict[str, Any]) -> str:
    """A PATCH sent to Dartmouth by another client; the task id from its Location."""
    base = sandbox.url("dartmouth")
    jwt = httpx.post(f"{base}/api/jwt", params={"scope": " ".join(creds.DARTMOUTH_ALL_SCOPES)},
                     headers={"Authorization": creds.DARTMOUTH_API_KEY}).json()["jwt"]
    answer = httpx.patch(f"{base}/api/academic/enrollments/{ENROLLMENT}", json=body,
                         headers={"Authorization": f"Bearer {jwt}"})
    assert answer.status_code == 202
    return str(answer.headers["Location"].rsplit("/", 1)[1])


def test_a_failed_task_carries_dartmouths_message(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    # The gateway never sends both dates; another client does, and the gateway reports the task it started.
    vendor_id = dartmouth_patch(sandbox, {"course_assessment": {"submit_date": "2020-03-05T17:53:46Z",
                                                                "opt_out_date": "2020-03-06T10:00:00Z"}})
    seen = poll(gateway, encode_id("Task", f"course_assessment:{vendor_id}"))
    failed = seen[-1]
    assert (failed["status"], failed["message"], failed["vendorId"]) == ("FAILED", SEED_FAILURE, vendor_id)
    assert failed["subject"] == ENROLLMENT
    assert gateway.query(READ_ENROLLMENT, {"e": ENROLLMENT})["data"]["enrollment"] == {"courseAssessment": None}


def test_a_failed_read_back_is_reported_not_silently_null(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """The change is made (success, COMPLETE); reading the enrollment back failed: `enrollment` is null and the
    failure is reported at its path, so a client does not take null for "no such enrollment"."""
    sandbox.faults("dartmouth", route="GET /api/academic/enrollments/{id}", outage=True)
    result = gateway.post(SET, {"e": ENROLLMENT, "s": "2020-03-05T17:53:46Z", "w": True}).json()
    payload = result["data"]["setCourseAssessment"]
    assert payload["success"] and payload["task"]["status"] == "COMPLETE" and payload["enrollment"] is None
    assert [(e["path"], e["extensions"]["code"], e["extensions"]["vendor"]) for e in result["errors"]] == [
        (["setCourseAssessment", "enrollment"], "VENDOR_UNAVAILABLE", "dartmouth")]
    assert sandbox.records("dartmouth", "enrollments", ENROLLMENT)["course_assessment"]["submit_date"] == \
        "2020-03-05T17:53:46Z"


def test_a_failed_read_back_is_reported_at_the_fields_alias(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """The payload's `enrollment` asked for under an alias (through a fragment, as a client's code generator writes
    it): the read-back failure is reported at the path the response has, with the field's place in the query text.
    It was reported at `enrollment`, a path the response has not, with no locations, so no client could match it."""
    sandbox.faults("dartmouth", route="GET /api/academic/enrollments/{id}", outage=True)
    query = """mutation($e: ID!, $s: DateTime) {
  set: setCourseAssessment(enrollmentId: $e, submitDate: $s, wait: true) { success ...Changed }
}
fragment Changed on CourseAssessmentPayload {
  changed: enrollment { courseAssessment { submitDate } }
}"""
    result = gateway.post(query, {"e": ENROLLMENT, "s": "2020-03-05T17:53:46Z"}).json()
    assert result["data"]["set"] == {"success": True, "changed": None}, result
    assert [(e["path"], e.get("locations"), e["extensions"]["code"]) for e in result["errors"]] == [
        (["set", "changed"], [{"line": 5, "column": 3}], "VENDOR_UNAVAILABLE")]


def test_a_read_back_dartmouth_answers_404_is_reported_not_silently_null(gateway: GatewayProcess,
                                                                        sandbox: SandboxProcess) -> None:
    """The task completed, then Dartmouth answered the read-back 404: `enrollment` is null with a NOT_FOUND error
    at its path, so a client can tell "not found when read back" from a payload that needs no enrollment."""
    sandbox.faults("dartmouth", route="GET /api/academic/enrollments/{id}", outage=True, error_status=404)
    result = gateway.post(SET, {"e": ENROLLMENT, "s": "2020-03-05T17:53:46Z", "w": True}).json()
    payload = result["data"]["setCourseAssessment"]
    assert payload["success"] and payload["task"]["status"] == "COMPLETE" and payload["enrollment"] is None
    assert [(e["path"], e["extensions"]["code"], e["extensions"]["vendor"], e["extensions"].get("status"))
            for e in result.get("errors", [])] == [(["setCourseAssessment", "enrollment"], "NOT_FOUND", "dartmouth",
                                                    404)], result
    assert "reading the enrollment back found no such enrollment" in result["errors"][0]["message"]


@pytest.fixture
def short_wait_gateway(sandbox: SandboxProcess) -> Iterator[GatewayProcess]:
    """A gateway whose `wait: true` gives up after 1.5 s (10 s by default), polling every 0.1 s."""
    proc = GatewayProcess(sandbox_env(sandbox, task_wait_s=1.5, task_poll_s=0.1)).start()
    yield proc
    proc.stop()


@pytest.mark.parametrize(("fault", "code", "status"), [
    ({"outage": True}, "VENDOR_UNAVAILABLE", 503),
    ({"error_rate": 1.0, "error_status": 429, "retry_after_s": 60}, "VENDOR_RATE_LIMITED", 429),
    ({"malformed": True}, "VENDOR_PROTOCOL_ERROR", 200),
    # A 404 for a task Dartmouth has just accepted is Dartmouth failing: it was taken for the task being gone, stored
    # as FAILED for good ("The vendor no longer knows this task."), though the change was applied once Dartmouth
    # answered again, and the enrollment's cached reads were never forgotten.
    ({"outage": True, "error_status": 404}, "VENDOR_PROTOCOL_ERROR", 404),
])
def test_a_wait_whose_task_cannot_be_read_says_so(short_wait_gateway: GatewayProcess, sandbox: SandboxProcess,
                                                  fault: dict[str, Any], code: str, status: int) -> None:
    """Dartmouth accepted the PATCH but fails every read of its task while the mutation waits: the task is
    answered as last known (PENDING), and the failure is reported at its path, not taken for a task still
    running. Once Dartmouth answers again the task is followed to its end."""
    sandbox.faults("dartmouth", route=TASK_ROUTE, **fault)
    result = short_wait_gateway.post(SET, {"e": ENROLLMENT, "s": "2020-03-05T17:53:46Z", "w": True}).json()
    payload = result["data"]["setCourseAssessment"]
    assert payload["success"] and payload["task"]["status"] == "PENDING" and payload["enrollment"] is None
    assert [(e["path"], e["extensions"]["code"], e["extensions"]["vendor"], e["extensions"].get("status"))
            for e in result["errors"]] == [(["setCourseAssessment", "task"], code, "dartmouth", status)]
    assert "Traceback" not in str(result) and sandbox.url("dartmouth") not in str(result)
    sandbox.faults("dartmouth", route=TASK_ROUTE, **{switch: None for switch in fault})  # Dartmouth answers again
    assert poll(short_wait_gateway, payload["task"]["id"])[-1]["status"] == "COMPLETE"
    assert short_wait_gateway.query(READ_ENROLLMENT, {"e": ENROLLMENT})["data"]["enrollment"] == {
        "courseAssessment": {"submitDate": "2020-03-05T17:53:46+00:00", "optOutDate": None}}
    sandbox.reset("dartmouth")  # the faults go, and so does the task: the data is restored
    # Straight away: the polls' failures did not open Dartmouth's circuit (they are the gateway's own work).
    patched = mutate(short_wait_gateway, SET, {"e": ENROLLMENT, "s": "2020-03-05T17:53:46Z", "w": True})
    assert patched["task"]["status"] == "COMPLETE"  # no failure remembered from the task before
