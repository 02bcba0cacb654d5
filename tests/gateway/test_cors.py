"""Front-end apps served from another origin call the gateway from the browser: CORS for the origins configured."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.gatewayproc import GatewayProcess, sandbox_env
from tests.sandboxproc import SandboxProcess

APP = "https://app.campus.example"
OTHER = "https://elsewhere.example"
QUERY = '{ student(netid: "d59951y") { netid } }'


@pytest.fixture(scope="module")
def cors_gateway(sandbox_process: SandboxProcess) -> Iterator[GatewayProcess]:
    proc = GatewayProcess(sandbox_env(sandbox_process, cors_origins=f"{APP}/, http://localhost:3000")).start()
    yield proc
    proc.stop()


def preflight(gateway: GatewayProcess, origin: str) -> httpx.Response:
    return httpx.options(f"{gateway.url}/graphql", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type, idempotency-key"})


def vendor_calls(sandbox: SandboxProcess) -> int:
    return sum(sandbox.requests(v)["total"] for v in ("stellic", "hubmis", "dartmouth"))


def test_a_configured_origins_preflight_is_answered_without_credentials(cors_gateway: GatewayProcess,
                                                                        sandbox: SandboxProcess) -> None:
    """The browser's preflight carries no Authorization header: before, the guard answered it 401 and the browser
    never sent the query."""
    response = preflight(cors_gateway, APP)
    assert response.status_code == 200, response.text
    assert response.headers["access-control-allow-origin"] == APP
    assert "POST" in response.headers["access-control-allow-methods"]
    allowed = response.headers["access-control-allow-headers"].lower()
    assert {"authorization", "content-type", "idempotency-key"} <= {h.strip() for h in allowed.split(",")}
    assert vendor_calls(sandbox) == 0


def test_a_configured_origin_reads_answers_errors_and_their_headers(cors_gateway: GatewayProcess,
                                                                    sandbox: SandboxProcess) -> None:
    answer = httpx.post(f"{cors_gateway.url}/graphql", json={"query": QUERY},
                        headers={"Origin": APP, **cors_gateway.bearer()})
    assert answer.json()["data"]["student"]["netid"] == "d59951y"
    assert answer.headers["access-control-allow-origin"] == APP
    assert "x-request-id" in answer.headers["access-control-expose-headers"].lower()
    # A refusal is readable too, so the app can tell "log in again" from a network failure.
    refused = httpx.post(f"{cors_gateway.url}/graphql", json={"query": QUERY}, headers={"Origin": APP})
    assert refused.status_code == 401 and refused.headers["access-control-allow-origin"] == APP
    assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_other_origins_get_no_cors_headers(cors_gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    assert "access-control-allow-origin" not in preflight(cors_gateway, OTHER).headers
    answer = httpx.post(f"{cors_gateway.url}/graphql", json={"query": QUERY},
                        headers={"Origin": OTHER, **cors_gateway.bearer()})
    assert "access-control-allow-origin" not in answer.headers


def test_no_origin_is_allowed_unless_configured(gateway: GatewayProcess) -> None:
    assert "access-control-allow-origin" not in preflight(gateway, APP).headers
    answer = gateway.post(QUERY, headers={"Origin": APP, **gateway.bearer()})
    assert answer.status_code == 200 and "access-control-allow-origin" not in answer.headers
