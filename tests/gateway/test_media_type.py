"""GraphQL over HTTP's media type: ``application/graphql-response+json`` when the client's Accept prefers it, with a
4xx for a request refused before execution, and ``application/json`` (every answer a 200 but the guard's) otherwise.
Either way a refused request's answer has no ``data``: nothing ran."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from gateway.security.guard import response_media_type
from tests.gatewayproc import GatewayProcess, sandbox_env
from tests.sandboxproc import SandboxProcess

GRAPHQL_RESPONSE = "application/graphql-response+json"
PREFERS = {"Accept": f"{GRAPHQL_RESPONSE}, application/json;q=0.9"}  # what the spec tells clients to send
LEGACY = {"Accept": "application/json"}
STUDENT = '{ student(netid: "d59951y") { netid } }'
BY_VARIABLE = "query ($n: String!) { student(netid: $n) { netid } }"
COSTLY = "{ students(first: 50) { edges { node { netid firstName lastName email } } } }"

# What each kind of refusal is sent as, its code, and its status in each media type (application/json's as before).
REFUSALS: dict[str, tuple[Any, str, int, int]] = {
    "parse": ({"query": "{ student("}, "GRAPHQL_PARSE_FAILED", 400, 200),
    "validation": ({"query": "{ nosuch }"}, "GRAPHQL_VALIDATION_FAILED", 400, 200),
    "limit": ({"query": COSTLY}, "QUERY_TOO_COMPLEX", 400, 200),
    "variables": ({"query": BY_VARIABLE, "variables": {"n": 3}}, "BAD_USER_INPUT", 400, 200),
    "missing variable": ({"query": BY_VARIABLE}, "BAD_USER_INPUT", 400, 200),
    "batch": ([{"query": STUDENT}] * 6, "BATCH_TOO_LARGE", 400, 400),
    "tokens": ({"query": "{ " + "__typename " * 1200 + "}"}, "TOO_MANY_TOKENS", 400, 400),
    "operation": ({"query": "query A { __typename } query B { __typename }"}, "OPERATION_RESOLUTION_FAILURE", 400,
                  400),
    "body": ("{", "BAD_REQUEST", 400, 400),
}


@pytest.fixture(scope="module")
def limited(sandbox_process: SandboxProcess) -> Iterator[GatewayProcess]:
    proc = GatewayProcess(sandbox_env(sandbox_process, max_cost=100)).start()
    yield proc
    proc.stop()


def post(gateway: GatewayProcess, body: Any, accept: dict[str, str], **headers: str) -> httpx.Response:
    content = body if isinstance(body, str) else httpx.Request("POST", "/", json=body).content
    return httpx.post(f"{gateway.url}/graphql", content=content, timeout=30,
                      headers={**gateway.bearer(), "Content-Type": "application/json", **accept, **headers})


@pytest.mark.parametrize("kind", list(REFUSALS))
def test_a_refused_request_has_no_data_and_a_4xx_when_the_client_takes_graphql_response_json(
        limited: GatewayProcess, sandbox: SandboxProcess, kind: str) -> None:
    """Strawberry answered a document that did not parse or validate, or variables that did not fit, with
    ``"data": null`` and a 200 in ``application/json`` whatever the client asked for; the guard's refusals had
    ``"data": null`` too."""
    body, code, status, legacy_status = REFUSALS[kind]
    for accept, expected_status, media_type in ((PREFERS, status, GRAPHQL_RESPONSE),
                                                (LEGACY, legacy_status, "application/json"),
                                                ({}, legacy_status, "application/json")):
        response = post(limited, body, accept)
        assert (response.status_code, response.headers["content-type"]) == (expected_status, media_type), (
            accept, response.text)
        answer = response.json()
        assert "data" not in answer and [e["extensions"]["code"] for e in answer["errors"]] == [code], answer
    assert sum(sandbox.requests(v)["total"] for v in ("stellic", "hubmis", "dartmouth")) == 0  # none reached one


def test_an_execution_result_is_a_200_with_its_data_in_either_media_type(limited: GatewayProcess) -> None:
    for accept, media_type in ((PREFERS, GRAPHQL_RESPONSE), (LEGACY, "application/json")):
        whole = post(limited, {"query": STUDENT}, accept)
        assert (whole.status_code, whole.headers["content-type"]) == (200, media_type)
        assert whole.json() == {"data": {"student": {"netid": "d59951y"}}}
        partial = post(limited, {"query": '{ node(id: "zz") { id } }'}, accept)  # a field error: execution ran
        assert partial.status_code == 200 and partial.json()["data"] == {"node": None}
        assert partial.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_get_is_answered_the_same_way(limited: GatewayProcess) -> None:
    url = f"{limited.url}/graphql"
    for accept, refused_status, media_type in ((PREFERS, 400, GRAPHQL_RESPONSE), (LEGACY, 200, "application/json")):
        ok = httpx.get(url, params={"query": STUDENT}, headers={**limited.bearer(), **accept})
        assert (ok.status_code, ok.headers["content-type"], ok.json()["data"]["student"]["netid"]) == (
            200, media_type, "d59951y")
        refused = httpx.get(url, params={"query": "{ nosuch }"}, headers={**limited.bearer(), **accept})
        assert (refused.status_code, refused.headers["content-type"]) == (refused_status, media_type)
        assert "data" not in refused.json()
        mutation = httpx.get(url, params={"query": "mutation { __typename }"}, headers={**limited.bearer(), **accept})
        assert (mutation.status_code, mutation.headers["content-type"]) == (405, media_type)
        assert "data" not in mutation.json() and mutation.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
        assert mutation.headers["allow"] == "POST"


def test_a_batch_is_a_200_each_answer_saying_for_itself(limited: GatewayProcess) -> None:
    response = post(limited, [{"query": STUDENT}, {"query": "{ nosuch }"}], PREFERS)
    assert (response.status_code, response.headers["content-type"]) == (200, GRAPHQL_RESPONSE)
    ran, refused = response.json()
    assert ran == {"data": {"student": {"netid": "d59951y"}}}
    assert "data" not in refused and refused["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_the_guards_refusals_keep_their_status_and_code(limited: GatewayProcess) -> None:
    url = f"{limited.url}/graphql"
    for accept, media_type in ((PREFERS, GRAPHQL_RESPONSE), (LEGACY, "application/json")):
        anonymous = httpx.post(url, json={"query": STUDENT}, headers=accept)
        assert (anonymous.status_code, anonymous.headers["content-type"]) == (401, media_type)
        assert anonymous.json() == {"errors": [{"message": anonymous.json()["errors"][0]["message"], "extensions": {
            "code": "UNAUTHENTICATED", "requestId": anonymous.headers["x-request-id"]}}]}
        # Apollo's automatic persisted queries: a 200 in both, as Apollo Server answers it and its clients expect.
        hash_only = post(limited, {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "ab" * 32}}}, accept)
        assert (hash_only.status_code, hash_only.headers["content-type"]) == (200, media_type)
        assert "data" not in hash_only.json()


def test_the_rate_limits_refusal_is_in_the_media_type_asked_for(sandbox_process: SandboxProcess) -> None:
    proc = GatewayProcess(sandbox_env(sandbox_process, caller_rate_per_min=1, caller_burst=1)).start()
    try:
        assert post(proc, {"query": "{ __typename }"}, PREFERS).status_code == 200
        refused = post(proc, {"query": "{ __typename }"}, PREFERS)
        assert (refused.status_code, refused.headers["content-type"]) == (429, GRAPHQL_RESPONSE)
        assert "data" not in refused.json() and refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    finally:
        proc.stop()


@pytest.mark.parametrize(("accept", "media_type"), [
    (None, "application/json"),
    ("*/*", "application/json"),
    ("application/json", "application/json"),
    ("text/html", "application/json"),
    (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
    ("Application/GraphQL-Response+JSON; charset=utf-8", GRAPHQL_RESPONSE),
    (f"{GRAPHQL_RESPONSE}, application/json;q=0.9", GRAPHQL_RESPONSE),
    (f"{GRAPHQL_RESPONSE}, application/json", GRAPHQL_RESPONSE),  # the same q: the first listed
    (f"application/json, {GRAPHQL_RESPONSE}", "application/json"),
    (f"application/json;q=0.5, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),
    (f"{GRAPHQL_RESPONSE};q=0.5, */*", "application/json"),
    (f"{GRAPHQL_RESPONSE};q=0", "application/json"),
])
def test_the_media_type_the_accept_header_prefers(accept: str | None, media_type: str) -> None:
    assert response_media_type(accept) == media_type


LARGE = "{ holdTypes { id description category resolution resolutionUrl } terms { id name startDate endDate } }"


def test_an_answer_is_compressed_for_a_client_that_accepts_gzip(limited: GatewayProcess) -> None:
    """Every client (browsers, Apollo Client, urql, Relay) sends ``Accept-Encoding: gzip``; the gateway ignored it, so a
    100-student page (41 kB, 4.5 kB compressed) or a 229-row roster (92 kB, 8 kB) crossed the network whole."""
    for method in ("POST", "GET"):
        request: dict[str, Any] = ({"json": {"query": LARGE}} if method == "POST" else {"params": {"query": LARGE}})
        plain = httpx.request(method, f"{limited.url}/graphql", timeout=30, **request,
                              headers={**limited.bearer(), "Accept-Encoding": "identity"})
        packed = httpx.request(method, f"{limited.url}/graphql", timeout=30, **request,
                               headers={**limited.bearer(), "Accept-Encoding": "gzip, deflate, br"})
        assert plain.status_code == packed.status_code == 200, packed.text
        assert "content-encoding" not in plain.headers and len(plain.content) > 1000
        assert packed.headers.get("content-encoding") == "gzip", (method, packed.headers)
        assert int(packed.headers["content-length"]) < len(plain.content) / 2
        assert "Accept-Encoding" in packed.headers.get("vary", ""), packed.headers
        assert packed.headers["x-request-id"] and packed.json() == plain.json()  # httpx decodes it


def test_a_batch_answers_each_operation_even_one_it_cannot_run(limited: GatewayProcess) -> None:
    """An operation of the batch with no single operation to run, or none at all, refused the whole batch with a 400
    and one error, where every other refusal (a validation error) is that operation's answer in the batch's 200."""
    batch = [{"query": STUDENT}, {"query": "query A { __typename } query B { __typename }"},
             {"query": STUDENT, "operationName": "Nope"}, {"variables": {}},
             {"query": "subscription { taskUpdates(id: \"x\") { status } }"}]
    for accept, media_type in ((PREFERS, GRAPHQL_RESPONSE), (LEGACY, "application/json")):
        response = post(limited, batch, accept)
        assert (response.status_code, response.headers["content-type"]) == (200, media_type), response.text
        ran, *refused = response.json()
        assert ran == {"data": {"student": {"netid": "d59951y"}}}
        assert all("data" not in answer for answer in refused), refused
        assert [[e["extensions"]["code"] for e in answer["errors"]] for answer in refused] == [
            ["OPERATION_RESOLUTION_FAILURE"], ["OPERATION_RESOLUTION_FAILURE"], ["BAD_REQUEST"], ["BAD_REQUEST"]]
