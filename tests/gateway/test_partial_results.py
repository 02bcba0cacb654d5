"""When one vendor is down, slow or rate limiting, the others' fields still arrive, each failure one coded error."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterator

import httpx
import pytest

from gateway.sandbox.world import DARTMOUTH, HUBMIS, STELLIC
from tests.gateway.test_students import linked_student, world
from tests.gatewayproc import GatewayProcess, sandbox_env
from tests.sandboxproc import SandboxProcess

QUERY = """query($n: String) { student(netid: $n) {
    netid firstName hubmis { enrolmentStatus } dartmouth { studentStatusId } stellic { engagementScore } } }"""


# Dartmouth's JWT and HUBmis' token fetched before a fault, and nothing of Stellic's read: once its engagement
# export is cached (an unknown netid reads it), it answers every score with no call, Stellic down or not.
TOKENS_ONLY = "{ terms(currentTermOffset: 0) { id } staff(first: 1) { edges { node { id } } } }"


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
    sandbox.faults("stellic", latency_ms=1500)
    started = time.monotonic()
    result = impatient_gateway.query('{ student(netid: "d59951y") { netid stellic { engagementScore } } }')
    assert time.monotonic() - started < 2.5
    assert result["data"]["student"]["netid"] == "d59951y"
    assert {(e["extensions"]["vendor"], e["extensions"]["code"]) for e in result["errors"]} == {
        ("stellic", "VENDOR_UNAVAILABLE")}
    # No answer, so no upstream status, and the error says so rather than leaving the key out: a client reading
    # `extensions.status` of every vendor failure (as the other failures carry it) finds null, not a missing key.
    assert [e["extensions"]["status"] for e in result["errors"]] == [None]


EVERYTHING = """query($n: String) { student(netid: $n) {
    netid stellicUsername hubmisId lastName
    hubmis { enrolmentStatus } dartmouth { studentStatusId } stellic { engagementScore } } }"""


@pytest.mark.parametrize(("down", "field"), [("hubmis", "hubmis"), ("stellic", "stellic"),
                                             ("dartmouth", "dartmouth")])
def test_each_vendor_down_in_turn(gateway: GatewayProcess, sandbox: SandboxProcess, down: str, field: str) -> None:
    netid = linked_student()
    gateway.query(TOKENS_ONLY)
    sandbox.faults(down, outage=True)
    result = gateway.query(EVERYTHING, {"n": netid})
    student = result["data"]["student"]
    assert student is not None and student["netid"] in (netid, None)
    failing = {e["path"][-1] for e in result["errors"]}
    assert field in failing, failing
    assert {e["extensions"]["vendor"] for e in result["errors"]} == {down}
    assert all(e["extensions"]["code"] in ("VENDOR_UNAVAILABLE", "VENDOR_CIRCUIT_OPEN") for e in result["errors"])
    others = {"hubmis": student["hubmis"], "dartmouth": student["dartmouth"],
              "stellic": (student.get("stellic") or {}).get("engagementScore")}
    assert all(value is not None for vendor, value in others.items() if vendor != down)



# Six Dartmouth reads at once (student, people, holds, enrollments...), and `advisors`: a failing vendor nulls
# that list, not the whole student.
WIDE_QUERY = """query($n: String) { student(netid: $n) {
    netid firstName classYear stellic { engagementScore } dartmouth { gradTerm }
    advisors { isPrimary } holds { code } enrollments(activeOnly: true) { role } } }"""


def test_a_failing_dartmouth_passes_the_status_to_hubmis_and_says_so(gateway: GatewayProcess,
                                                                     sandbox: SandboxProcess) -> None:
    """The status' order is Dartmouth, then HUBmis: with Dartmouth failing, HUBmis' answers, and Dartmouth's failure
    is reported at the field, so the client knows the value came from further down the order."""
    netid = linked_student()
    query = """query($n: String) { student(netid: $n) { netid status statusCode
        hubmis { enrolmentStatus } stellic { engagementScore } } }"""
    gateway.query(query, {"n": "warm-up-tokens"})
    sandbox.faults("dartmouth", route="GET /api/students/{netid}", outage=True)
    result = gateway.query(query, {"n": netid})
    student = result["data"]["student"]
    assert (student["status"], student["statusCode"]) == ("ACTIVE", "current"), student
    assert student["hubmis"]["enrolmentStatus"] == "current" and student["stellic"]["engagementScore"] is not None
    assert sorted((e["path"][-1], e["extensions"]["code"], e["extensions"]["vendor"], e["extensions"]["status"])
                  for e in result["errors"] if e["path"][-1] != "netid") == [  # netid: Dartmouth's own word
        ("status", "VENDOR_UNAVAILABLE", "dartmouth", 503), ("statusCode", "VENDOR_UNAVAILABLE", "dartmouth", 503)]
    # Someone HUBmis does not know has no next vendor: the status is null, with Dartmouth's error.
    alone = next(p.key for p in world().students() if p.vendors == {DARTMOUTH, STELLIC} and not p.ferpa)
    only = gateway.query(query, {"n": alone})
    assert only["data"]["student"]["status"] is None
    assert [(e["path"], e["extensions"]["vendor"]) for e in only["errors"] if e["path"][-1] == "status"] == [
        (["student", "status"], "dartmouth")]


def test_a_failing_vendor_nulls_its_root_field_not_the_others(gateway: GatewayProcess,
                                                               sandbox: SandboxProcess) -> None:
    gateway.query("{ vendors { vendor } }")
    sandbox.faults("dartmouth", route="GET /api/students", outage=True)
    result = gateway.query("{ students(first: 2) { totalCount } staff(first: 2) { edges { node { firstName } } } }")
    assert result["data"]["students"] is None
    assert len(result["data"]["staff"]["edges"]) == 2
    assert [(e["path"], e["extensions"]["code"], e["extensions"]["vendor"]) for e in result["errors"]] == [
        (["students"], "VENDOR_UNAVAILABLE", "dartmouth")]


def test_a_failing_hubmis_does_not_hide_a_staff_member_dartmouth_knows(gateway: GatewayProcess,
                                                                       sandbox: SandboxProcess) -> None:
    teacher = next(p for p in world().staff() if {"dartmouth", "hubmis"} <= p.vendors)
    query = """query($n: String) { staffMember(netid: $n) { netid hubmisId firstName departments
        sources { vendor } sections { code } } }"""
    gateway.query(query, {"n": "warm-up-tokens"})
    sandbox.faults("hubmis", outage=True)  # its staff list and records both (the index was built before)
    result = gateway.query(query, {"n": teacher.key})
    staff = result["data"]["staffMember"]
    assert staff is not None and staff["netid"] == teacher.key and staff["hubmisId"] == teacher.hubmis_id
    # Their name and departments come from Dartmouth, next in the order, with HUBmis' failure reported at each.
    assert staff["sections"] and staff["firstName"] == teacher.first_name and staff["departments"]
    assert {s["vendor"] for s in staff["sources"]} == {"DARTMOUTH", "HUBMIS"}
    assert sorted((e["path"][-1], e["extensions"]["code"], e["extensions"]["vendor"]) for e in result["errors"]) == [
        ("departments", "VENDOR_UNAVAILABLE", "hubmis"), ("firstName", "VENDOR_UNAVAILABLE", "hubmis")]
    by_id = gateway.query("query($id: Int) { staffMember(hubmisId: $id) { netid firstName } }",
                          {"id": teacher.hubmis_id})  # the staff index names them: Dartmouth vouches
    assert by_id["data"]["staffMember"] == {"netid": teacher.key, "firstName": teacher.first_name}
    # With Dartmouth failing too, nobody vouches for the person: the error is HUBmis', which failed first.
    other = next(p for p in world().staff() if {"dartmouth", "hubmis"} <= p.vendors and p.key != teacher.key)
    sandbox.faults("dartmouth", route="GET /api/people/{netid}", outage=True)
    neither = gateway.query(query, {"n": other.key})
    assert neither["data"]["staffMember"] is None
    assert [(e["path"], e["extensions"]["vendor"]) for e in neither["errors"]] == [(["staffMember"], "hubmis")]


def test_a_staff_members_preferred_name_falls_back_to_dartmouths_display_name(gateway: GatewayProcess,
                                                                            sandbox: SandboxProcess) -> None:
    """Staff preferredName follows the staff order (HUBmis staff, then Dartmouth people) as Student's does: with
    HUBmis down, the given name Dartmouth's display `name` shows ("Hannah Gonzalez" for first_name Arjun)."""
    teacher = next(p for p in world().staff() if {"dartmouth", "hubmis"} <= p.vendors and p.preferred_name)
    query = "query($n: String) { staffMember(netid: $n) { netid firstName preferredName } }"
    gateway.query(query, {"n": "warm-up-tokens"})
    sandbox.faults("hubmis", outage=True)
    result = gateway.query(query, {"n": teacher.key})
    assert result["data"]["staffMember"] == {"netid": teacher.key, "firstName": teacher.first_name,
                                             "preferredName": teacher.preferred_name}
    assert sorted((e["path"][-1], e["extensions"]["vendor"]) for e in result["errors"]) == [
        ("firstName", "hubmis"), ("preferredName", "hubmis")]


def test_a_failing_hubmis_still_finds_by_hubmis_id_a_person_the_index_links(gateway: GatewayProcess,
                                                                            sandbox: SandboxProcess) -> None:
    """The crosswalk's index maps a HUBmis id to the shared key without asking HUBmis: the other vendors' fields
    arrive, the HUBmis detail carries HUBmis' error. An id the index cannot link stays HUBmis' error."""
    netid = linked_student()
    person = world().people[netid]
    query = "query($id: Int) { student(hubmisId: $id) { netid firstName hubmis { enrolmentStatus } } }"
    gateway.query(query, {"id": 1})
    sandbox.faults("hubmis", route="GET /api/v1/students/{id}", outage=True)
    result = gateway.query(query, {"id": person.hubmis_id})
    assert result["data"]["student"] == {"netid": netid, "firstName": person.first_name, "hubmis": None}
    assert [(e["path"], e["extensions"]["code"], e["extensions"]["vendor"]) for e in result["errors"]] == [
        (["student", "hubmis"], "VENDOR_UNAVAILABLE", "hubmis")]
    unknown = gateway.query(query, {"id": 999_999})
    assert unknown["data"]["student"] is None
    assert [(e["path"], e["extensions"]["vendor"]) for e in unknown["errors"]] == [(["student"], "hubmis")]


def test_a_vendor_passed_over_is_reported_where_the_field_is_in_the_query_text(gateway: GatewayProcess,
                                                                              sandbox: SandboxProcess) -> None:
    """The error for a vendor passed over in a field's order had a `path` but no `locations`, so GraphiQL could not
    point at the field; it now has the field's place, through an alias and a named fragment."""
    netid = linked_student()
    query = """query($n: String) {
  person: student(netid: $n) { ...Who }
}
fragment Who on Student {
  netid
  state: status
}"""
    gateway.query(query, {"n": "warm-up-tokens"})
    sandbox.faults("dartmouth", route="GET /api/students/{netid}", outage=True)
    result = gateway.query(query, {"n": netid})
    assert result["data"]["person"]["state"] == "ACTIVE", result
    assert [(e["path"], e.get("locations"), e["extensions"]["vendor"]) for e in result["errors"]
            if e["path"][-1] == "state"] == [(["person", "state"], [{"line": 6, "column": 3}], "dartmouth")]


def test_sources_lists_the_vendors_that_answered_and_reports_the_one_that_failed(
        gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """`sources` cannot be null (a student without it would vanish), so a vendor that cannot be asked is left out
    of it and its error is reported at its path: "not in Dartmouth" and "Dartmouth is down" read differently."""
    netid = linked_student()
    gateway.query("{ vendors { vendor } }")
    sandbox.faults("dartmouth", outage=True)
    result = gateway.query("query($n: String) { student(netid: $n) { sources { vendor id } } }", {"n": netid})
    assert {s["vendor"] for s in result["data"]["student"]["sources"]} == {"STELLIC", "HUBMIS"}
    assert [(e["path"], e["extensions"]["code"], e["extensions"]["vendor"], e["extensions"]["status"])
            for e in result["errors"]] == [(["student", "sources"], "VENDOR_UNAVAILABLE", "dartmouth", 503)]
    request_id = result["errors"][0]["extensions"]["requestId"]
    deadline = time.monotonic() + 5
    while not (logged := [json.loads(line) for line in gateway.logs().splitlines()
                          if request_id in line and "campusgraph.request" in line]) and time.monotonic() < deadline:
        time.sleep(0.05)  # the line is written as the response ends
    assert [(line["request"]["outcome"], line["request"]["errors"]) for line in logged] == [
        ("partial", ["VENDOR_UNAVAILABLE"])]
    teacher = next(p for p in world().staff() if {"dartmouth", "hubmis"} <= p.vendors)
    staff = gateway.query("query($h: Int) { staffMember(hubmisId: $h) { lastName sources { vendor } } }",
                          {"h": teacher.hubmis_id})
    assert staff["data"]["staffMember"] == {"lastName": teacher.last_name, "sources": [{"vendor": "HUBMIS"}]}
    assert [(e["path"], e["extensions"]["vendor"]) for e in staff["errors"]] == [
        (["staffMember", "sources"], "dartmouth")]


@pytest.mark.parametrize(("vendor", "route", "query", "field"), [
    ("dartmouth", "GET /api/students", "{ students(first: 5) { totalCount edges { node { netid } } } }", "students"),
    ("stellic", "GET /partnerapi/v1/students/export/{property}",
     "{ students(source: STELLIC, first: 5) { edges { node { stellicUsername } } } }", "students"),
])
def test_a_404_for_a_list_is_the_vendor_failing_and_is_not_remembered(
        gateway: GatewayProcess, sandbox: SandboxProcess, vendor: str, route: str, query: str, field: str) -> None:
    """A list or an export always exists: its 404 is not "no such record" (cached like an answer, it outlived the
    fault by 5 minutes), but the vendor failing, and the same query after the fault answers in full."""
    sandbox.faults(vendor, route=route, error_rate=1.0, error_status=404)
    failed = gateway.query(query)
    assert failed["data"] is None or failed["data"][field] is None, failed
    assert [(e["extensions"]["code"], e["extensions"]["vendor"], e["extensions"].get("status"))
            for e in failed["errors"]] == [("VENDOR_PROTOCOL_ERROR", vendor, 404)]
    sandbox.reset(vendor)
    again = gateway.query(query)
    assert "errors" not in again and len(again["data"][field]["edges"]) == 5, again


@pytest.fixture(scope="module")
def timing_out_gateway(sandbox_process: SandboxProcess) -> Iterator[GatewayProcess]:
    """Retries as by default (2), a short timeout."""
    proc = GatewayProcess(sandbox_env(sandbox_process, stellic_timeout_s=0.5)).start()
    yield proc
    proc.stop()


def test_a_read_that_timed_out_is_not_sent_again(timing_out_gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """Each attempt waits the whole timeout, and the other vendors' fields wait with it: one attempt, not three."""
    timing_out_gateway.query(TOKENS_ONLY)
    sandbox.reset()
    sandbox.faults("stellic", latency_ms=1500)
    started = time.monotonic()
    result = timing_out_gateway.query('{ student(netid: "d59951y") { netid dartmouth { gradTerm } '
                                      'stellic { engagementScore } } }')
    took = time.monotonic() - started
    assert result["data"]["student"]["dartmouth"]["gradTerm"]
    assert {(e["extensions"]["vendor"], e["extensions"]["code"]) for e in result["errors"]} == {
        ("stellic", "VENDOR_UNAVAILABLE")}
    assert took < 1.2, took
    time.sleep(1.6)  # the sandbox logs a request once it has answered it
    assert sandbox.requests("stellic")["by_route"] == {"GET /partnerapi/v1/students/{student_username}/{property}": 1}


LAST_ERRORS = "{ vendors { vendor circuit lastError { code status message route at } } }"


def last_errors(gateway: GatewayProcess) -> dict[str, dict[str, object] | None]:
    return {v["vendor"]: v["lastError"] for v in gateway.query(LAST_ERRORS)["data"]["vendors"]}


def test_vendors_says_what_last_went_wrong_with_each_vendor(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """The sketch's `vendors` is each upstream's "circuit state, rate budget, last error"; ours had no last error,
    so a status page could tell a vendor was unwell only once its circuit opened. `lastError` is the latest failed
    call (its code, status and route template); a vendor working, 404s included, leaves it as it was."""
    netid = linked_student()
    gateway.query(TOKENS_ONLY)
    before = last_errors(gateway)
    sandbox.faults("stellic", outage=True)
    result = gateway.query(QUERY, {"n": netid})
    assert {(e["extensions"]["vendor"], e["extensions"]["code"]) for e in result["errors"]} == {
        ("stellic", "VENDOR_UNAVAILABLE")}
    after = last_errors(gateway)
    failure = after["STELLIC"]
    assert failure is not None and failure != before["STELLIC"]
    assert (failure["code"], failure["status"]) == ("VENDOR_UNAVAILABLE", 503)
    assert failure["route"].startswith("GET /partnerapi/v1/students/")  # a route template: no username in it
    assert failure["message"] == "the vendor failed to answer" and failure["at"] > "2000"
    assert sandbox.url("stellic") not in json.dumps(after)
    assert after["DARTMOUTH"] == before["DARTMOUTH"] and after["HUBMIS"] == before["HUBMIS"]
    sandbox.reset("stellic")
    assert gateway.query(QUERY, {"n": "no-one-has-this-key"})["data"]["student"] is None  # 404s: vendors working
    assert last_errors(gateway) == after
    ready = httpx.get(f"{gateway.url}/readyz", timeout=10).json()
    (stellic,) = [v for v in ready["vendors"] if v["vendor"] == "stellic"]
    assert stellic["last_error"]["code"] == "VENDOR_UNAVAILABLE" and stellic["last_error"]["status"] == 503


def test_last_error_names_the_route_of_an_answer_that_is_not_json(gateway: GatewayProcess,
                                                                  sandbox: SandboxProcess) -> None:
    """A 200 whose body is not JSON (VENDOR_PROTOCOL_ERROR) was remembered with `route` null, so `lastError` and
    /readyz could not say which endpoint answered garbage, as they say it of every other failure."""
    gateway.query(TOKENS_ONLY)
    sandbox.faults("stellic", malformed=True)
    result = gateway.query(QUERY, {"n": linked_student()})
    assert {e["extensions"]["code"] for e in result["errors"]} == {"VENDOR_PROTOCOL_ERROR"}, result
    failure = last_errors(gateway)["STELLIC"]
    assert failure is not None and failure["code"] == "VENDOR_PROTOCOL_ERROR", failure
    assert failure["route"] is not None and failure["route"].startswith("GET /partnerapi/v1/"), failure
    ready = httpx.get(f"{gateway.url}/readyz", timeout=10).json()
    (stellic,) = [v for v in ready["vendors"] if v["vendor"] == "stellic"]
    assert stellic["last_error"]["route"] == failure["route"]
    warnings = [line for line in gateway.logs().splitlines() if "malformed JSON from stellic" in line]
    assert warnings and all(failure["route"] in line for line in warnings), warnings  # named the vendor alone


@pytest.fixture
def short_lived_jwt_gateway(sandbox: SandboxProcess) -> Iterator[GatewayProcess]:
    """A gateway whose Dartmouth JWTs live 2-3 s (renewed 1 s before they expire), with a 1 s timeout."""
    sandbox.faults("dartmouth", token_ttl_s=2)
    proc = GatewayProcess(sandbox_env(sandbox, dartmouth_timeout_s=1.0)).start()
    yield proc
    proc.stop()


def test_a_renewal_that_times_out_is_waited_for_once_not_once_per_read(
        short_lived_jwt_gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """Dartmouth turns slow just as its JWT is due for renewal: the reads of the query wait on one credential
    exchange, and when it times out they all fail with it. Each used to start its own exchange once the one
    before failed, so a query with five Dartmouth reads waited five timeouts (43 s at the default 10 s)."""
    netid = linked_student()
    time.sleep(3.1)  # the JWT has expired (its exp is rounded up to a whole second): reads wait for its renewal
    at_start = len(sandbox.requests("dartmouth")["requests"])  # the gateway's start-up calls
    sandbox.faults("dartmouth", latency_ms=3000)
    started = time.monotonic()
    result = short_lived_jwt_gateway.query(WIDE_QUERY, {"n": netid})
    took = time.monotonic() - started
    student = result["data"]["student"]
    assert student["stellic"]["engagementScore"] is not None and student["dartmouth"] is None
    assert {(e["extensions"]["code"], e["extensions"]["vendor"]) for e in result["errors"]} == {
        ("VENDOR_UNAVAILABLE", "dartmouth")}
    assert took < 2.0, took
    time.sleep(3.2)  # the sandbox logs a request once it has answered it
    assert [r["route"] for r in sandbox.requests("dartmouth")["requests"][at_start:]] == ["POST /api/jwt"]


@pytest.fixture
def short_lived_tokens_gateway(sandbox: SandboxProcess) -> Iterator[GatewayProcess]:
    """A gateway whose Dartmouth JWTs and HUBmis tokens live 2-3 s (renewed 1 s before they expire)."""
    for vendor in ("dartmouth", "hubmis"):
        sandbox.faults(vendor, token_ttl_s=2)
    proc = GatewayProcess(sandbox_env(sandbox)).start()
    yield proc
    proc.stop()


@pytest.mark.parametrize(("vendor", "route"), [("hubmis", "POST /api/v1/token"), ("dartmouth", "POST /api/jwt")])
def test_a_renewal_refused_for_the_rate_limit_is_a_rate_limit(short_lived_tokens_gateway: GatewayProcess,
                                                              sandbox: SandboxProcess, vendor: str, route: str) -> None:
    """The vendor answers the credential exchange 429: the fields that needed the credential are rate limited, with
    the vendor's retry-after, not "an answer outside the contract" (VENDOR_PROTOCOL_ERROR, "unexpected HTTP 429")."""
    time.sleep(3.1)  # the tokens have expired: reads wait for their renewal
    sandbox.faults(vendor, route=route, error_rate=1.0, error_status=429, retry_after_s=30)
    result = short_lived_tokens_gateway.query(QUERY, {"n": linked_student()})
    student = result["data"]["student"]
    assert student["stellic"]["engagementScore"] is not None and student[vendor] is None
    failures = [e["extensions"] for e in result["errors"] if e["path"][-1] == vendor]
    assert [(f["code"], f["vendor"], f.get("status")) for f in failures] == [("VENDOR_RATE_LIMITED", vendor, 429)]
    assert 0 < failures[0]["retryAfterS"] <= 31  # HUBmis gives a Unix time, in whole seconds


@pytest.mark.parametrize(("vendor", "route"), [("hubmis", "POST /api/v1/token"), ("dartmouth", "POST /api/jwt")])
def test_a_credential_exchange_answered_404_is_the_vendor_failing_not_no_such_person(
        short_lived_tokens_gateway: GatewayProcess, sandbox: SandboxProcess, vendor: str, route: str) -> None:
    """A base URL that is not the vendor's (its API path given twice, another service) answers the credential
    exchange 404. That is the vendor failing, reported at each field that needed it and in `vendors { lastError }`:
    it was taken for "no such record", so every student had no record of that vendor, with no error at all."""
    time.sleep(3.1)  # the tokens have expired (their exp is rounded up to a whole second)
    sandbox.faults(vendor, route=route, error_rate=1.0, error_status=404)
    result = short_lived_tokens_gateway.query(QUERY, {"n": linked_student()})
    student = result["data"]["student"]
    assert student["stellic"]["engagementScore"] is not None and student[vendor] is None
    failures = [e["extensions"] for e in result.get("errors", []) if e["path"][-1] == vendor]
    assert [(f["code"], f["vendor"], f.get("status")) for f in failures] == [("VENDOR_PROTOCOL_ERROR", vendor, 404)]
    vendors = short_lived_tokens_gateway.query("{ vendors { vendor lastError { code status route } } }")
    health = {v["vendor"]: v["lastError"] for v in vendors["data"]["vendors"]}
    assert health[vendor.upper()] == {"code": "VENDOR_PROTOCOL_ERROR", "status": 404, "route": route}


def linked_students() -> list[str]:
    return [p.key for p in world().students() if p.vendors == {DARTMOUTH, STELLIC, HUBMIS}
            and p.status == "AS" and not p.ferpa]


@pytest.mark.parametrize(("vendor", "route"), [("hubmis", "POST /api/v1/token"), ("dartmouth", "POST /api/jwt")])
def test_a_renewal_that_fails_before_the_token_expires_costs_no_field(
        short_lived_tokens_gateway: GatewayProcess, sandbox: SandboxProcess, vendor: str, route: str) -> None:
    """A token is renewed a little before it expires (HUBmis' 15 min token 90 s before). When that exchange fails
    (one 503, the exchange route down a moment), the token in hand still works: the reads go on with it. Each read
    waited for the renewal and failed with it, VENDOR_UNAVAILABLE "credential exchange failed", with a valid token."""
    first, second = linked_students()[:2]
    time.sleep(3.1)  # the 2 s tokens have expired; the next lasts 4 s, renewed from 1 s before its expiry
    sandbox.faults(vendor, token_ttl_s=4)
    assert short_lived_tokens_gateway.query(QUERY, {"n": first})["data"]["student"][vendor] is not None
    fetched = [r["started_at"] for r in sandbox.requests(vendor)["requests"] if r["route"] == route][-1]
    sandbox.faults(vendor, route=route, error_rate=1.0, error_status=503)
    # Due for renewal, still valid: HUBmis' lasts `expires_in` (4 s) from its answer, Dartmouth's to its exp, a whole
    # second of its clock (the sandbox's: this machine's).
    due = fetched + 3.2 if vendor == "hubmis" else math.ceil(fetched + 4) - 0.8
    time.sleep(max(0.0, due - time.time()))
    result = short_lived_tokens_gateway.query(QUERY, {"n": second})
    assert result["data"]["student"][vendor] is not None, result.get("errors")
    assert "errors" not in result
    time.sleep(0.2)  # the sandbox logs a request once it has answered it
    renewals = [r for r in sandbox.requests(vendor)["requests"] if r["route"] == route and r["started_at"] > fetched]
    assert renewals and all(r["status"] == 503 for r in renewals)  # the renewal was tried, and failed


@pytest.mark.parametrize("fault", [{"fail_next": 1, "error_status": 503}, {"lose_answer_next": 1}])
@pytest.mark.parametrize(("vendor", "route"), [("hubmis", "POST /api/v1/token"), ("dartmouth", "POST /api/jwt")])
def test_a_credential_exchange_that_fails_once_is_tried_again(short_lived_tokens_gateway: GatewayProcess,
                                                              sandbox: SandboxProcess, vendor: str, route: str,
                                                              fault: dict[str, object]) -> None:
    """The token has expired (a quiet spell longer than HUBmis' 15 minutes) and its exchange fails once: a 503, or
    the connection closed before the answer. A read is tried again after either; the exchange was not, so every
    field of the vendor in the request failed with "credential exchange failed"."""
    time.sleep(3.1)  # the tokens have expired: the next read waits for an exchange
    sandbox.faults(vendor, route=route, **fault)
    result = short_lived_tokens_gateway.query(QUERY, {"n": linked_student()})
    assert "errors" not in result, result["errors"]
    assert result["data"]["student"][vendor] is not None
    time.sleep(0.2)
    exchanges = [r for r in sandbox.requests(vendor)["requests"] if r["route"] == route]
    assert len(exchanges) >= 2 and exchanges[-1]["status"] == 200


@pytest.fixture
def patient_gateway(sandbox: SandboxProcess) -> Iterator[GatewayProcess]:
    """A gateway that waits out a rate limit for 4 s at most (10 s by default)."""
    proc = GatewayProcess(sandbox_env(sandbox, hubmis_max_retry_wait_s=4, dartmouth_max_retry_wait_s=4)).start()
    yield proc
    proc.stop()


@pytest.mark.parametrize("vendor", ["hubmis", "dartmouth"])
def test_a_rate_limited_read_waits_at_most_the_longest_wait_in_all(patient_gateway: GatewayProcess,
                                                                    sandbox: SandboxProcess, vendor: str) -> None:
    """Every answer is a 429 asking for 3 s: the read waits them out while its MAX_RETRY_WAIT_S (4 s) lasts, then
    fails. Each retry used to be allowed the whole wait again, so the read took three 429s and over 6 s."""
    patient_gateway.query(QUERY, {"n": "warm-up-tokens"})
    sandbox.reset()
    sandbox.faults(vendor, error_rate=1.0, error_status=429, retry_after_s=3)
    started = time.monotonic()
    result = patient_gateway.query(QUERY, {"n": linked_student()})
    took = time.monotonic() - started
    assert result["data"]["student"]["stellic"]["engagementScore"] is not None
    assert {(e["extensions"]["code"], e["extensions"]["vendor"], e["extensions"].get("status"))
            for e in result["errors"]} == {("VENDOR_RATE_LIMITED", vendor, 429)}
    assert took < 4.5, took


def test_a_lost_answer_is_told_in_words_not_by_the_http_library_s_class(gateway: GatewayProcess,
                                                                        sandbox: SandboxProcess) -> None:
    """Dartmouth closes the connection before its answers end: the fields say the answer was cut off, not
    "connection failed (ClientPayloadError)", a name from the gateway's HTTP library."""
    gateway.query(QUERY, {"n": "warm-up-tokens"})
    sandbox.faults("dartmouth", lose_answer_next=50)
    result = gateway.query(QUERY, {"n": linked_student()})
    assert result["data"]["student"]["hubmis"]["enrolmentStatus"] == "current"
    assert {(e["extensions"]["code"], e["message"]) for e in result["errors"]} == {
        ("VENDOR_UNAVAILABLE", "dartmouth: the vendor's answer was cut off")}
