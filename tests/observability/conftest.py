"""One gateway process of its own for the observability tests, so its counters start from zero."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.gatewayproc import GatewayProcess, sandbox_env
from tests.sandboxproc import SandboxProcess

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


@pytest.fixture(scope="session")
def observed(sandbox_process: SandboxProcess) -> Iterator[GatewayProcess]:
    proc = GatewayProcess(sandbox_env(sandbox_process)).start()
    yield proc
    proc.stop()


def scrape(gateway: GatewayProcess) -> Samples:
    """Every sample of ``GET /metrics``, by name and labels."""
    response = httpx.get(f"{gateway.url}/metrics", timeout=10)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(response.text) for s in family.samples}


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)
