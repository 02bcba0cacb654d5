"""Never doubled, never lost: Idempotency-Key replays, concurrent duplicates, replicas, and answers lost in flight."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from gateway.idempotency import IdempotencyStore
from tests.gateway.test_mutations_assessment import ENROLLMENT, READ_ENROLLMENT, SET
from tests.gateway.writes import USER_ERRORS, codes, replica, writes
from tests.gatewayproc import GatewayProcess, sandbox_env
from tests.redisproc import RedisProcess
from tests.sandboxproc import SandboxProcess

__all__ = ["replica"]  # the fixture

PLACE = f"""mutation($sis: ID!, $note: String) {{ placeHold(input: {{sisId: $sis, studentId: "mabbott", holdCode: "AR",
  note: $note}}) {{ success sisId title note {USER_ERRORS} }} }}"""
HOLDS = "POST /partnerapi/v1/holds"
TIMINGS = "PUT /partnerapi/v1/catalog/section/{id}/timings"
PATCH = "PATCH /api/academic/enrollments/{id}"


def post(gateway: GatewayProcess, key: str | None, variables: dict[str, Any], query: str = PLACE) -> dict[str, Any]:
    response = gateway.post(query, variables, headers={**gateway.bearer(), **({"Idempotency-Key": key} if key else {})})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def sent(sandbox: SandboxProcess, vendor: str, route: str) -> int:
    return int(sandbox.requests(vendor)["by_route"].get(route, 0))


def test_a_replayed_key_returns_the_first_result_without_a_second_call(gateway: GatewayProcess,
                                                                       sandbox: SandboxProcess) -> None:
    first = post(gateway, "k-1", {"sis": "H-10", "note": "first"})
    assert first["data"]["placeHold"]["success"]
    replay = post(gateway, "k-1", {"note": "first", "sis": "H-10"})  # same variables, another order
    assert replay == first
    assert sent(sandbox, "stellic", HOLDS) == 1
    without_key = post(gateway, None, {"sis": "H-10", "note": "first"})  # the same write sent again for real
    assert codes(without_key["data"]["placeHold"]) == [(["input", "sisId"], "REFUSED")]
    assert sent(sandbox, "stellic", HOLDS) == 2


def test_a_key_reused_for_another_request_is_refused(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    post(gateway, "k-2", {"sis": "H-11", "note": "first"})
    other = post(gateway, "k-2", {"sis": "H-11", "note": "second"})
    assert other["data"] is None and other["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    other_operation = post(gateway, "k-2", {"e": ENROLLMENT}, SET)
    assert other_operation["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert len(writes(sandbox, "stellic")) == 1 and writes(sandbox, "dartmouth") == []
    query = post(gateway, "k-2", {}, '{ holdTypes { id } }')  # a query is not a write: the key is ignored
    assert "errors" not in query


def test_concurrent_duplicates_reach_the_vendor_once(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    sandbox.faults("stellic", route=HOLDS, latency_ms=400)  # the first is still running when the others arrive
    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(lambda _: post(gateway, "k-3", {"sis": "H-12", "note": "once"}), range(6)))
    assert all(r == results[0] for r in results) and results[0]["data"]["placeHold"]["success"]
    assert sent(sandbox, "stellic", HOLDS) == 1


def test_a_replica_replays_a_key_another_replica_answered(gateway: GatewayProcess, replica: GatewayProcess,
                                                          sandbox: SandboxProcess) -> None:
    first = post(gateway, "k-4", {"sis": "H-13", "note": None})
    assert post(replica, "k-4", {"sis": "H-13", "note": None}) == first
    assert sent(sandbox, "stellic", HOLDS) == 1


def test_a_write_that_was_never_sent_frees_its_key(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    sandbox.faults("stellic", route=HOLDS, fail_next=1, error_status=503)
    failed = post(gateway, "k-5", {"sis": "H-14", "note": None})
    assert failed["errors"][0]["extensions"]["code"] == "VENDOR_UNAVAILABLE"
    retried = post(gateway, "k-5", {"sis": "H-14", "note": None})
    assert retried["data"]["placeHold"]["success"]
    assert sent(sandbox, "stellic", HOLDS) == 2  # a 503 is never retried by the gateway itself


@pytest.mark.parametrize("status", [500, 503])
def test_a_write_the_vendor_failed_says_it_was_not_applied_nor_sent_again(gateway: GatewayProcess,
                                                                         sandbox: SandboxProcess, status: int) -> None:
    """A 5xx answer to a write read "the vendor failed to answer", which left a user guessing whether the hold was
    placed: the error now says what the answer means (not applied, by the vendor's word) and what the gateway did
    (sent it once), and the key stays free for the retry that applies it."""
    holds = sandbox.records("stellic", "holds")["count"]
    sandbox.faults("stellic", route=HOLDS, fail_next=1, error_status=status)
    failed = post(gateway, "k-30", {"sis": "H-30", "note": None})
    (error,) = failed["errors"]
    assert (error["extensions"]["code"], error["extensions"]["vendor"], error["extensions"]["status"]) == (
        "VENDOR_UNAVAILABLE", "stellic", status)
    assert error["message"] == (f"stellic: the vendor answered the write with HTTP {status}, a failure: by that "
                                "answer it was not applied, and the gateway did not send it again")
    assert sandbox.records("stellic", "holds")["count"] == holds  # as the sandbox does on an injected 5xx
    assert post(gateway, "k-30", {"sis": "H-30", "note": None})["data"]["placeHold"]["success"]
    assert sent(sandbox, "stellic", HOLDS) == 2


@pytest.mark.parametrize(("status", "code"), [(401, "VENDOR_AUTH_FAILED"), (403, "VENDOR_FORBIDDEN")])
def test_a_write_refused_for_the_gateways_credential_frees_its_key(gateway: GatewayProcess, sandbox: SandboxProcess,
                                                                   status: int, code: str) -> None:
    """A vendor refusing the gateway's credential (401) or its privilege (403) applied nothing, but the result was
    kept under the key: once the credential was put right, the client's retry with its key replayed the refusal
    for 24 h, sending nothing. Now the key stays free, as after any write the vendor did not apply."""
    holds = sandbox.records("stellic", "holds")["count"]
    sandbox.faults("stellic", route=HOLDS, fail_next=1, error_status=status)
    failed = post(gateway, f"k-32-{status}", {"sis": f"H-32-{status}", "note": None})
    (error,) = failed["errors"]
    assert (error["extensions"]["code"], error["extensions"]["vendor"], error["extensions"]["status"]) == (
        code, "stellic", status)
    assert sandbox.records("stellic", "holds")["count"] == holds
    retried = post(gateway, f"k-32-{status}", {"sis": f"H-32-{status}", "note": None})
    assert retried["data"]["placeHold"]["success"], retried
    assert sent(sandbox, "stellic", HOLDS) == 2


@pytest.mark.parametrize("status", [502, 504])
def test_a_write_answered_by_the_vendors_front_end_may_have_been_applied(gateway: GatewayProcess,
                                                                        sandbox: SandboxProcess, status: int) -> None:
    """A 502 or 504 to a write is the front end in front of the vendor saying it had no (good) answer from it: the
    vendor may have applied the write. It read "the vendor failed to answer" and freed the key, so a retry with it
    could place the hold twice; now it is WRITE_OUTCOME_UNKNOWN (with the status), kept under the key."""
    sandbox.faults("stellic", route=HOLDS, fail_next=1, error_status=status)
    failed = post(gateway, "k-31", {"sis": "H-31", "note": None})
    (error,) = failed["errors"]
    assert (error["extensions"]["code"], error["extensions"]["vendor"], error["extensions"]["status"]) == (
        "WRITE_OUTCOME_UNKNOWN", "stellic", status)
    assert "may or may not have been applied" in error["message"] and f"HTTP {status}" in error["message"]
    assert post(gateway, "k-31", {"sis": "H-31", "note": None}) == failed  # replayed, not sent again
    assert sent(sandbox, "stellic", HOLDS) == 1


def test_a_key_is_kept_when_an_earlier_write_of_the_operation_was_applied(gateway: GatewayProcess,
                                                                          sandbox: SandboxProcess) -> None:
    # The tag fails unsent, which nulls the whole answer (payloads are non-null), but the hold before it was placed:
    # the key must not be freed, or the retry with it would place the hold again.
    tags = "POST /partnerapi/v1/students/{student_username}/tags/{tag_name}"
    both = """mutation { hold: placeHold(input: {sisId: "H-20", studentId: "mabbott", holdCode: "AR"}) { success }
        tag: addStudentTag(username: "mabbott", tag: "honors") { success } }"""
    sandbox.faults("stellic", route=tags, outage=True)
    failed = post(gateway, "k-20", {}, both)
    assert failed["data"] is None and [e["extensions"]["code"] for e in failed["errors"]] == ["VENDOR_UNAVAILABLE"]
    assert sandbox.records("stellic", "holds", "H-20")["sis_id"] == "H-20"  # applied, though the answer is null
    sandbox.reset("stellic")
    retried = post(gateway, "k-20", {}, both)
    assert retried == failed  # replayed: nothing is sent again
    assert writes(sandbox, "stellic") == []


async def test_the_in_memory_store_without_redis() -> None:
    store = IdempotencyStore(None, wait_s=0.2)
    assert (await store.claim("k", "fp-a")).outcome == "run"
    assert (await store.claim("k", "fp-b")).outcome == "mismatch"
    assert (await store.claim("k", "fp-a")).outcome == "busy"  # the first has not finished within the wait
    await store.complete("k", "fp-a", {"data": {"x": 1}})
    replay = await store.claim("k", "fp-a")
    assert (replay.outcome, replay.result) == ("replay", {"data": {"x": 1}})
    await store.release("k")
    assert (await store.claim("k", "fp-b")).outcome == "run"


# ---- answers lost in flight ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def impatient(sandbox_process: SandboxProcess, gateway_redis: RedisProcess) -> Iterator[GatewayProcess]:
    """A gateway that gives Stellic and Dartmouth 0.5 s to answer."""
    proc = GatewayProcess(sandbox_env(sandbox_process, redis_url=gateway_redis.url, stellic_timeout_s=0.5,
                                      dartmouth_timeout_s=0.5, stellic_backoff_base_s=0.05,
                                      stellic_breaker_failures=50, dartmouth_breaker_failures=50)).start()
    yield proc
    proc.stop()


def test_a_write_whose_answer_is_lost_says_so_and_is_not_sent_again(
        gateway: GatewayProcess, impatient: GatewayProcess, sandbox: SandboxProcess) -> None:
    sandbox.faults("stellic", route=HOLDS, latency_ms=1200)
    lost = post(impatient, "k-6", {"sis": "H-15", "note": None})
    error = lost["errors"][0]
    assert lost["data"] is None and error["extensions"]["code"] == "WRITE_OUTCOME_UNKNOWN"
    assert error["extensions"]["vendor"] == "stellic" and "may or may not have been applied" in error["message"]
    replay = post(impatient, "k-6", {"sis": "H-15", "note": None})  # the client's retry with its key
    assert replay == lost
    time.sleep(1.0)  # the abandoned request finishes at the sandbox
    assert sent(sandbox, "stellic", HOLDS) == 1


def test_a_dartmouth_patch_whose_answer_is_lost(gateway: GatewayProcess, impatient: GatewayProcess,
                                                sandbox: SandboxProcess) -> None:
    sandbox.faults("dartmouth", route=PATCH, latency_ms=1200)
    lost = post(impatient, None, {"e": ENROLLMENT, "s": "2020-03-05T17:53:46Z"}, SET)
    assert lost["errors"][0]["extensions"]["code"] == "WRITE_OUTCOME_UNKNOWN"
    assert impatient.query(READ_ENROLLMENT, {"e": ENROLLMENT})["data"]["enrollment"] == {"courseAssessment": None}
    # The gateway watches the enrollment it could not follow a task for: once Dartmouth's task applies the PATCH
    # (after its latency), the read above, cached meanwhile, is forgotten and the watch ends.
    deadline = time.monotonic() + 8
    while impatient.query(READ_ENROLLMENT, {"e": ENROLLMENT})["data"]["enrollment"]["courseAssessment"] is None:
        assert time.monotonic() < deadline, "the enrollment read before the PATCH applied was kept"
        time.sleep(0.2)
    assert sent(sandbox, "dartmouth", PATCH) == 1


def test_a_put_of_a_named_record_is_sent_again_after_a_lost_answer(
        gateway: GatewayProcess, impatient: GatewayProcess, sandbox: SandboxProcess) -> None:
    section = sandbox.records("stellic", "sections")["ids"][0]
    sandbox.faults("stellic", route=TIMINGS, latency_ms=1200)
    lost = post(impatient, None, {"id": section}, """mutation($id: ID!) { replaceSectionTimings(sectionId: $id,
        timings: []) { success } }""")
    assert lost["errors"][0]["extensions"]["code"] == "WRITE_OUTCOME_UNKNOWN"  # every attempt timed out
    time.sleep(1.2)
    assert sent(sandbox, "stellic", TIMINGS) == 3  # first try and two retries: repeating a PUT changes nothing


HOLD_DELETE = "DELETE /partnerapi/v1/holds/{sis_id}"
TAG_DELETE = "DELETE /partnerapi/v1/students/{student_username}/tags/{tag_name}"
ENROLLMENT_DELETE = "DELETE /partnerapi/v1/section_enrollments/{id}"
LOST_DELETES = [  # (route, a mutation making the record, the delete (both take $id), how Stellic says "not there")
    (HOLD_DELETE, """mutation($id: ID!) { placeHold(input: {sisId: $id, studentId: "mabbott", holdCode: "AR"}) {
        success } }""", "mutation($id: ID!) { releaseHold(sisId: $id) { success userErrors { code } } }", 404),
    (TAG_DELETE, """mutation($id: String!) { addStudentTag(username: "mabbott", tag: $id) { success } }""",
     """mutation($id: String!) { removeStudentTag(username: "mabbott", tag: $id) { success
        userErrors { code } } }""", 400),  # an entry not on a profile's list is refused, not missing
    (ENROLLMENT_DELETE, None,
     "mutation($id: ID!) { deleteSectionEnrollment(id: $id) { success userErrors { code } } }", 404),
]


@pytest.mark.parametrize(("route", "make", "delete", "absent"), LOST_DELETES,
                         ids=["hold", "tag", "section_enrollment"])
def test_a_delete_whose_answer_is_lost_is_sent_again_and_reported_done(
        gateway: GatewayProcess, sandbox: SandboxProcess, route: str, make: str | None, delete: str,
        absent: int) -> None:
    record = {HOLD_DELETE: "H-lost", TAG_DELETE: "honors"}.get(route) or \
        sandbox.records("stellic", "section_enrollments")["ids"][0]
    if make is not None:
        assert post(gateway, None, {"id": record}, make)["data"]
    sandbox.faults("stellic", route=route, lose_answer_next=1)  # applied, but the connection closes unanswered

    done = post(gateway, None, {"id": record}, delete)
    assert "errors" not in done, done["errors"]
    (payload,) = done["data"].values()
    assert payload == {"success": True, "userErrors": []}  # not a refusal: the first attempt deleted it
    deletes = [r for r in sandbox.requests("stellic")["requests"] if r["route"] == route]
    assert [(r["status"], r.get("answer")) for r in deletes] == [(200, "lost"), (absent, None)]

    again = post(gateway, None, {"id": record}, delete)  # a delete of a record that is not there still says so
    (payload,) = again["data"].values()
    assert payload == {"success": False, "userErrors": [{"code": "NOT_FOUND" if absent == 404 else "REFUSED"}]}


def test_a_lost_answer_does_not_turn_every_refusal_of_a_delete_into_success(
        gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    sandbox.faults("stellic", route=TAG_DELETE, lose_answer_next=1)
    unknown = post(gateway, None, {"id": "no-such-tag"}, LOST_DELETES[1][2])  # 404: not a tag Stellic knows
    (payload,) = unknown["data"].values()
    assert payload == {"success": False, "userErrors": [{"code": "NOT_FOUND"}]}
