"""The shared request path, exercised through real clients against the sandbox's fault switches."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from gateway.eager import start
from gateway.vendors import base
from gateway.vendors.dartmouth import routes as dartmouth_routes
from gateway.vendors.errors import (
    CircuitOpen,
    VendorAuthError,
    VendorNotFound,
    VendorProtocolError,
    VendorRateLimited,
    VendorUnavailable,
    WriteOutcomeUnknown,
)
from gateway.vendors.hubmis import routes as hubmis_routes
from gateway.vendors.stellic import routes as stellic_routes
from tests.sandboxproc import SandboxProcess

HUBMIS_STUDENT = "GET /api/v1/students/{id}"
DARTMOUTH_STUDENT = "GET /api/students/{netid}"
STELLIC_PROPERTY = stellic_routes.ROUTES["get_student_property"].key
STELLIC_TAG = stellic_routes.ROUTES["add_student_tag"].key
MakeClient = Callable[..., Any]


def count(sandbox: SandboxProcess, vendor: str, route: str) -> int:
    return int(sandbox.requests(vendor)["by_route"].get(route, 0))


async def test_hubmis_token_is_fetched_once_for_a_hundred_concurrent_calls(
        sandbox: SandboxProcess, make_client: MakeClient) -> None:
    client = await make_client("hubmis")
    results = await asyncio.gather(*(client.fetch(hubmis_routes.GET_STUDENT, path={"id": 56}, ttl=0)
                                     for _ in range(100)))
    assert all(r["external_id"] == "MX99328" for r in results)
    assert count(sandbox, "hubmis", "POST /api/v1/token") == 1
    assert count(sandbox, "hubmis", HUBMIS_STUDENT) == 100


async def test_token_expiry_mid_run_renews_once_and_fails_nothing(
        sandbox: SandboxProcess, make_client: MakeClient) -> None:
    sandbox.faults("hubmis", token_ttl_s=3)  # renewed 10% (min 1 s) before expiry: at ~2 s
    client = await make_client("hubmis")
    started = time.monotonic()
    while time.monotonic() - started < 3.0:
        assert (await client.fetch(hubmis_routes.GET_STUDENT, path={"id": 56}, ttl=0))["id"] == 56
        await asyncio.sleep(0.05)
    log = sandbox.requests("hubmis")
    assert log["by_route"]["POST /api/v1/token"] == 2  # the first token and exactly one renewal
    assert {r["status"] for r in log["requests"]} == {200}


async def test_a_401_is_retried_once_with_a_new_token(sandbox: SandboxProcess, make_client: MakeClient) -> None:
    client = await make_client("hubmis")
    await client.fetch(hubmis_routes.GET_STUDENT, path={"id": 56}, ttl=0)
    sandbox.reset("hubmis")
    sandbox.faults("hubmis", route=HUBMIS_STUDENT, fail_next=1, error_status=401)  # the vendor drops our token
    assert (await client.fetch(hubmis_routes.GET_STUDENT, path={"id": 56}, ttl=0))["id"] == 56
    statuses = [(r["route"], r["status"]) for r in sandbox.requests("hubmis")["requests"]]
    assert statuses == [(HUBMIS_STUDENT, 401), ("POST /api/v1/token", 200), (HUBMIS_STUDENT, 200)]


async def test_a_401_on_a_static_token_fails_at_once_read_or_write(sandbox: SandboxProcess,
                                                                   make_client: MakeClient) -> None:
    """Stellic's personal access token cannot be renewed: sending the same token again cannot help, and a write
    sent twice breaks "sent once". A 401 is the auth failure, after one request."""
    client = await make_client("stellic")
    tags = sandbox.records("stellic", "students", "mabbott")["tags"]
    sandbox.faults("stellic", route=STELLIC_PROPERTY, fail_next=1, error_status=401)
    with pytest.raises(VendorAuthError) as read:
        await client.get_student_property("mabbott")
    sandbox.faults("stellic", route=STELLIC_TAG, fail_next=1, error_status=401)
    with pytest.raises(VendorAuthError) as write:
        await client.add_student_tag("mabbott", "transfer" if "transfer" not in tags else "athlete")
    assert (read.value.code, read.value.status, write.value.status) == ("VENDOR_AUTH_FAILED", 401, 401)
    statuses = [(r["route"], r["status"]) for r in sandbox.requests("stellic")["requests"]]
    assert statuses == [(STELLIC_PROPERTY, 401), (STELLIC_TAG, 401)]
    assert sandbox.records("stellic", "students", "mabbott")["tags"] == tags


async def test_a_burst_beyond_the_bucket_waits_instead_of_causing_429s(
        sandbox: SandboxProcess, make_client: MakeClient) -> None:
    # The sandbox enforces a small bucket; the client mirrors it, so the excess waits its turn.
    # HUBmis' own bucket of 500, refilled faster than the real 5 s so the test takes seconds, not minutes.
    # The client's mirror is 10 tokens short of the vendor's: at this refill rate, scheduling jitter on a loaded
    # machine (two test workers beside the sandbox) once made the buckets disagree by enough that one fetch met
    # more 429s than its retries allow and failed; the margin is what a deployment would set for a vendor refilling
    # this fast.
    sandbox.faults("hubmis", rate_limit_bucket=500, rate_limit_refill_s=0.01)
    client = await make_client("hubmis", rate_limit_bucket=490, rate_limit_refill_s=0.01)
    started = time.monotonic()
    await asyncio.gather(*(client.fetch(hubmis_routes.GET_STUDENT, path={"id": 56}, ttl=0) for _ in range(600)))
    elapsed = time.monotonic() - started
    statuses = Counter(r["status"] for r in sandbox.requests("hubmis")["requests"] if r["route"] == HUBMIS_STUDENT)
    assert statuses[200] == 600, statuses  # every fetch answered, none sent twice
    # Refilling 500x faster than HUBmis' real one token per 5 s turns a few ms of scheduling jitter on a loaded
    # machine into a few tokens of disagreement between the two buckets (at the real rate: a thousandth of one;
    # a CI run on a busy machine saw 6); such a 429 is waited out and retried. Without the client's bucket, 100
    # of the 600 would be 429s.
    assert set(statuses) <= {200, 429} and statuses[429] <= 12, statuses
    assert elapsed >= (600 - 500) * 0.01  # the excess waited for refills


async def test_429_storm_honours_the_vendors_retry_after(sandbox: SandboxProcess, make_client: MakeClient) -> None:
    client = await make_client("hubmis")
    await client.prepare()
    sandbox.faults("hubmis", route=HUBMIS_STUDENT, fail_next=2, error_status=429, retry_after_s=1)
    started = time.monotonic()
    assert (await client.fetch(hubmis_routes.GET_STUDENT, path={"id": 56}, ttl=0))["id"] == 56
    assert time.monotonic() - started >= 1.0  # waited at least as long as asked
    statuses = [r["status"] for r in sandbox.requests("hubmis")["requests"] if r["route"] == HUBMIS_STUDENT]
    assert statuses == [429, 429, 200]
    sandbox.faults("hubmis", route=HUBMIS_STUDENT, fail_next=5, error_status=429, retry_after_s=60)
    with pytest.raises(VendorRateLimited) as caught:
        await client.fetch(hubmis_routes.GET_STUDENT, path={"id": 56}, ttl=0)
    assert caught.value.retry_after_s and caught.value.retry_after_s > 10  # too long to wait: reported instead


async def test_503s_are_retried_then_given_up(sandbox: SandboxProcess, make_client: MakeClient) -> None:
    client = await make_client("dartmouth")
    await client.prepare()
    sandbox.faults("dartmouth", route=DARTMOUTH_STUDENT, fail_next=1, error_status=503)
    assert (await client.get_student("d59951y")).netid == "d59951y"
    assert count(sandbox, "dartmouth", DARTMOUTH_STUDENT) == 2
    sandbox.faults("dartmouth", route=DARTMOUTH_STUDENT, error_rate=1.0, error_status=503)
    with pytest.raises(VendorUnavailable) as caught:
        await client.fetch(dartmouth_routes.GET_STUDENT, path={"netid": "f002qt1"}, ttl=0)
    assert caught.value.status == 503 and caught.value.vendor == "dartmouth"
    assert count(sandbox, "dartmouth", DARTMOUTH_STUDENT) == 2 + 3  # first try and two retries


async def test_a_write_is_never_retried(sandbox: SandboxProcess, make_client: MakeClient) -> None:
    client = await make_client("dartmouth")
    route = dartmouth_routes.PATCH_ENROLLMENT
    body = {"course_assessment": {"submit_date": "2020-03-05T17:53:46Z", "opt_out_date": None}}
    sandbox.faults("dartmouth", route=route.key, fail_next=1, error_status=503)
    with pytest.raises(VendorUnavailable) as caught:
        await client.send(route, path={"id": "AAAS.010.01-202001-U-10188-f002qt1-student"}, json_body=body)
    assert not isinstance(caught.value, WriteOutcomeUnknown)  # the vendor answered: it was not applied
    assert count(sandbox, "dartmouth", route.key) == 1


async def test_a_write_whose_answer_is_lost_says_so(sandbox: SandboxProcess, make_client: MakeClient) -> None:
    client = await make_client("dartmouth", http={"timeout_s": 0.5})
    await client.prepare()
    route = dartmouth_routes.PATCH_ENROLLMENT
    sandbox.faults("dartmouth", route=route.key, latency_ms=1500)
    body = {"course_assessment": {"submit_date": None, "opt_out_date": None}}
    with pytest.raises(WriteOutcomeUnknown):
        await client.send(route, path={"id": "AAAS.010.01-202001-U-10188-f002qt1-student"}, json_body=body)
    await asyncio.sleep(1.2)
    assert count(sandbox, "dartmouth", route.key) == 1


async def test_a_read_timeout_is_an_unavailable_vendor(sandbox: SandboxProcess, make_client: MakeClient) -> None:
    client = await make_client("dartmouth", http={"timeout_s": 0.3, "retries": 1})
    await client.prepare()
    sandbox.faults("dartmouth", route=DARTMOUTH_STUDENT, latency_ms=1000)
    started = time.monotonic()
    with pytest.raises(VendorUnavailable, match="timed out"):
        await client.get_student("d59951y")
    assert time.monotonic() - started < 0.9  # one attempt of 0.3 s, not the vendor's full second
    await asyncio.sleep(1.0)  # let the abandoned request finish at the sandbox before the next test resets it
    # Not sent again: the caller has waited the whole timeout already (retries are for failures that come fast).
    assert count(sandbox, "dartmouth", DARTMOUTH_STUDENT) == 1


async def test_a_read_started_eagerly_times_out_in_its_own_task(sandbox: SandboxProcess,
                                                               make_client: MakeClient) -> None:
    """aiohttp's timeout cancels the task current when the request began. A read started eagerly (gateway/eager.py)
    leaves the caller's turn before it opens a connection, so its timeout ends that read, not the caller."""
    client = await make_client("dartmouth", http={"timeout_s": 0.3, "retries": 0})
    await client.prepare()
    sandbox.faults("dartmouth", route=DARTMOUTH_STUDENT, latency_ms=1000)
    read = start(client.get_student("d59951y"))
    # The caller waits on more than the read, as a resolver's task waits on all its fields: a timeout that
    # cancelled the caller would cancel the other field too.
    timed_out, other = await asyncio.gather(read, asyncio.sleep(0.5, "other field"), return_exceptions=True)
    assert isinstance(timed_out, VendorUnavailable) and "timed out" in str(timed_out)
    assert other == "other field"
    await asyncio.sleep(0.8)  # let the abandoned request finish at the sandbox before the next test resets it


async def test_the_breaker_opens_fails_fast_and_closes_after_a_probe(
        sandbox: SandboxProcess, make_client: MakeClient) -> None:
    client = await make_client("dartmouth", http={"retries": 0, "breaker_failures": 3, "breaker_reset_s": 0.5})
    await client.prepare()
    sandbox.faults("dartmouth", route=DARTMOUTH_STUDENT, outage=True)
    before = count(sandbox, "dartmouth", DARTMOUTH_STUDENT)
    for _ in range(3):
        with pytest.raises(VendorUnavailable):
            await client.fetch(dartmouth_routes.GET_STUDENT, path={"netid": "d59951y"}, ttl=0)
    with pytest.raises(CircuitOpen):
        await client.fetch(dartmouth_routes.GET_STUDENT, path={"netid": "d59951y"}, ttl=0)
    assert count(sandbox, "dartmouth", DARTMOUTH_STUDENT) == before + 3  # the fourth never left
    sandbox.reset("dartmouth")
    await asyncio.sleep(0.6)
    assert (await client.fetch(dartmouth_routes.GET_STUDENT, path={"netid": "d59951y"}, ttl=0))["netid"]
    assert client.breakers.state == "closed"


async def test_a_malformed_body_is_a_protocol_error(sandbox: SandboxProcess, make_client: MakeClient) -> None:
    client = await make_client("dartmouth")
    await client.prepare()
    sandbox.faults("dartmouth", route=DARTMOUTH_STUDENT, malformed=True)
    with pytest.raises(VendorProtocolError):
        await client.get_student("d59951y")


async def test_a_404_is_not_found_and_not_retried(sandbox: SandboxProcess, make_client: MakeClient) -> None:
    client = await make_client("dartmouth")
    with pytest.raises(VendorNotFound) as caught:
        await client.get_student("nobody1")
    assert caught.value.status == 404
    assert count(sandbox, "dartmouth", DARTMOUTH_STUDENT) == 1


async def test_a_404_is_remembered_for_less_time_than_a_record(sandbox: SandboxProcess, make_client: MakeClient,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """An absence is cached for ``NOT_FOUND_TTL_S`` at most (here 1 s), a record for its read's TTL."""
    monkeypatch.setattr(base, "NOT_FOUND_TTL_S", 1.0)
    client = await make_client("dartmouth")
    for _ in range(2):
        with pytest.raises(VendorNotFound):
            await client.get_student("nobody1")
        await client.get_student("d59951y")
        assert count(sandbox, "dartmouth", DARTMOUTH_STUDENT) == 2  # the second round: both from the cache
    await asyncio.sleep(1.2)
    with pytest.raises(VendorNotFound):
        await client.get_student("nobody1")
    await client.get_student("d59951y")
    assert count(sandbox, "dartmouth", DARTMOUTH_STUDENT) == 3  # the 404 asked again, the record still cached


async def test_concurrent_misses_share_one_upstream_call(sandbox: SandboxProcess, make_client: MakeClient) -> None:
    client = await make_client("dartmouth")
    results = await asyncio.gather(*(client.get_student("d59951y") for _ in range(25)))
    assert {r.netid for r in results} == {"d59951y"}
    assert count(sandbox, "dartmouth", DARTMOUTH_STUDENT) == 1


async def test_a_wide_level_of_reads_is_at_the_vendor_at_once(sandbox: SandboxProcess,
                                                               make_client: MakeClient) -> None:
    """The default pool lets a query's widest level of calls go out together (a 200-row roster reads 199 people
    at once). With the former 50 connections, 150 reads went in three rounds, each a whole latency long."""
    client = await make_client("dartmouth")
    sandbox.faults("dartmouth", latency_ms=300)
    netids = [f"w{i:05d}x" for i in range(150)]  # none exists: 404s, each a call at the vendor all the same
    await asyncio.gather(*(client.get_person(netid) for netid in netids), return_exceptions=True)
    log = [e for e in sandbox.requests("dartmouth")["requests"] if e["route"] == "GET /api/people/{netid}"]
    assert len(log) == 150
    last_arrival = max(e["started_at"] for e in log)
    assert all(e["started_at"] + e["ms"] / 1000 > last_arrival for e in log)  # none answered before all arrived


async def test_cache_hits_and_invalidation(sandbox: SandboxProcess, make_client: MakeClient) -> None:
    client = await make_client("dartmouth")
    await client.get_student("d59951y")
    await client.get_student("d59951y")
    assert count(sandbox, "dartmouth", DARTMOUTH_STUDENT) == 1
    await client.invalidate(dartmouth_routes.GET_STUDENT, path={"netid": "d59951y"})
    await client.get_student("d59951y")
    assert count(sandbox, "dartmouth", DARTMOUTH_STUDENT) == 2
    await client.invalidate_route(dartmouth_routes.GET_STUDENT)
    await client.get_student("d59951y")
    assert count(sandbox, "dartmouth", DARTMOUTH_STUDENT) == 3
    assert client.stats.cache[("dartmouth", "hit")] == 1


async def test_a_warm_read_needs_no_wait_and_a_cold_one_is_sent_from_its_own_task(
        sandbox: SandboxProcess, make_client: MakeClient) -> None:
    """What the loaders rely on (gateway/eager.py): an answer in this process's memory is there in the caller's
    own turn, and a read that must ask the vendor leaves the eager step before it opens a connection."""
    client = await make_client("dartmouth")
    cold = start(client.get_student("d59951y"))
    assert not cold.done()  # it went on in a task: aiohttp's timeouts then cancel that task, not the caller
    assert (await cold).netid == "d59951y"
    warm = start(client.get_student("d59951y"))
    assert warm.done() and warm.result().netid == "d59951y"
    missing = start(client.get_person("w00000x"))
    await asyncio.gather(missing, return_exceptions=True)
    absent = start(client.get_person("w00000x"))  # a cached 404 is an answer too
    assert absent.done() and isinstance(absent.exception(), VendorNotFound)
    assert count(sandbox, "dartmouth", DARTMOUTH_STUDENT) == 1
    assert client.stats.cache[("dartmouth", "hit")] == 2


async def test_no_credential_reaches_a_log_line_or_an_error(
        sandbox: SandboxProcess, make_client: MakeClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    hubmis = await make_client("hubmis")
    dartmouth = await make_client("dartmouth")
    await hubmis.get_student(56)
    sandbox.faults("dartmouth", route=DARTMOUTH_STUDENT, error_rate=1.0, error_status=500)
    with pytest.raises(VendorUnavailable) as caught:
        await dartmouth.get_student("d59951y")
    text = caplog.text + str(caught.value) + repr(hubmis.auth.__dict__) + repr(dartmouth.auth.__dict__)
    for secret in ("sandbox-secret", "sandbox-dartmouth-key", "sandbox-stellic-pat"):
        assert secret not in text
    assert all(hasattr(r, "upstream") for r in caplog.records if r.name == "campusgraph.upstream")


def test_vendor_json_beyond_what_orjson_reads_is_still_read() -> None:
    from gateway import jsoncodec

    assert jsoncodec.loads(b'{"id": 100000000000000000000, "gpa": 3.5}') == {"id": 100000000000000000000, "gpa": 3.5}
    with pytest.raises(ValueError):
        jsoncodec.loads(b'{"id": ')
