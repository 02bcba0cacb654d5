"""Helpers for the mutation tests: run one mutation, and read what reached the sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.gatewayproc import GatewayProcess, sandbox_env
from tests.redisproc import RedisProcess
from tests.sandboxproc import SandboxProcess


def mutate(gateway: GatewayProcess, query: str, variables: dict[str, Any] | None = None,
           headers: dict[str, str] | None = None) -> dict[str, Any]:
    """The payload of the operation's one root field; the operation must have no GraphQL errors."""
    response = gateway.post(query, variables, headers=headers)
    assert response.status_code == 200, response.text
    result = response.json()
    assert "errors" not in result, result["errors"]
    (payload,) = result["data"].values()
    assert isinstance(payload, dict)
    return payload


def calls(sandbox: SandboxProcess, vendor: str, method: str | None = None) -> list[dict[str, Any]]:
    """Requests the vendor received (optionally of one method), oldest first."""
    log = sandbox.requests(vendor)["requests"]
    return [r for r in log if method is None or r["method"] == method]


def writes(sandbox: SandboxProcess, vendor: str) -> list[dict[str, Any]]:
    return [r for r in calls(sandbox, vendor) if r["method"] != "GET"]


def codes(payload: dict[str, Any]) -> list[tuple[list[str] | None, str]]:
    return [(e["field"], e["code"]) for e in payload["userErrors"]]


USER_ERRORS = "userErrors { field message code }"


@pytest.fixture(scope="module")
def replica(sandbox_process: SandboxProcess, gateway_redis: RedisProcess) -> Iterator[GatewayProcess]:
    """A second gateway process sharing the first one's Redis, as a second replica would."""
    proc = GatewayProcess(sandbox_env(sandbox_process, redis_url=gateway_redis.url)).start()
    yield proc
    proc.stop()
