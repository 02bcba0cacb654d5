"""Requests GraphQL cannot run as sent (a syntax error, no operation to pick, no query at all) are answered as
GraphQL errors like any other: JSON, with a code and the request id, and nothing executed."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import httpx
import pytest

from tests.gatewayproc import GatewayProcess
from tests.sandboxproc import SandboxProcess


def vendor_calls(sandbox: SandboxProcess) -> int:
    return sum(sandbox.requests(v)["total"] for v in ("stellic", "hubmis", "dartmouth"))


def send(gateway: GatewayProcess, body: Any, status: int, method: str = "POST") -> dict[str, Any]:
    """The JSON answer, whose status must be ``status``; its single error carries the response's request id."""
    url, headers = f"{gateway.url}/graphql", gateway.bearer()
    if method == "GET":
        response = httpx.get(url, params=body, headers=headers, timeout=30)
    elif isinstance(body, bytes):
        response = httpx.post(url, content=body, headers={**headers, "content-type": "application/json"}, timeout=30)
    else:
        response = httpx.post(url, json=body, headers=headers, timeout=30)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json"), response.text
    result: dict[str, Any] = response.json()
    assert result.get("data") is None and len(result["errors"]) == 1, result
    assert result["errors"][0]["extensions"]["requestId"] == response.headers["x-request-id"]
    return result


@pytest.mark.parametrize(("query", "where"), [
    ('{ student(netid: "d59951y") { netid ', (1, 37)),
    ("{ student(netid: ) {netid} }", (1, 18)),
    ("query { ??? }", (1, 9)),
])
def test_a_syntax_error_is_coded_with_its_location(gateway: GatewayProcess, sandbox: SandboxProcess, query: str,
                                                   where: tuple[int, int]) -> None:
    error = send(gateway, {"query": query}, 200)["errors"][0]
    assert error["message"].startswith("Syntax Error: "), error
    assert error["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    assert [(loc["line"], loc["column"]) for loc in error["locations"]] == [where]
    assert vendor_calls(sandbox) == 0


TWO_OPERATIONS = 'query A { student(netid: "d59951y") { netid } } query B { holdTypes { id } }'


def test_several_operations_without_an_operation_name_run_none(gateway: GatewayProcess,
                                                               sandbox: SandboxProcess) -> None:
    error = send(gateway, {"query": TWO_OPERATIONS}, 400)["errors"][0]
    assert error["extensions"]["code"] == "OPERATION_RESOLUTION_FAILURE"
    assert error["message"] == "Must provide operation name if query contains multiple operations."
    assert vendor_calls(sandbox) == 0
    named = httpx.post(f"{gateway.url}/graphql", json={"query": TWO_OPERATIONS, "operationName": "A"},
                       headers=gateway.bearer(), timeout=30).json()
    assert named == {"data": {"student": {"netid": "d59951y"}}}


def test_an_unknown_operation_name_or_no_operation_at_all(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    unknown = send(gateway, {"query": TWO_OPERATIONS, "operationName": "C"}, 400)["errors"][0]
    assert unknown["extensions"]["code"] == "OPERATION_RESOLUTION_FAILURE"
    assert unknown["message"] == "Unknown operation named 'C'."
    fragments_only = send(gateway, {"query": "fragment F on Query { vendors { vendor } }"}, 400)["errors"][0]
    assert fragments_only["extensions"]["code"] == "OPERATION_RESOLUTION_FAILURE"
    assert fragments_only["message"] == "Must provide an operation."
    assert vendor_calls(sandbox) == 0


@pytest.mark.parametrize("body", [{"query": ""}, {"variables": {}}, {"query": None}])
def test_a_request_without_a_query_is_a_bad_request(gateway: GatewayProcess, body: dict[str, Any]) -> None:
    error = send(gateway, body, 400)["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert error["message"] == "No GraphQL query found in the request"


APQ = {"persistedQuery": {"version": 1,  # sha256 of "{ __typename }"
                          "sha256Hash": "7f56e67dd21ab3f30d1ff8b7bed08893f0a0db86449836189b361dd1e56ddb4b"}}


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_an_automatic_persisted_query_is_told_it_is_not_supported(gateway: GatewayProcess, sandbox: SandboxProcess,
                                                                  method: str) -> None:
    """Apollo Client's and urql's persisted-query links send a query's hash alone first, and send its text only when
    told PersistedQueryNotFound or PersistedQueryNotSupported: a POST was a BAD_REQUEST, which they report to the
    application as the query's failure, and a GET (Accept: */*, as fetch sends it) was answered with the GraphiQL
    page, which they cannot read at all."""
    body = {"extensions": APQ} if method == "POST" else {"extensions": json.dumps(APQ)}
    error = send(gateway, body, 200, method=method)["errors"][0]
    assert error["message"] == "PersistedQueryNotSupported"  # urql compares the message, Apollo either
    assert error["extensions"]["code"] == "PERSISTED_QUERY_NOT_SUPPORTED"
    assert vendor_calls(sandbox) == 0
    retried = httpx.post(f"{gateway.url}/graphql", headers=gateway.bearer(), timeout=30,
                         json={"query": "{ __typename }", "extensions": APQ})  # the text, with its hash
    assert retried.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_a_text_sent_under_another_texts_hash_is_refused(gateway: GatewayProcess, sandbox: SandboxProcess,
                                                         method: str) -> None:
    """The hash sent beside a text was not looked at: a client whose hash cache had gone wrong ran one operation
    under another's hash, where Apollo Server (and Apollo Client's link, which reads its message) refuse it."""
    text = "{ vendors { vendor } }"  # APQ's hash is that of "{ __typename }"
    body = {"query": text, "extensions": APQ if method == "POST" else json.dumps(APQ)}
    error = send(gateway, body, 400, method=method)["errors"][0]
    assert (error["message"], error["extensions"]["code"]) == ("provided sha does not match query", "BAD_REQUEST")
    assert vendor_calls(sandbox) == 0
    own = {"persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(text.encode()).hexdigest()}}
    matching = {"query": text, "extensions": own if method == "POST" else json.dumps(own)}
    url, headers = f"{gateway.url}/graphql", gateway.bearer()
    answer = (httpx.post(url, json=matching, headers=headers, timeout=30) if method == "POST"
              else httpx.get(url, params=matching, headers=headers, timeout=30))
    assert answer.status_code == 200 and answer.json()["data"]["vendors"], answer.text


def test_a_body_that_is_not_json_and_a_mutation_sent_with_get_are_bad_requests(gateway: GatewayProcess,
                                                                               sandbox: SandboxProcess) -> None:
    """A mutation sent with GET is a 405 naming POST, as the GraphQL-over-HTTP spec has it (it was a 400)."""
    broken = send(gateway, b'{"query": "{ vendors { vendor } }"', 400)["errors"][0]
    assert broken["extensions"]["code"] == "BAD_REQUEST"
    mutation = 'mutation { releaseHold(sisId: "x") { success } }'
    by_get = send(gateway, {"query": mutation}, 405, method="GET")["errors"][0]
    assert by_get["extensions"]["code"] == "BAD_REQUEST"
    assert by_get["message"] == "mutations are not allowed when using GET"
    allowed = httpx.get(f"{gateway.url}/graphql", params={"query": mutation}, headers=gateway.bearer(), timeout=30)
    assert allowed.headers["allow"] == "POST"
    subscription = send(gateway, {"query": "subscription { taskUpdates(id: \"x\") { status } }"}, 400)["errors"][0]
    assert subscription["message"] == "subscriptions are not allowed when using POST"  # POST is right; HTTP is not
    assert vendor_calls(sandbox) == 0


@pytest.mark.parametrize(("name", "raw", "reason"), [
    ("variables", "{not json", "the variables parameter is not valid JSON"),
    ("variables", "[1, 2]", "the variables parameter must be a JSON object"),
    ("extensions", '"text"', "the extensions parameter must be a JSON object"),
])
def test_get_parameters_that_are_not_json_objects_are_named(gateway: GatewayProcess, sandbox: SandboxProcess,
                                                            name: str, raw: str, reason: str) -> None:
    """A GET has no body: its refusal names the query parameter at fault."""
    error = send(gateway, {"query": "{ vendors { vendor } }", name: raw}, 400, method="GET")["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST" and error["message"] == reason, error


def test_get_variables_are_used(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    response = httpx.get(f"{gateway.url}/graphql", headers=gateway.bearer(), timeout=30, params={
        "query": "query($n: String!) { student(netid: $n) { netid } }", "variables": '{"n": "d59951y"}'})
    assert response.json() == {"data": {"student": {"netid": "d59951y"}}}


def test_a_subscription_sent_over_http_is_a_bad_request(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """Subscriptions are served over the WebSocket only: over plain HTTP one is refused, not run as a query
    whose stream cannot be returned (an INTERNAL_ERROR)."""
    subscription = 'subscription { taskUpdates(id: "VGFzazpjb3Vyc2VfYXNzZXNzbWVudDp4eHh4") { status } }'
    for method in ("POST", "GET"):
        error = send(gateway, {"query": subscription}, 400, method=method)["errors"][0]
        assert error["extensions"]["code"] == "BAD_REQUEST", error
        assert error["message"] == f"subscriptions are not allowed when using {method}"
    assert "unexpected error" not in gateway.logs()
    assert vendor_calls(sandbox) == 0


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_a_method_other_than_get_or_post_is_refused_as_json_with_a_code(gateway: GatewayProcess,
                                                                        sandbox: SandboxProcess, method: str) -> None:
    response = httpx.request(method, f"{gateway.url}/graphql", json={"query": "{ vendors { vendor } }"},
                             headers=gateway.bearer(), timeout=30)
    assert response.status_code == 405 and response.headers["allow"] == "GET, POST", response.text
    assert response.headers["content-type"].startswith("application/json"), response.text
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "BAD_REQUEST", "requestId": response.headers["x-request-id"]}
    assert vendor_calls(sandbox) == 0


def test_a_refusal_at_the_door_carries_the_request_id_too(gateway: GatewayProcess) -> None:
    response = httpx.post(f"{gateway.url}/graphql", json={"query": "{ vendors { vendor } }"}, timeout=30)
    assert response.status_code == 401
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "UNAUTHENTICATED", "requestId": response.headers["x-request-id"]}


def test_an_empty_batch_is_a_bad_request(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """`[]` was answered `[]` with a 200: a batch of nothing is a request with no query."""
    error = send(gateway, b"[]", 400)["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert error["message"] == "an empty batch: send at least one operation"
    assert vendor_calls(sandbox) == 0


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "text/plain", "TEXT/Plain", None])
def test_a_body_not_sent_as_json_is_told_to_be(gateway: GatewayProcess, sandbox: SandboxProcess,
                                               content_type: str | None) -> None:
    """`curl -d '{"query": …}'` without `-H 'content-type: application/json'` sends a form: the answer names
    the content type that came and the one to send, not only "Unsupported content type"."""
    headers = {**gateway.bearer(), **({"content-type": content_type} if content_type else {})}
    response = httpx.post(f"{gateway.url}/graphql", content=b'{"query": "{ vendors { vendor } }"}', headers=headers,
                          timeout=30)
    assert response.status_code == 400, response.text
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "BAD_REQUEST", "requestId": response.headers["x-request-id"]}
    assert error["message"] == (f"unsupported content type ({content_type or 'none'}): send the request as JSON, "
                                "with Content-Type: application/json")
    assert vendor_calls(sandbox) == 0


@pytest.mark.parametrize("content_type", ["APPLICATION/JSON", "Application/Json; charset=UTF-8",
                                          "application/json; charset=utf-8", "application/JSON;charset=utf-8"])
def test_the_json_media_type_is_read_in_any_case(gateway: GatewayProcess, content_type: str) -> None:
    """Media types are case-insensitive (RFC 9110): `APPLICATION/JSON` was refused as an unsupported content type."""
    response = httpx.post(f"{gateway.url}/graphql", content=b'{"query": "{ vendors { vendor } }"}', timeout=30,
                          headers={**gateway.bearer(), "content-type": content_type})
    assert response.status_code == 200, response.text
    assert response.json()["data"]["vendors"], response.text


QUERY = "{ vendors { vendor } }"


@pytest.mark.parametrize(("body", "reason"), [
    ({"query": QUERY, "operationName": 5}, "The GraphQL operation's `operationName` must be a string or null, if "
                                           "provided."),
    ({"query": QUERY, "operationName": ["A"]}, "The GraphQL operation's `operationName` must be a string or null, "
                                               "if provided."),
    ({"query": 5}, "The GraphQL operation's `query` must be a string or null, if provided."),
    ({"query": [QUERY]}, "The GraphQL operation's `query` must be a string or null, if provided."),
    ({"query": QUERY, "variables": [1]}, "The GraphQL operation's `variables` must be an object or null, if "
                                         "provided."),
    ({"query": QUERY, "extensions": "x"}, "The GraphQL operation's `extensions` must be an object or null, if "
                                          "provided."),
])
def test_request_fields_of_the_wrong_type_are_named(gateway: GatewayProcess, sandbox: SandboxProcess,
                                                    body: dict[str, Any], reason: str) -> None:
    """`"operationName": 5` was looked for as an operation named '5' (OPERATION_RESOLUTION_FAILURE); in a batch, a
    `query` or `variables` of the wrong type was an uncoded error naming a Python type, and `extensions` of the
    wrong type were ignored. Each is refused naming the field, alone or in a batch."""
    for sent in (body, [{"query": QUERY}, body]):
        error = send(gateway, json.dumps(sent).encode(), 400)["errors"][0]
        assert error["extensions"]["code"] == "BAD_REQUEST", (sent, error)
        assert error["message"] == reason, (sent, error)
    assert vendor_calls(sandbox) == 0


def test_an_operation_name_that_is_null_empty_or_left_out_is_no_name(gateway: GatewayProcess) -> None:
    """Some clients send `"operationName": ""` (and a GET form `?operationName=`) for a document's one operation."""
    for body in ({"query": QUERY, "operationName": None}, {"query": QUERY}, {"query": QUERY, "operationName": ""}):
        answer = httpx.post(f"{gateway.url}/graphql", json=body, headers=gateway.bearer(), timeout=30)
        assert answer.status_code == 200 and answer.json()["data"]["vendors"], answer.text
    for params in ({"query": QUERY}, {"query": QUERY, "operationName": ""}):
        by_get = httpx.get(f"{gateway.url}/graphql", params=params, headers=gateway.bearer(), timeout=30)
        assert by_get.status_code == 200 and by_get.json()["data"]["vendors"], by_get.text


def test_a_batch_of_automatic_persisted_queries_is_answered_operation_by_operation(gateway: GatewayProcess,
                                                                                  sandbox: SandboxProcess) -> None:
    """Apollo's persisted-query link in front of its BatchHttpLink sends a batch of hashes: the answer was one
    PersistedQueryNotSupported object, not an array, which the batch link cannot match to its operations (it
    failed them all) and the persisted-query link never saw to send the texts. An operation sent with its text in
    the same batch runs."""
    response = httpx.post(f"{gateway.url}/graphql", headers=gateway.bearer(), timeout=30,
                          json=[{"extensions": APQ}, {"query": "{ __typename }"}, {"extensions": APQ}])
    assert response.status_code == 200, response.text
    hashed, ran, hashed_again = response.json()
    assert ran == {"data": {"__typename": "Query"}}
    for answer in (hashed, hashed_again):
        assert "data" not in answer and answer["errors"] == [{"message": "PersistedQueryNotSupported", "extensions": {
            "code": "PERSISTED_QUERY_NOT_SUPPORTED", "requestId": response.headers["x-request-id"]}}]
    assert vendor_calls(sandbox) == 0
