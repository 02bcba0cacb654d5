"""Batching, caching and call budgets, proven by the sandbox's request log."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import httpx
import pytest
import redis as redis_sync

from tests.gatewayproc import GatewayProcess, sandbox_env
from tests.redisproc import RedisProcess
from tests.sandbox.test_hubmis_helpers import Hub
from tests.sandboxproc import SandboxProcess

ROSTER = """{ students(first: 20) { edges { node {
    netid firstName holds { code } enrollments(activeOnly: true) { role section { code } }
} } } }"""


def calls(sandbox: SandboxProcess, vendor: str, route: str | None = None) -> int:
    log = sandbox.requests(vendor)["by_route"]
    if route is None:
        return sum(n for r, n in log.items() if not r.startswith("POST"))  # token calls are not data calls
    return int(log.get(route, 0))


def assert_read_once_each_and_overlapping(sandbox: SandboxProcess, vendor: str, one: str, other: str) -> None:
    """Each route was answered once, and the two calls were at the vendor at the same time (the sandbox log's
    start times and durations): neither waited for the other's answer. A failed attempt the gateway retried (a
    429 or 5xx from the shared test sandbox) is not a second read."""
    log = sandbox.requests(vendor)["requests"]
    answered = [e for e in log if e["route"] in (one, other) and (e.get("status") or 0) < 400]
    reads = {e["route"]: e for e in answered}
    seen = [{k: e.get(k) for k in ("path", "status", "started_at", "ms")} for e in log if e["route"] in (one, other)]
    assert len(reads) == 2 and len(answered) == 2, seen
    a, b = reads[one], reads[other]
    assert b["started_at"] < a["started_at"] + a["ms"] / 1000
    assert a["started_at"] < b["started_at"] + b["ms"] / 1000


def test_one_list_call_then_one_call_per_distinct_key(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    result = gateway.query(ROSTER)
    assert "errors" not in result, result.get("errors")
    nodes = [e["node"] for e in result["data"]["students"]["edges"]]
    assert len(nodes) == 20
    assert calls(sandbox, "dartmouth", "GET /api/students") == 1
    # the list page carried each student record: no per-student GET of what the page held
    assert calls(sandbox, "dartmouth", "GET /api/students/{netid}") == 0
    assert calls(sandbox, "dartmouth", "GET /api/academic/holds") == 20
    assert calls(sandbox, "dartmouth", "GET /api/academic/enrollments") == 20
    assert calls(sandbox, "dartmouth", "GET /api/people/{netid}") == 20
    sections = {e["section"]["code"] for n in nodes for e in n["enrollments"]}
    assert calls(sandbox, "dartmouth", "GET /api/academic/sections/{id}") <= len(sections) + 0


def test_a_sections_roster_is_read_beside_the_section_not_after_it(gateway: GatewayProcess,
                                                                   sandbox: SandboxProcess) -> None:
    """Both reads need only the section id, so they overlap (the sandbox log's start times and durations),
    and the enrollments field joins the read already in flight: one call each."""
    found = gateway.query('{ student(netid: "d59951y") { enrollments { section { id } } } }')
    section_id = found["data"]["student"]["enrollments"][0]["section"]["id"]
    sandbox.reset()
    sandbox.faults("dartmouth", latency_ms=150)
    result = gateway.query("""query($id: ID!) { section(id: $id) { code
        ... on Section { enrollments(first: 3) { edges { node { role } } } } } }""", {"id": section_id})
    assert "errors" not in result, result["errors"]
    assert len(result["data"]["section"]["enrollments"]["edges"]) == 3
    assert_read_once_each_and_overlapping(sandbox, "dartmouth", "GET /api/academic/sections/{id}",
                                          "GET /api/academic/enrollments")


def test_a_students_hubmis_timetable_is_read_beside_the_hubmis_record(gateway: GatewayProcess,
                                                                      sandbox: SandboxProcess) -> None:
    """The timetable needs only the HUBmis id (from the crosswalk's index): both reads overlap, one call each."""
    found = gateway.query('{ students(source: HUBMIS, first: 5) { edges { node { netid hubmisId } } } }')
    netid = next(e["node"]["netid"] for e in found["data"]["students"]["edges"] if e["node"]["netid"])
    sandbox.reset()
    sandbox.faults("hubmis", latency_ms=150)
    result = gateway.query("""query($netid: String!) { student(netid: $netid) {
        hubmis { form { name } ... on HubmisStudentRecord { timetable { day subject } } } } }""", {"netid": netid})
    assert "errors" not in result, result["errors"]
    assert result["data"]["student"]["hubmis"]["timetable"]
    assert_read_once_each_and_overlapping(sandbox, "hubmis", "GET /api/v1/students/{id}",
                                          "GET /api/v1/students/{id}/timetable")


def test_a_students_hubmis_timetable_and_tutor_group_alone_spend_no_record_read(gateway: GatewayProcess,
                                                                                sandbox: SandboxProcess) -> None:
    """`hubmis { timetable }` or `hubmis { tutorGroup }` needs only the HUBmis id, which the crosswalk's index holds:
    the student record, which no field asked for, is not read (HUBmis' budget is one call per 5 s once spent)."""
    found = gateway.query('{ students(source: HUBMIS, first: 5) { edges { node { netid hubmisId } } } }')
    hubmis_id = next(e["node"]["hubmisId"] for e in found["data"]["students"]["edges"] if e["node"]["netid"])
    sandbox.reset()
    result = gateway.query("""query($id: Int!) { student(hubmisId: $id) { hubmis { id
        timetable { day subject } tutorGroup { name } } } }""", {"id": hubmis_id})
    assert "errors" not in result, result["errors"]
    assert result["data"]["student"]["hubmis"]["id"] == hubmis_id
    assert result["data"]["student"]["hubmis"]["timetable"]
    log = sandbox.requests("hubmis")["by_route"]
    assert log.get("GET /api/v1/students/{id}", 0) == 0, log
    assert log.get("GET /api/v1/students/{id}/timetable") == 1, log
    # A record field (or one under a directive, which may run) still reads the record.
    again = gateway.query("""query($id: Int!, $yes: Boolean!) { student(hubmisId: $id) { hubmis {
        timetable { day } form @include(if: $yes) { name } } } }""", {"id": hubmis_id, "yes": True})
    assert again["data"]["student"]["hubmis"]["form"]["name"], again


def test_a_roster_is_not_read_for_a_caller_who_may_not_see_it(gateway: GatewayProcess,
                                                               sandbox: SandboxProcess) -> None:
    found = gateway.query('{ student(netid: "d59951y") { enrollments { section { id } } } }')
    section_id = found["data"]["student"]["enrollments"][0]["section"]["id"]
    sandbox.reset()
    result = gateway.query("query($id: ID!) { section(id: $id) { code enrollments { totalCount } } }",
                           {"id": section_id}, scopes=["students:read"])
    assert result["data"]["section"]["enrollments"] is None
    assert {e["extensions"]["code"] for e in result["errors"]} == {"FORBIDDEN"}
    assert calls(sandbox, "dartmouth", "GET /api/academic/enrollments") == 0


def test_a_repeated_query_makes_no_upstream_call(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    first = gateway.query(ROSTER)
    before = {v: calls(sandbox, v) for v in ("dartmouth", "hubmis", "stellic")}
    again = gateway.query(ROSTER)
    assert again == first
    assert {v: calls(sandbox, v) for v in ("dartmouth", "hubmis", "stellic")} == before


def test_duplicate_keys_in_one_query_are_fetched_once(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    result = gateway.query("""{ a: student(netid: "d59951y") { dartmouth { gradTerm } }
                                b: student(netid: "d59951y") { dartmouth { gradTerm } classYear } }""")
    assert result["data"]["a"]["dartmouth"] == result["data"]["b"]["dartmouth"]
    assert calls(sandbox, "dartmouth", "GET /api/students/{netid}") == 1


def test_fields_waiting_on_one_read_in_flight_all_get_it(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """Students sharing an advisor: each advisor's staff field waits on the same read (one key of a loader), and
    each starts eagerly; every one of them gets the record: HUBmis' staff from its staff list, which one page holds
    (one call for them all, where a GET each spent HUBmis' scarce budget per advisor), the others from one
    Dartmouth people call each."""
    result = gateway.query("""{ students(first: 50) { edges { node {
        advisors { staff { netid hubmisId lastName } } } } } }""")
    assert "errors" not in result, result.get("errors", [])[:2]
    advisors = [a for e in result["data"]["students"]["edges"] for a in e["node"]["advisors"]]
    distinct = {(a["staff"]["netid"], a["staff"]["hubmisId"]) for a in advisors if a["staff"]}
    assert len(advisors) > len(distinct) > 1  # some advisors are shared: their fields waited on one read
    assert all(a["staff"] and a["staff"]["lastName"] for a in advisors)
    in_hubmis = {netid for netid, hubmis_id in distinct if hubmis_id is not None}
    assert len(in_hubmis) > 1
    assert calls(sandbox, "hubmis", "GET /api/v1/staff") == 1
    assert calls(sandbox, "hubmis", "GET /api/v1/staff/{id}") == 0
    assert calls(sandbox, "dartmouth", "GET /api/people/{netid}") == len(distinct) - len(in_hubmis)


def test_no_loader_state_is_shared_between_requests(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    query = '{ student(netid: "d59951y") { dartmouth { gradTerm } } }'
    sandbox.faults("dartmouth", route="GET /api/students/{netid}", outage=True)
    failed = gateway.query(query)
    assert failed["errors"][0]["extensions"]["code"] in ("VENDOR_UNAVAILABLE", "VENDOR_CIRCUIT_OPEN")
    sandbox.reset("dartmouth")
    ok = gateway.query(query)
    assert "errors" not in ok and ok["data"]["student"]["dartmouth"]["gradTerm"]


def test_a_failure_in_one_operation_of_a_batch_is_reported_in_that_operation_alone(
        gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """The operations of a batch shared one data port: the Dartmouth failure reported under the first one's
    ``sources`` (a field that still answers) was reported again in the others, at a path they do not have."""
    sandbox.faults("dartmouth", outage=True)
    sandbox.faults("hubmis", latency_ms=300)  # the second operation ends after the first
    batch = [{"query": '{ student(netid: "sstanton") { sources { vendor } } }'},
             {"query": "{ staffMember(hubmisId: 12) { hubmisId } }"}]
    response = httpx.post(f"{gateway.url}/graphql", json=batch, headers=gateway.bearer(), timeout=30)
    first, second = response.json()
    assert [e["path"] for e in first["errors"]] == [["student", "sources"]]
    assert "errors" not in second, second["errors"]
    assert second["data"] == {"staffMember": {"hubmisId": 12}}


@pytest.fixture(scope="module")
def tight_gateway(sandbox_process: SandboxProcess) -> Iterator[GatewayProcess]:
    proc = GatewayProcess(sandbox_env(sandbox_process, call_budget=5)).start()
    yield proc
    proc.stop()


def test_a_query_past_its_call_budget_returns_partial_data(tight_gateway: GatewayProcess,
                                                            sandbox: SandboxProcess) -> None:
    result = tight_gateway.query("{ students(first: 10) { edges { node { netid holds { code } } } } }")
    nodes = [e["node"] for e in result["data"]["students"]["edges"]]
    assert len(nodes) == 10 and all(n["netid"] for n in nodes)  # the list itself arrived
    codes = {e["extensions"]["code"] for e in result["errors"]}
    assert codes == {"UPSTREAM_BUDGET_EXCEEDED"}
    assert sum(1 for n in nodes if n["holds"] is not None) == 4  # 1 list call + 4 holds calls = budget of 5


def test_a_burst_of_cache_operations_over_redis_does_not_fail_fields(gateway: GatewayProcess) -> None:
    # This gateway caches in Redis: 60 students' fields make well over 100 cache operations at once.
    query = """{ students(first: 60) { edges { node { netid firstName holds { code }
        enrollments(activeOnly: true) { role section { code } } } } } }"""
    for _ in range(2):  # cold, then warm (every field a cache hit)
        result = gateway.query(query)
        assert "errors" not in result, result["errors"][:2]
        assert len(result["data"]["students"]["edges"]) == 60


def test_with_batching_and_caching_off_every_field_is_its_own_call(sandbox_process: SandboxProcess,
                                                                   sandbox: SandboxProcess) -> None:
    """The benchmark's baseline: the same answers, with no key shared within or across requests."""
    proc = GatewayProcess(sandbox_env(sandbox_process, cache_enabled=False, batching_enabled=False)).start()
    try:
        before = calls(sandbox, "dartmouth")
        result = proc.query(ROSTER)
        assert "errors" not in result, result["errors"]
        assert len(result["data"]["students"]["edges"]) == 20
        first = calls(sandbox, "dartmouth") - before
        assert proc.query(ROSTER) == result
        assert calls(sandbox, "dartmouth") - before == 2 * first  # nothing cached across requests
        section = result["data"]["students"]["edges"][0]["node"]["enrollments"][0]["section"]["code"]
        assert section
    finally:
        proc.stop()


TUTOR_GROUPS = ("{ students(first: %d, source: HUBMIS) { edges { node {"
                " hubmisId hubmis { tutorGroup { id name code } } } } } }")
STRUCTURE = "GET /api/v1/students/{id}/academic-structure"
GROUP_ROUTES = ("GET /api/v1/academic-years", "GET /api/v1/academic-years/{academicYearId}/tutor-groups",
                "GET /api/v1/academic-years/{academicYearId}/tutor-groups/{id}/students")


def _tutor_group_of(hub: Hub, hubmis_id: int) -> dict[str, object] | None:
    """What HUBmis' own academic structure says of the student: the one tutor group, or None (not on roll)."""
    rows = hub.json(f"/students/{hubmis_id}/academic-structure")
    return next(({k: g[k] for k in ("id", "name", "code")} for g in rows if g["group_type"] == "tutor_group"), None)


def test_a_page_of_tutor_groups_reads_each_tutor_group_once_not_each_student(gateway: GatewayProcess,
                                                                             sandbox: SandboxProcess) -> None:
    """students(first: 100) { hubmis { tutorGroup } } spent one academic-structure read per row, 100 of HUBmis'
    500: each tutor group's students are read instead (and the year and the tutor-group list, cached 1 h)."""
    result = gateway.query(TUTOR_GROUPS % 100)
    assert "errors" not in result, result.get("errors")
    log = sandbox.requests("hubmis")["by_route"]
    hub = Hub(sandbox)
    active = hub.years()[1]["id"]
    groups = hub.json(f"/academic-years/{active}/tutor-groups")
    assert log.get(STRUCTURE, 0) == 0, log
    assert [log.get(r, 0) for r in GROUP_ROUTES] == [1, 1, len(groups)], log
    assert len(groups) + 2 < 50  # the 300-student sandbox: 20 tutor groups
    rows = [e["node"] for e in result["data"]["students"]["edges"]]
    assert len(rows) == 100
    assert [r["hubmis"]["tutorGroup"] for r in rows] == [_tutor_group_of(hub, r["hubmisId"]) for r in rows]
    assert any(r["hubmis"]["tutorGroup"] is None for r in rows)  # past students and applicants are in none
    sandbox.reset("hubmis")
    assert gateway.query(TUTOR_GROUPS % 100) == result
    assert calls(sandbox, "hubmis") == 0  # every read cached: the list page too


def test_one_students_tutor_group_is_one_read_or_none_once_the_groups_are_read(
        gateway: GatewayProcess, sandbox: SandboxProcess, gateway_redis: RedisProcess) -> None:
    """One student, or a page too short to beat reading the tutor groups, reads each academic structure; once
    a page has read the tutor groups, a later student's is answered from them with no call."""
    result = gateway.query(TUTOR_GROUPS % 2)
    assert "errors" not in result, result.get("errors")
    log = sandbox.requests("hubmis")["by_route"]
    assert log.get(STRUCTURE) == 2 and not any(log.get(r) for r in GROUP_ROUTES), log
    hub = Hub(sandbox)
    rows = [e["node"] for e in result["data"]["students"]["edges"]]
    assert [r["hubmis"]["tutorGroup"] for r in rows] == [_tutor_group_of(hub, r["hubmisId"]) for r in rows]
    page = gateway.query(TUTOR_GROUPS % 100)["data"]["students"]["edges"]
    sandbox.reset("hubmis")
    one = "{ student(hubmisId: %d) { hubmis { tutorGroup { id code } } } }"
    for node in (page[60]["node"], next(e["node"] for e in page if e["node"]["hubmis"]["tutorGroup"] is None)):
        found = gateway.query(one % node["hubmisId"])["data"]["student"]["hubmis"]["tutorGroup"]
        assert found == (node["hubmis"]["tutorGroup"] and {k: node["hubmis"]["tutorGroup"][k] for k in ("id", "code")})
    log = sandbox.requests("hubmis")["by_route"]  # (the student's own record is read: `hubmis` shows it)
    assert not log.get(STRUCTURE) and not any(log.get(r) for r in GROUP_ROUTES), log
    # On a cold cache one student is one read: of their academic structure, nothing else.
    redis_sync.Redis.from_url(gateway_redis.url).flushdb()
    for node in (page[60]["node"], next(e["node"] for e in page if e["node"]["hubmis"]["tutorGroup"] is None)):
        sandbox.reset("hubmis")
        found = gateway.query(one % node["hubmisId"])["data"]["student"]["hubmis"]["tutorGroup"]
        assert found == (node["hubmis"]["tutorGroup"] and {k: node["hubmis"]["tutorGroup"][k] for k in ("id", "code")})
        log = sandbox.requests("hubmis")["by_route"]
        assert log.get(STRUCTURE) == 1 and not any(log.get(r) for r in GROUP_ROUTES), log


HUBMIS_FIELDS = ("hubmis { id dateOfBirth enrolmentStatus form { id name } yearGroup { id name } academicHouse { name }"
                 " tags }")
HUBMIS_DETAIL = "{ students(first: 50) { edges { node { netid hubmisId " + HUBMIS_FIELDS + " } } } }"
ONE_HUBMIS_RECORD = "{ student(hubmisId: %d) { " + HUBMIS_FIELDS + " } }"
RECORD, LISTING = "GET /api/v1/students/{id}", "GET /api/v1/students"


def test_a_pages_hubmis_records_are_read_a_list_page_at_a_time(gateway: GatewayProcess, sandbox: SandboxProcess,
                                                               gateway_redis: RedisProcess) -> None:
    """students(first: 50) { hubmis { … } } read one HUBmis record per linked row (39 of HUBmis' 500 on the
    demo). The rows' records are now read with the page of HUBmis' student list holding them (the pages the
    crosswalk's index reads): one call for two or more, a GET for one alone on its page. The records are those
    HUBmis' own GETs give."""
    result = gateway.query(HUBMIS_DETAIL)
    assert "errors" not in result, result.get("errors")
    rows = [e["node"] for e in result["data"]["students"]["edges"] if e["node"]["hubmis"] is not None]
    log = sandbox.requests("hubmis")["by_route"]
    page_of = {s["id"]: i // 100 + 1 for i, s in enumerate(Hub(sandbox).all_pages("/students"))}
    on_page = Counter(page_of[r["hubmisId"]] for r in rows)
    assert log.get(LISTING, 0) == sum(1 for n in on_page.values() if n >= 2), (on_page, log)
    assert log.get(RECORD, 0) == sum(1 for n in on_page.values() if n == 1), (on_page, log)
    assert len(rows) >= 20 and log.get(LISTING, 0) + log.get(RECORD, 0) <= 4, (len(rows), log)
    sandbox.reset("hubmis")
    assert gateway.query(HUBMIS_DETAIL) == result and calls(sandbox, "hubmis") == 0  # warm: no call
    # Each alone, on a cold cache, is its own GET, and answers as the page did.
    redis_sync.Redis.from_url(gateway_redis.url).flushdb()
    sandbox.reset("hubmis")
    alone = [gateway.query(ONE_HUBMIS_RECORD % r["hubmisId"])["data"]["student"]["hubmis"] for r in rows]
    assert alone == [r["hubmis"] for r in rows]
    assert calls(sandbox, "hubmis", RECORD) == len(rows) and calls(sandbox, "hubmis") == len(rows)


def test_one_tutor_groups_failing_list_fails_only_the_students_it_may_hold(gateway: GatewayProcess,
                                                                          sandbox: SandboxProcess) -> None:
    """When one tutor group's students could not be read, a student found in another group has that group; only
    those found in none (in the failing group, or in no group) get the failure, not the whole page."""
    sandbox.faults("hubmis", route=GROUP_ROUTES[2], fail_next=1, error_status=400)
    result = gateway.query(TUTOR_GROUPS % 100)
    rows = [e["node"] for e in result["data"]["students"]["edges"]]
    failed = {tuple(e["path"]) for e in result["errors"]}
    assert all(e["extensions"]["vendor"] == "hubmis" for e in result["errors"]), result["errors"]
    hub = Hub(sandbox)
    answered = [(i, r) for i, r in enumerate(rows) if ("students", "edges", i, "node", "hubmis", "tutorGroup")
                not in failed]
    assert 0 < len(failed) < 30 and len(answered) + len(failed) == 100, len(failed)
    assert all(r["hubmis"]["tutorGroup"] is not None for _, r in answered)  # found in a group that was read
    assert [r["hubmis"]["tutorGroup"] for _, r in answered] == [_tutor_group_of(hub, r["hubmisId"])
                                                                for _, r in answered]


ONE_TUTOR_GROUP = "{ student(hubmisId: %d) { hubmis { tutorGroup { id name code } } } }"


def test_a_student_a_failing_tutor_group_may_hold_is_answered_from_their_cached_academic_structure(
        gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """A student found in none of the tutor groups that were read gets the failing group's failure; but one whose
    academic structure is cached (an earlier student(hubmisId:) asked it) is answered from it, with no call."""
    ids = [e["node"]["hubmisId"] for e in gateway.query(
        "{ students(first: 100, source: HUBMIS) { edges { node { hubmisId } } } }")["data"]["students"]["edges"]]
    hub = Hub(sandbox)
    group_of = {i: _tutor_group_of(hub, i) for i in ids}
    one_per_group = {g["id"]: i for i, g in group_of.items() if g is not None}  # whichever group fails, one is in it
    for i in one_per_group.values():
        assert gateway.query(ONE_TUTOR_GROUP % i)["data"]["student"]["hubmis"]["tutorGroup"] == group_of[i]
    sandbox.reset("hubmis")
    sandbox.faults("hubmis", route=GROUP_ROUTES[2], fail_next=1, error_status=400)
    result = gateway.query(TUTOR_GROUPS % 100)
    assert calls(sandbox, "hubmis", STRUCTURE) == 0 and calls(sandbox, "hubmis", GROUP_ROUTES[2]) > 1
    rows = [e["node"] for e in result["data"]["students"]["edges"]]
    failed = {e["path"][2] for e in result.get("errors", [])}
    assert failed, "one tutor group's students failed"
    assert not {rows[k]["hubmisId"] for k in failed} & set(one_per_group.values()), result["errors"]
    assert [r["hubmis"]["tutorGroup"] for r in rows if r["hubmisId"] in one_per_group.values()] == [
        group_of[r["hubmisId"]] for r in rows if r["hubmisId"] in one_per_group.values()]


def test_a_hubmis_page_asks_dartmouth_only_of_those_its_student_list_did_not_hold(gateway: GatewayProcess,
                                                                                sandbox: SandboxProcess) -> None:
    """Whether a HUBmis-listed student is in Dartmouth (their `netid`) is answered by Dartmouth's student list, which
    the gateway reads for its FERPA index anyway (as HUBmis' index answers `hubmisId`): a page asks Dartmouth only of
    those that list did not hold (they may have been added since). It was one GET per student, 10 for 10."""
    result = gateway.query("{ students(source: HUBMIS, first: 10) { edges { node { netid hubmisId } } } }")
    assert "errors" not in result, result["errors"]
    nodes = [e["node"] for e in result["data"]["students"]["edges"]]
    assert len(nodes) == 10 and all(n["hubmisId"] for n in nodes)
    linked = [n["netid"] for n in nodes if n["netid"]]
    assert linked, nodes
    asked = calls(sandbox, "dartmouth", "GET /api/students/{netid}")
    assert asked == len(nodes) - len(linked), sandbox.requests("dartmouth")["by_route"]


def test_a_student_an_index_lists_is_found_without_asking_the_other_vendors(
        gateway: GatewayProcess, sandbox: SandboxProcess, gateway_redis: RedisProcess) -> None:
    """`student(netid:)` and `node(id:)` settle who someone is from the crosswalk's indexes when one lists them
    (Dartmouth's student list, HUBmis' index): no vendor is asked only to be told, and a field reads what it needs.
    Every vendor was asked at once, so `{ lastName }` also spent a Stellic engagement read and a Dartmouth student
    read that no field used."""
    found = gateway.query("{ students(source: HUBMIS, first: 10) { edges { node { id netid } } } }")
    nodes = [e["node"] for e in found["data"]["students"]["edges"]]
    both = next(n for n in nodes if n["netid"])  # in Dartmouth's list and HUBmis' index
    hubmis_only = next(n for n in nodes if n["netid"] is None)
    redis_sync.Redis.from_url(gateway_redis.url).flushdb()
    sandbox.reset()
    result = gateway.query("""query($n: String!, $a: ID!, $b: ID!) { student(netid: $n) { lastName }
        a: node(id: $a) { ... on Student { lastName } } b: node(id: $b) { ... on Student { lastName } } }""",
                           {"n": both["netid"], "a": both["id"], "b": hubmis_only["id"]})
    assert "errors" not in result, result["errors"]
    assert result["data"]["student"]["lastName"] and result["data"]["a"] == result["data"]["student"]
    assert result["data"]["b"]["lastName"]
    assert calls(sandbox, "stellic") == 0, sandbox.requests("stellic")["by_route"]
    assert calls(sandbox, "dartmouth", "GET /api/students/{netid}") == 0, sandbox.requests("dartmouth")["by_route"]
