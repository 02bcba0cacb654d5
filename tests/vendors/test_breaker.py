"""The circuit breaker on the shared request path: what parallel calls report, send and wait for around it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from gateway.vendors.base import background_context
from gateway.vendors.breaker import CircuitBreakers, Role
from gateway.vendors.budget import call_budget
from gateway.vendors.dartmouth import routes as dartmouth_routes
from gateway.vendors.errors import CircuitOpen, VendorUnavailable
from tests.sandboxproc import SandboxProcess

DARTMOUTH_STUDENT = "GET /api/students/{netid}"
NETIDS = ("d59951y", "f002qt1", "nobody1", "nobody2")
MakeClient = Callable[..., Any]


def calls(sandbox: SandboxProcess) -> list[dict[str, Any]]:
    return [r for r in sandbox.requests("dartmouth")["requests"] if r["route"] == DARTMOUTH_STUDENT]


async def read_each(client: Any, netids: tuple[str, ...] = NETIDS) -> list[Any]:
    """The parallel reads of one GraphQL request."""
    with call_budget():
        return await asyncio.gather(*(client.fetch(dartmouth_routes.GET_STUDENT, path={"netid": n}, ttl=0)
                                      for n in netids), return_exceptions=True)


async def test_parallel_reads_that_open_the_circuit_report_the_outage_they_hit(
        sandbox: SandboxProcess, make_client: MakeClient) -> None:
    client = await make_client("dartmouth", http={"breaker_failures": 5, "breaker_reset_s": 30})
    await client.prepare()
    sandbox.faults("dartmouth", route=DARTMOUTH_STUDENT, outage=True)
    results = await read_each(client)
    assert client.breakers.state == "open"
    assert [(type(r), r.status) for r in results] == [(VendorUnavailable, 503)] * len(NETIDS)
    assert len(calls(sandbox)) == 5  # four reads and one retry, which opened the circuit: no more retries
    # A request that starts while the circuit is open is told so, with the status that opened it.
    later = await read_each(client, ("d59951y",))
    assert [(type(r), r.status) for r in later] == [(CircuitOpen, 503)]
    assert len(calls(sandbox)) == 5


async def test_parallel_failed_reads_retry_one_at_a_time(sandbox: SandboxProcess, make_client: MakeClient) -> None:
    client = await make_client("dartmouth")  # a breaker that never opens here: only the retries are seen
    await client.prepare()
    sandbox.faults("dartmouth", route=DARTMOUTH_STUDENT, outage=True)
    results = await read_each(client)
    assert [(type(r), r.status) for r in results] == [(VendorUnavailable, 503)] * len(NETIDS)
    # Four first tries, then one read's two retries: when its retry failed, the others gave up instead of
    # each retrying twice (4 x 3 = 12 calls).
    assert len(calls(sandbox)) == 4 + 2
    sandbox.reset("dartmouth")
    sandbox.faults("dartmouth", route=DARTMOUTH_STUDENT, fail_next=2, error_status=503)
    results = await read_each(client, NETIDS[:2])
    assert [r["netid"] for r in results] == ["d59951y", "f002qt1"]  # after a retry succeeded, the others retried


async def _probing(sandbox: SandboxProcess, make_client: MakeClient, latency_ms: int = 300,
                   http: dict[str, Any] | None = None, **probe_faults: Any) -> Any:
    """A client whose breaker two failures opened, now half open, with the sandbox answering its probe slowly."""
    client = await make_client("dartmouth", http={"retries": 0, "breaker_failures": 2, "breaker_reset_s": 0.3,
                                                  **(http or {})})
    await client.prepare()
    sandbox.faults("dartmouth", route=DARTMOUTH_STUDENT, outage=True)
    await read_each(client, NETIDS[:2])
    assert client.breakers.state == "open"
    sandbox.reset("dartmouth")
    sandbox.faults("dartmouth", route=DARTMOUTH_STUDENT, latency_ms=latency_ms, **probe_faults)
    await asyncio.sleep(0.35)
    assert client.breakers.state == "half_open"
    return client


async def test_calls_arriving_during_the_probe_wait_for_it_and_go_when_it_succeeds(
        sandbox: SandboxProcess, make_client: MakeClient) -> None:
    client = await _probing(sandbox, make_client)
    results = await read_each(client, ("d59951y", "f002qt1", "d59951y", "f002qt1"))
    assert [r["netid"] for r in results] == ["d59951y", "f002qt1", "d59951y", "f002qt1"]
    assert client.breakers.state == "closed"
    probe, *others = sorted(calls(sandbox), key=lambda r: r["started_at"])
    assert all(r["started_at"] >= probe["started_at"] + 0.25 for r in others)  # only once the probe answered


async def test_calls_arriving_during_a_failing_probe_are_refused_when_it_fails(
        sandbox: SandboxProcess, make_client: MakeClient) -> None:
    client = await _probing(sandbox, make_client, outage=True)
    results = await read_each(client)
    assert (type(results[0]), results[0].status) == (VendorUnavailable, 503)  # the probe saw the outage itself
    assert [(type(r), r.status) for r in results[1:]] == [(CircuitOpen, 503)] * 3
    # The probe reopened the circuit for 0.3 s: they are told a whole second, not "suspended for 0s".
    assert {str(r).split(": ", 1)[1] for r in results[1:]} == {"calls are suspended for 1s after repeated failures"}
    assert len(calls(sandbox)) == 1  # only the probe went out
    assert client.breakers.state == "open"


async def test_a_probe_that_never_answers_holds_the_others_no_longer_than_their_timeout(
        sandbox: SandboxProcess, make_client: MakeClient) -> None:
    client = await _probing(sandbox, make_client, latency_ms=3000, http={"timeout_s": 0.5})
    started = asyncio.get_running_loop().time()
    results = await read_each(client, NETIDS[:3])
    assert asyncio.get_running_loop().time() - started < 1.5
    assert all(isinstance(r, VendorUnavailable) for r in results)
    await asyncio.sleep(2.6)  # let the abandoned request finish at the sandbox before the next test resets it
    assert len(calls(sandbox)) == 1  # (logged when it ends)


async def test_a_cancelled_probe_lets_the_next_call_probe(sandbox: SandboxProcess, make_client: MakeClient) -> None:
    client = await _probing(sandbox, make_client)
    probe = asyncio.ensure_future(client.fetch(dartmouth_routes.GET_STUDENT, path={"netid": "d59951y"}, ttl=0))
    await asyncio.sleep(0.05)
    waiting = asyncio.ensure_future(client.fetch(dartmouth_routes.GET_STUDENT, path={"netid": "f002qt1"}, ttl=0))
    await asyncio.sleep(0.05)
    probe.cancel()
    assert (await waiting)["netid"] == "f002qt1"
    assert client.breakers.state == "closed"
    await asyncio.sleep(0.3)


async def read_in_background(client: Any, netid: str = "d59951y") -> Any:
    """One read as the gateway's own background work (a task poll) makes it."""
    read = client.fetch(dartmouth_routes.GET_STUDENT, path={"netid": netid}, ttl=0)
    task = asyncio.get_running_loop().create_task(read, context=background_context())
    return (await asyncio.gather(task, return_exceptions=True))[0]


async def test_background_failures_do_not_open_the_circuit_and_respect_it_once_open(
        sandbox: SandboxProcess, make_client: MakeClient) -> None:
    client = await make_client("dartmouth", http={"retries": 0, "breaker_failures": 2, "breaker_reset_s": 30})
    await client.prepare()
    sandbox.faults("dartmouth", route=DARTMOUTH_STUDENT, outage=True)
    for _ in range(4):
        assert (type(failed := await read_in_background(client)), failed.status) == (VendorUnavailable, 503)
    assert client.breakers.state == "closed"
    await read_each(client, NETIDS[:2])  # users' own failing reads open it
    assert client.breakers.state == "open"
    sent = len(calls(sandbox))
    assert isinstance(await read_in_background(client), CircuitOpen)  # refused, nothing sent
    assert len(calls(sandbox)) == sent


async def test_a_background_probe_that_fails_leaves_the_next_call_to_probe(
        sandbox: SandboxProcess, make_client: MakeClient) -> None:
    """A background call may probe the half-open circuit, but its failure is no verdict: a user's call that waited
    for it probes itself (and its failure reopens the circuit) rather than being refused on the poll's account."""
    client = await _probing(sandbox, make_client, outage=True)
    background = asyncio.ensure_future(read_in_background(client))
    await asyncio.sleep(0.05)
    (waited,) = await read_each(client, ("f002qt1",))
    assert (type(await background), type(waited), waited.status) == (VendorUnavailable, VendorUnavailable, 503)
    assert len(calls(sandbox)) == 2
    assert client.breakers.state == "open"


async def test_a_background_probe_that_succeeds_closes_the_circuit(sandbox: SandboxProcess,
                                                                   make_client: MakeClient) -> None:
    client = await _probing(sandbox, make_client)
    assert (await read_in_background(client))["netid"] == "d59951y"
    assert client.breakers.state == "closed"


async def test_a_route_failing_alone_opens_its_circuit_and_a_run_over_two_routes_opens_every_one() -> None:
    """The per-route bookkeeping alone (the request path through it: tests/gateway/test_circuits.py)."""
    breakers = CircuitBreakers(failures=3, reset_s=60)
    holds, students, people = (breakers.of(r) for r in ("GET /holds", "GET /students/{id}", "GET /people/{id}"))
    for _ in range(3):
        breakers.failed("GET /holds", 500, Role.CALL)
        breakers.succeeded(students)  # the vendor's other routes answer in between
    assert (holds.state, students.state, people.state) == ("open", "closed", "closed")
    assert breakers.state == "open" and breakers.not_closed() == {"GET /holds": "open"} and not breakers.all_open()

    breakers.failed("GET /students/{id}", None, Role.CALL)
    breakers.failed("GET /holds", 500, Role.CALL)
    assert students.state == "closed"  # two in a row: below the threshold
    breakers.failed("GET /holds", 503, Role.CALL)  # three in a row, over two routes: the vendor is failing
    assert (students.state, people.state) == ("open", "open") and breakers.all_open()
    assert people.last_status == 503


async def test_a_vendor_failing_on_every_route_probes_once_for_all_until_one_answers() -> None:
    """Once a run over two routes has opened them all, the routes share one probe, a failure opens them all again
    from then, and the first answer lets each route probe on its own."""
    breakers = CircuitBreakers(failures=2, reset_s=0.05)
    students, people = breakers.of("GET /students/{id}"), breakers.of("GET /people/{id}")
    breakers.failed("GET /students/{id}", 503, Role.CALL)
    breakers.failed("GET /people/{id}", 503, Role.CALL)
    await asyncio.sleep(0.06)
    assert (students.state, people.state) == ("half_open", "half_open")
    assert await students.admit(1.0) is Role.PROBE
    waiting = asyncio.create_task(people.admit(1.0))  # another route's call waits for the vendor's one probe
    await asyncio.sleep(0.01)
    assert not waiting.done()
    breakers.failed("GET /students/{id}", 503, Role.PROBE)
    assert await waiting is None
    assert (students.state, people.state) == ("open", "open") and breakers.all_open()  # both from the probe's failure
    for _ in range(3):  # more failing probes of one route than the threshold: the vendor is still down
        await asyncio.sleep(0.06)
        assert await students.admit(1.0) is Role.PROBE
        breakers.failed("GET /students/{id}", 503, Role.PROBE)
        assert (students.state, people.state) == ("open", "open")

    await asyncio.sleep(0.06)
    assert await people.admit(1.0) is Role.PROBE
    waiting = asyncio.create_task(students.admit(1.0))
    await asyncio.sleep(0.01)
    breakers.succeeded(people)  # the vendor answers: the circuits the outage opened close, and the waiting call goes
    assert await waiting is Role.CALL
    assert (students.state, people.state) == ("closed", "closed") and breakers.not_closed() == {}


async def test_the_vendor_answering_again_leaves_a_route_its_own_failures_opened_to_probe() -> None:
    breakers = CircuitBreakers(failures=2, reset_s=60)
    holds, students = breakers.of("GET /holds"), breakers.of("GET /students/{id}")
    breakers.failed("GET /holds", 500, Role.CALL)
    breakers.failed("GET /holds", 500, Role.CALL)  # holds broken on its own
    breakers.succeeded(students)
    breakers.failed("GET /students/{id}", 503, Role.CALL)
    breakers.failed("GET /holds", 503, Role.CALL)  # then the vendor fails on both: both open
    assert (holds.state, students.state) == ("open", "open")
    breakers.succeeded(breakers.of("GET /people/{id}"))  # it answers again
    assert (holds.state, students.state) == ("open", "closed")
