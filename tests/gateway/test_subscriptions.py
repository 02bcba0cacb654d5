"""``taskUpdates`` over a real WebSocket speaking graphql-transport-ws: each status change until the task ends."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from schema.node import encode_id
from tests.gateway.test_mutations_assessment import ENROLLMENT, SEED_FAILURE, SET, TASK_ROUTE, dartmouth_patch
from tests.gateway.writes import mutate
from tests.gatewayproc import GatewayProcess, sandbox_env
from tests.sandboxproc import SandboxProcess

UPDATES = """subscription($id: ID!) { taskUpdates(id: $id) { id kind status message resultUrl } }"""


def subscribe(gateway: GatewayProcess, query: str, variables: dict[str, Any], timeout: float = 15.0,
              credentials: dict[str, str] | None = None) -> list[Any]:
    """Every message of one subscription, from the first ``next`` to ``complete`` (or ``error``); the socket
    authenticates in its connection_init payload (every scope unless ``credentials`` say otherwise)."""
    url = gateway.url.replace("http://", "ws://") + "/graphql"
    with connect(url, subprotocols=["graphql-transport-ws"], open_timeout=5) as ws:  # type: ignore[list-item]
        payload = gateway.bearer() if credentials is None else credentials
        ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        assert json.loads(ws.recv(timeout=5))["type"] == "connection_ack"
        ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query, "variables": variables}}))
        messages = []
        while True:
            message = json.loads(ws.recv(timeout=timeout))
            if message["type"] == "ping":
                ws.send(json.dumps({"type": "pong"}))
                continue
            messages.append(message)
            if message["type"] in ("complete", "error"):
                return messages


def statuses(messages: list[Any]) -> list[str]:
    return [m["payload"]["data"]["taskUpdates"]["status"] for m in messages if m["type"] == "next"]


def test_a_course_assessment_streams_from_pending_to_complete(gateway: GatewayProcess,
                                                              sandbox: SandboxProcess) -> None:
    task = mutate(gateway, SET, {"e": ENROLLMENT, "s": "2020-03-05T17:53:46Z"})["task"]
    messages = subscribe(gateway, UPDATES, {"id": task["id"]})
    assert statuses(messages) == ["PENDING", "COMPLETE"]
    assert messages[-1] == {"id": "1", "type": "complete"}
    last = messages[-2]["payload"]["data"]["taskUpdates"]
    assert last["message"] == "Enrollment updated successfully." and last["id"] == task["id"]


def test_a_finished_task_streams_once_and_ends(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    task = mutate(gateway, SET, {"e": ENROLLMENT, "w": True})["task"]
    assert task["status"] == "COMPLETE"
    sandbox.reset("dartmouth")
    assert statuses(subscribe(gateway, UPDATES, {"id": task["id"]})) == ["COMPLETE"]
    assert sandbox.requests("dartmouth")["by_route"].get("GET /api/tasks/{id}") is None  # answered from the store


def test_a_failed_task_streams_its_message(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    vendor_id = dartmouth_patch(sandbox, {"course_assessment": {"submit_date": "2020-03-05T17:53:46Z",
                                                                "opt_out_date": "2020-03-06T10:00:00Z"}})
    messages = subscribe(gateway, UPDATES, {"id": encode_id("Task", f"course_assessment:{vendor_id}")})
    assert statuses(messages) == ["PENDING", "FAILED"]
    assert messages[-2]["payload"]["data"]["taskUpdates"]["message"] == SEED_FAILURE


@pytest.fixture
def fast_poll_gateway(sandbox: SandboxProcess) -> Iterator[GatewayProcess]:
    """A gateway polling tasks every 0.1 s."""
    proc = GatewayProcess(sandbox_env(sandbox, task_poll_s=0.1)).start()
    yield proc
    proc.stop()


def updates_healed_after(delay_s: float, gateway: GatewayProcess, sandbox: SandboxProcess, task_id: str,
                         timeout: float) -> list[dict[str, Any]]:
    """The task's taskUpdates messages, the faults on Dartmouth's task route cleared ``delay_s`` after subscribing."""
    heal = threading.Timer(delay_s, lambda: sandbox.faults("dartmouth", route=TASK_ROUTE, error_rate=0, outage=False))
    heal.start()
    try:
        return subscribe(gateway, UPDATES, {"id": task_id}, timeout=timeout)
    finally:
        heal.cancel()


@pytest.mark.parametrize(("fault", "code", "status"), [
    ({"error_rate": 1.0, "error_status": 503}, "VENDOR_UNAVAILABLE", 503),
    ({"outage": True}, "VENDOR_UNAVAILABLE", 503),
])
def test_a_subscriber_is_told_when_the_task_cannot_be_read_and_still_gets_its_end(
        fast_poll_gateway: GatewayProcess, sandbox: SandboxProcess, fault: dict[str, Any], code: str,
        status: int) -> None:
    """While Dartmouth fails every read of the task, the subscriber is sent the task as last known and the
    failure (coded as a query's error, once, not once per poll), rather than silence; when Dartmouth answers
    again, the task's end follows and the stream completes."""
    sandbox.faults("dartmouth", route=TASK_ROUTE, **fault)
    task = mutate(fast_poll_gateway, SET, {"e": ENROLLMENT, "s": "2020-03-05T17:53:46Z"})["task"]
    messages = updates_healed_after(2.5, fast_poll_gateway, sandbox, task["id"], timeout=10)
    assert [m["type"] for m in messages] == ["next", "next", "next", "complete"], messages
    first, told, last = (m["payload"] for m in messages[:3])
    assert first["data"]["taskUpdates"]["status"] == "PENDING" and "errors" not in first
    assert told["data"] is None
    (error,) = told["errors"]
    assert error["path"] == ["taskUpdates"]
    assert (error["extensions"]["code"], error["extensions"]["vendor"], error["extensions"]["status"]) == (
        code, "dartmouth", status)
    assert error["extensions"]["requestId"] and sandbox.url("dartmouth") not in str(error)
    assert last["data"]["taskUpdates"]["status"] == "COMPLETE" and "errors" not in last


STUDENT = """{ student(netid: "f002qt1") { firstName holds { code } } vendors { vendor circuit } }"""
STUDENT_AND_HOLD_TYPES = """{ student(netid: "f002qt1") { firstName } holdTypes { id }
    vendors { vendor circuit openCircuits } }"""


def task_polls(sandbox: SandboxProcess) -> int:
    return int(sandbox.requests("dartmouth")["by_route"].get(TASK_ROUTE, 0))


def wait_for_task_polls(sandbox: SandboxProcess, count: int) -> None:
    deadline = time.monotonic() + 10
    while task_polls(sandbox) < count:
        assert time.monotonic() < deadline, f"only {task_polls(sandbox)} polls of the task"
        time.sleep(0.1)


def dartmouth_circuit(result: dict[str, Any]) -> str:
    return next(v["circuit"] for v in result["data"]["vendors"] if v["vendor"] == "DARTMOUTH")


def test_failing_task_polls_do_not_suspend_dartmouth_for_users(tripping_gateway: GatewayProcess,
                                                               sandbox: SandboxProcess) -> None:
    """Only Dartmouth's task route fails: the gateway's own polls of it fail again and again, yet a user's query of
    Dartmouth routes that work is answered, and the subscriber hears the task's end at the first poll after the
    route heals. Before, the polls opened Dartmouth's circuit: the query got VENDOR_CIRCUIT_OPEN although every
    route it used worked, and the task's end waited for the circuit to reset."""
    sandbox.faults("dartmouth", route=TASK_ROUTE, error_rate=1.0, error_status=503)
    task = mutate(tripping_gateway, SET, {"e": ENROLLMENT, "s": "2020-03-05T17:53:46Z"})["task"]
    wait_for_task_polls(sandbox, 5)  # as many consecutive failures as open the circuit
    time.sleep(1)  # and more polls fail meanwhile
    result = tripping_gateway.query(STUDENT)
    assert "errors" not in result, result["errors"]
    assert result["data"]["student"]["firstName"] and dartmouth_circuit(result) == "closed"
    messages = updates_healed_after(0.5, tripping_gateway, sandbox, task["id"], timeout=5)
    assert [m["type"] for m in messages] == ["next", "next", "next", "complete"], messages
    assert messages[1]["payload"]["errors"][0]["extensions"]["code"] == "VENDOR_UNAVAILABLE"  # still told
    assert messages[2]["payload"]["data"]["taskUpdates"]["status"] == "COMPLETE"


def test_task_polls_wait_while_users_calls_hold_the_circuit_open(tripping_gateway: GatewayProcess,
                                                                 sandbox: SandboxProcess) -> None:
    """A real outage still opens the circuit (users' own failing reads, of two routes: the vendor failing, not one
    endpoint), every route's at once, and then the task's polls respect it: nothing more is sent to Dartmouth's task
    route until it resets."""
    sandbox.faults("dartmouth", route=TASK_ROUTE, error_rate=1.0, error_status=503)
    mutate(tripping_gateway, SET, {"e": ENROLLMENT, "s": "2020-03-05T17:53:46Z"})
    wait_for_task_polls(sandbox, 2)
    sandbox.faults("dartmouth", outage=True)
    for _ in range(3):
        result = tripping_gateway.query(STUDENT_AND_HOLD_TYPES)
    assert dartmouth_circuit(result) == "open"
    assert result["errors"][0]["extensions"]["code"] == "VENDOR_CIRCUIT_OPEN"
    dartmouth = next(v for v in result["data"]["vendors"] if v["vendor"] == "DARTMOUTH")
    assert TASK_ROUTE in dartmouth["openCircuits"], dartmouth
    polls = task_polls(sandbox)
    time.sleep(1.5)  # several poll intervals
    assert task_polls(sandbox) == polls


@pytest.fixture(scope="module")
def giving_up_gateway(sandbox_process: SandboxProcess) -> Iterator[GatewayProcess]:
    """A gateway that follows a task for 0.4 s at most, polling every 0.1 s: less than the sandbox's exports take
    (1.5 s, tests/conftest.py)."""
    proc = GatewayProcess(sandbox_env(sandbox_process, task_follow_s=0.4, task_poll_s=0.1)).start()
    yield proc
    proc.stop()


def test_a_follower_that_gives_up_ends_the_stream_saying_so(giving_up_gateway: GatewayProcess,
                                                             sandbox: SandboxProcess) -> None:
    """A task whose reads fail until the gateway stops following it ends its stream with an error saying so (the
    vendor's failure, coded), not a bare `complete` a client would take for the task's end."""
    sandbox.faults("dartmouth", route=TASK_ROUTE, outage=True)
    vendor_id = dartmouth_patch(sandbox, {"course_assessment": {"submit_date": "2020-03-05T17:53:46Z",
                                                                "opt_out_date": None}})
    messages = subscribe(giving_up_gateway, UPDATES, {"id": encode_id("Task", f"course_assessment:{vendor_id}")})
    assert [m["type"] for m in messages] == ["next", "next", "complete"], messages
    told, last = (m["payload"] for m in messages[:2])
    assert told["data"] is None and told["errors"][0]["extensions"]["code"] == "VENDOR_UNAVAILABLE"
    (error,) = last["errors"]
    assert (error["extensions"]["code"], error["extensions"]["vendor"], error["extensions"]["status"]) == (
        "VENDOR_UNAVAILABLE", "dartmouth", 503)
    assert "the gateway stopped following the task" in error["message"], error


def test_a_follower_that_gives_up_on_a_task_still_running_says_so_and_the_task_still_ends(
        giving_up_gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """Nothing failing, the task simply outlasts the follower: the stream's last word is TASK_NOT_FOLLOWED with
    the task's last known status, and ``task(id:)`` asked later reads the vendor again and finds it ended."""
    payload = mutate(giving_up_gateway, """mutation { startExport(dataType: "user_groups") { task { id } } }""")
    messages = subscribe(giving_up_gateway, UPDATES, {"id": payload["task"]["id"]})
    assert [m["type"] for m in messages][-2:] == ["next", "complete"], messages
    assert set(statuses(messages[:-2])) <= {"PENDING", "RUNNING"} and statuses(messages[:-2])
    (error,) = messages[-2]["payload"]["errors"]
    assert error["extensions"]["code"] == "TASK_NOT_FOLLOWED" and "vendor" not in error["extensions"], error
    last_known = statuses(messages[:-2])[-1]
    assert error["message"] == (f"the gateway stopped following the task after 0.4 s (last known {last_known}): "
                                "ask task(id:) later")
    deadline = time.monotonic() + 10
    while (task := giving_up_gateway.query("query($id: ID!) { task(id: $id) { status resultUrl } }",
                                           {"id": payload["task"]["id"]})["data"]["task"])["status"] != "COMPLETE":
        assert time.monotonic() < deadline, task
        time.sleep(0.2)
    assert "/_files/user_groups-" in task["resultUrl"]


def test_an_export_streams_pending_running_complete(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    payload = mutate(gateway, """mutation { startExport(dataType: "user_groups") { success task { id status } } }""")
    messages = subscribe(gateway, UPDATES, {"id": payload["task"]["id"]})
    assert statuses(messages) == ["PENDING", "RUNNING", "COMPLETE"]
    assert "/_files/user_groups-" in messages[-2]["payload"]["data"]["taskUpdates"]["resultUrl"]


def test_unknown_and_malformed_task_ids(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    unknown = subscribe(gateway, UPDATES, {"id": encode_id("Task", "course_assessment:" + "0" * 24)})
    assert unknown[0]["type"] == "next" and unknown[0]["payload"]["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    malformed = subscribe(gateway, UPDATES, {"id": "not-an-id"})
    errors = malformed[0]["payload"] if malformed[0]["type"] == "error" else malformed[0]["payload"]["errors"]
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_a_socket_authenticates_once_or_is_refused(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    task = mutate(gateway, SET, {"e": ENROLLMENT, "w": True})["task"]
    url = gateway.url.replace("http://", "ws://") + "/graphql"
    with connect(url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=5)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403
    # The handshake's own headers do too (clients that can set them), and the scope still decides.
    with connect(url, subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
                 additional_headers=gateway.bearer(["students:read"])) as ws:
        ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(ws.recv(timeout=5))["type"] == "connection_ack"
        ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": UPDATES,
                                                                         "variables": {"id": task["id"]}}}))
        refused = json.loads(ws.recv(timeout=5))
    errors = refused["payload"] if refused["type"] == "error" else refused["payload"]["errors"]
    assert errors[0]["extensions"]["code"] == "FORBIDDEN" and errors[0]["extensions"]["scope"] == "enrollments:write"


@pytest.mark.parametrize("message", ["[" * 100_000, "[" * 2000 + "]" * 2000,
                                     '{"type": "ping", "payload": ' + "[" * 2000 + "]" * 2000 + "}"],
                         ids=["unclosed-deep", "closed-deep", "deep-payload"])
def test_a_message_nested_past_the_parsers_closes_the_socket_as_invalid(gateway: GatewayProcess,
                                                                        message: str) -> None:
    """graphql-transport-ws closes a socket whose message is not JSON with 4400: one nested deeper than the parsers
    go is not JSON they can read (it was a RecursionError, a traceback in the log and a socket dropped unclosed)."""
    url = gateway.url.replace("http://", "ws://") + "/graphql"
    logged = len(gateway.logs())
    with connect(url, subprotocols=["graphql-transport-ws"], max_size=None) as ws:  # type: ignore[list-item]
        ws.send(json.dumps({"type": "connection_init", "payload": gateway.bearer()}))
        assert json.loads(ws.recv(timeout=5))["type"] == "connection_ack"
        ws.send(message)
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=5)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4400, closed.value
    assert "Traceback" not in gateway.logs()[logged:]


def test_the_legacy_protocol_skips_a_message_nested_past_the_parsers(gateway: GatewayProcess) -> None:
    """graphql-ws (the older protocol) ignores a message that is not JSON, and so one nested too deeply."""
    url = gateway.url.replace("http://", "ws://") + "/graphql"
    logged = len(gateway.logs())
    with connect(url, subprotocols=["graphql-ws"], max_size=None) as ws:  # type: ignore[list-item]
        ws.send("[" * 100_000)
        ws.send(json.dumps({"type": "connection_init", "payload": gateway.bearer()}))
        assert json.loads(ws.recv(timeout=5))["type"] == "connection_ack"
    assert "Traceback" not in gateway.logs()[logged:]


def test_the_legacy_protocol_says_why_a_socket_is_refused(gateway: GatewayProcess) -> None:
    """graphql-ws (the older protocol) carries a refusal's payload: coded, with a request id like every error."""
    url = gateway.url.replace("http://", "ws://") + "/graphql"
    with connect(url, subprotocols=["graphql-ws"]) as ws:  # type: ignore[list-item]
        ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": "Bearer not-a-token"}}))
        refused = json.loads(ws.recv(timeout=5))
    assert refused["type"] == "connection_error" and refused["payload"]["code"] == "UNAUTHENTICATED"
    assert refused["payload"]["requestId"]


PEOPLE_ROUTE = "GET /api/people/{netid}"
FIRST_NAME = "query($n: String!) { student(netid: $n) { firstName } }"


def operation(ws: Any, op_id: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    """One query over an open graphql-transport-ws socket: its result (the ``next`` message's payload)."""
    ws.send(json.dumps({"id": op_id, "type": "subscribe", "payload": {"query": query, "variables": variables}}))
    result: dict[str, Any] = {}
    while True:
        message = json.loads(ws.recv(timeout=30))
        if message["type"] == "ping":
            ws.send(json.dumps({"type": "pong"}))
        elif message["type"] == "next":
            result = message["payload"]
        elif message["type"] in ("complete", "error"):
            assert message["type"] == "complete", message
            return result


def listed_netid(gateway: GatewayProcess, in_hubmis: bool) -> str:
    found = gateway.query("{ students(first: 25) { edges { node { netid hubmisId } } } }")
    return next(e["node"]["netid"] for e in found["data"]["students"]["edges"]
                if (e["node"]["hubmisId"] is not None) == in_hubmis)


def test_each_query_over_a_socket_is_a_request_of_its_own(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """graphql-transport-ws runs queries too: each operation gets fresh loaders, its own call budget and request id,
    as an HTTP request does. They shared the connection's: a person whose read failed in one operation was the next
    one's answer too, the failure again without a call, long after Dartmouth had healed."""
    netid = listed_netid(gateway, in_hubmis=False)  # firstName: Dartmouth people, with no HUBmis to fall back on
    url = gateway.url.replace("http://", "ws://") + "/graphql"
    with connect(url, subprotocols=["graphql-transport-ws"], open_timeout=5) as ws:  # type: ignore[list-item]
        ws.send(json.dumps({"type": "connection_init", "payload": gateway.bearer()}))
        assert json.loads(ws.recv(timeout=5))["type"] == "connection_ack"
        sandbox.faults("dartmouth", route=PEOPLE_ROUTE, outage=True)
        failed = operation(ws, "1", FIRST_NAME, {"n": netid})
        sandbox.faults("dartmouth", route=PEOPLE_ROUTE, outage=False)
        read_before = sandbox.requests("dartmouth")["by_route"].get(PEOPLE_ROUTE, 0)
        healed = operation(ws, "2", FIRST_NAME, {"n": netid})
        read = sandbox.requests("dartmouth")["by_route"].get(PEOPLE_ROUTE, 0) - read_before
    assert failed["data"]["student"]["firstName"] is None
    assert [e["extensions"]["code"] for e in failed["errors"]] == ["VENDOR_UNAVAILABLE"]
    assert "errors" not in healed, healed["errors"]
    assert healed["data"]["student"]["firstName"] and read == 1


def test_a_query_over_a_socket_reports_the_vendor_it_passed_over(gateway: GatewayProcess,
                                                                 sandbox: SandboxProcess) -> None:
    """A field answered by the next vendor in its order carries the failed vendor's error over the socket too, as
    over HTTP: it was left out (added once the answer had gone), so the value seemed to be Dartmouth's own."""
    netid = listed_netid(gateway, in_hubmis=True)  # firstName: Dartmouth people, then HUBmis
    url = gateway.url.replace("http://", "ws://") + "/graphql"
    sandbox.faults("dartmouth", route=PEOPLE_ROUTE, outage=True)
    with connect(url, subprotocols=["graphql-transport-ws"], open_timeout=5) as ws:  # type: ignore[list-item]
        ws.send(json.dumps({"type": "connection_init", "payload": gateway.bearer()}))
        assert json.loads(ws.recv(timeout=5))["type"] == "connection_ack"
        result = operation(ws, "1", FIRST_NAME, {"n": netid})
    assert result["data"]["student"]["firstName"]  # HUBmis' answer
    assert [(e["path"], e["extensions"]["code"]) for e in result.get("errors", [])] == [
        (["student", "firstName"], "VENDOR_UNAVAILABLE")], result


def test_a_query_sent_over_the_legacy_protocol_is_refused_with_a_code(gateway: GatewayProcess) -> None:
    """graphql-ws (the older protocol, Apollo's old WebSocketLink) runs subscriptions only: a query sent over it was
    answered INTERNAL_ERROR, "Unexpected error.", and logged as a failure with its traceback."""
    url = gateway.url.replace("http://", "ws://") + "/graphql"
    logged = len(gateway.logs())
    with connect(url, subprotocols=["graphql-ws"]) as ws:  # type: ignore[list-item]
        ws.send(json.dumps({"type": "connection_init", "payload": gateway.bearer()}))
        assert json.loads(ws.recv(timeout=5))["type"] == "connection_ack"
        ws.send(json.dumps({"id": "1", "type": "start", "payload": {"query": "{ __typename }"}}))
        answer = json.loads(ws.recv(timeout=5))
    assert answer["type"] == "error" and answer["payload"]["extensions"]["code"] == "BAD_REQUEST", answer
    assert "graphql-transport-ws" in answer["payload"]["message"]
    assert "Traceback" not in gateway.logs()[logged:]
