"""``taskUpdates`` over a real WebSocket speaking graphql-transport-ws: each status change until the task ends."""

from __future__ import annotations

import json
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from schema.node import encode_id
from tests.gateway.test_mutations_assessment import ENROLLMENT, SEED_FAILURE, SET, dartmouth_patch
from tests.gateway.writes import mutate
from tests.gatewayproc import GatewayProcess
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
