"""A batch (a JSON array of operations) that holds writes: its operations run in the order sent, a read after a
write shows it, and an Idempotency-Key covers each operation of the batch by its place."""

from __future__ import annotations

from typing import Any

import httpx

from tests.gateway.test_mutations_assessment import ENROLLMENT, PATCH_ROUTE
from tests.gateway.writes import writes
from tests.gatewayproc import GatewayProcess
from tests.sandboxproc import SandboxProcess

AUDIT = '{ student(netid: "mabbott") { stellic { audit(courseFilter: "planned", property: "progress", ' \
        'programFilter: "all") } } }'
ENROLL = """mutation { createProgramEnrollment(username: "mabbott", programId: "MATH-MIN", input: {concentrationIds: [],
  certificationStatus: false, certificationDate: "2026-11-01", order: 2, catalogTerm: "20263"}) { success } }"""
ASSESSMENT = f"""{{ enrollment(id: "{ENROLLMENT}") {{ courseAssessment {{ submitDate }} }}
  student(netid: "f002qt1") {{ enrollments {{ courseAssessment {{ submitDate }} }} }} }}"""
SET = f"""mutation {{ setCourseAssessment(enrollmentId: "{ENROLLMENT}", submitDate: "2022-03-03T10:00:00Z",
  wait: true) {{ success task {{ status }} }} }}"""
TAG = 'mutation { addStudentTag(username: "mabbott", tag: "honors") { success } }'
SCHOOL = 'mutation { addStudentSchool(username: "mabbott", schoolId: "TH") { success } }'


def batch(gateway: GatewayProcess, *queries: str, key: str | None = None) -> list[dict[str, Any]]:
    headers = {**gateway.bearer(), **({"Idempotency-Key": key} if key else {})}
    response = httpx.post(f"{gateway.url}/graphql", json=[{"query": q} for q in queries], headers=headers, timeout=60)
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()
    return results


def programs(result: dict[str, Any]) -> list[str]:
    assert "errors" not in result, result["errors"]
    return [p["program"] for p in result["data"]["student"]["stellic"]["audit"]["counts_for"]]


def test_a_read_after_a_stellic_write_in_the_batch_shows_it(gateway: GatewayProcess) -> None:
    """The operations ran side by side: the audit after the write was read while the write was on its way (or
    from the request's loader), and showed the student without the program just enrolled in."""
    before, written, after = batch(gateway, AUDIT, ENROLL, AUDIT)
    assert written == {"data": {"createProgramEnrollment": {"success": True}}}
    assert "MATH-MIN" not in programs(before)
    assert "MATH-MIN" in programs(after)


def test_a_read_after_a_course_assessment_in_the_batch_shows_it(gateway: GatewayProcess) -> None:
    """The enrollment and the student's enrollment list read before the write were the request's loaders'
    answers to the read after it: the assessment set (and its task complete) did not show."""
    before, written, after = batch(gateway, ASSESSMENT, SET, ASSESSMENT)
    assert written["data"]["setCourseAssessment"]["task"]["status"] == "COMPLETE", written
    assert before["data"]["enrollment"] == {"courseAssessment": None}
    shown = {"courseAssessment": {"submitDate": "2022-03-03T10:00:00+00:00"}}
    assert after["data"]["enrollment"] == shown
    listed = [e["courseAssessment"] for e in after["data"]["student"]["enrollments"]]
    assert [a for a in listed if a] == [shown["courseAssessment"]]


def test_an_idempotency_key_covers_each_write_of_a_batch(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """One key for the batch was claimed by its first write alone: the second was refused as
    IDEMPOTENCY_KEY_REUSED, every time the batch was sent."""
    first = batch(gateway, TAG, SCHOOL, key="b-1")
    assert first == [{"data": {"addStudentTag": {"success": True}}},
                     {"data": {"addStudentSchool": {"success": True}}}]
    assert batch(gateway, TAG, SCHOOL, key="b-1") == first  # replayed, nothing sent again
    assert [w["path"] for w in writes(sandbox, "stellic")] == ["/partnerapi/v1/students/mabbott/tags/honors",
                                                               "/partnerapi/v1/students/mabbott/schools/TH"]
    record = sandbox.records("stellic", "students", "mabbott")
    assert "honors" in record["tags"] and "TH" in record["school_ids"]


def test_a_write_of_a_batch_that_was_never_sent_may_be_retried_with_its_key(gateway: GatewayProcess,
                                                                             sandbox: SandboxProcess) -> None:
    """The batch's first write, applied, counted for the second, which Dartmouth refused with a 503: its failure was
    kept under the key, so retrying the batch replayed it and the write was never made."""
    sandbox.faults("dartmouth", route=PATCH_ROUTE, fail_next=1, error_status=503)
    tag, failed = batch(gateway, TAG, SET, key="b-2")
    assert tag == {"data": {"addStudentTag": {"success": True}}}
    assert failed["data"] is None and failed["errors"][0]["extensions"]["code"] == "VENDOR_UNAVAILABLE", failed
    replayed_tag, retried = batch(gateway, TAG, SET, key="b-2")
    assert replayed_tag == tag
    assert retried["data"]["setCourseAssessment"]["success"], retried
    assert len(writes(sandbox, "stellic")) == 1
    assert [w["status"] for w in writes(sandbox, "dartmouth")] == [503, 202]


def test_a_write_keeps_its_answer_when_a_later_operation_of_the_batch_cannot_run(gateway: GatewayProcess,
                                                                               sandbox: SandboxProcess) -> None:
    """An operation of the batch Strawberry cannot run as sent (a name its document lacks, no query) refused the
    whole batch with one 400: the write before it had been applied, and its answer was lost."""
    response = httpx.post(f"{gateway.url}/graphql", headers=gateway.bearer(), timeout=60, json=[
        {"query": TAG}, {"query": "query A { __typename }", "operationName": "B"}, {"variables": {}}])
    assert response.status_code == 200, response.text
    written, unnamed, no_query = response.json()
    assert written == {"data": {"addStudentTag": {"success": True}}}
    assert [w["path"] for w in writes(sandbox, "stellic")] == ["/partnerapi/v1/students/mabbott/tags/honors"]
    for refused, code in ((unnamed, "OPERATION_RESOLUTION_FAILURE"), (no_query, "BAD_REQUEST")):
        assert "data" not in refused and [e["extensions"]["code"] for e in refused["errors"]] == [code], refused
        assert refused["errors"][0]["extensions"]["requestId"] == response.headers["x-request-id"]
