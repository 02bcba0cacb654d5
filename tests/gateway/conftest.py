"""A real gateway process over the session's sandbox, with Redis as its cache so each test starts cold."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis as redis_sync

from tests.gatewayproc import GatewayProcess, sandbox_env
from tests.redisproc import RedisProcess
from tests.sandboxproc import SandboxProcess


@pytest.fixture(scope="session")
def gateway_redis() -> Iterator[RedisProcess]:
    server = RedisProcess()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def gateway_process(sandbox_process: SandboxProcess, gateway_redis: RedisProcess) -> Iterator[GatewayProcess]:
    # Outage tests share this process; its breakers must not stay open into the next test (breakers are
    # tested on their own: tests/vendors/test_base.py, tests/observability/test_health.py).
    never_trip = {f"{vendor}_breaker_failures": 1_000_000 for vendor in ("stellic", "hubmis", "dartmouth")}
    proc = GatewayProcess(sandbox_env(sandbox_process, redis_url=gateway_redis.url, **never_trip)).start()
    yield proc
    proc.stop()


@pytest.fixture
def gateway(gateway_process: GatewayProcess, sandbox: SandboxProcess, gateway_redis: RedisProcess) -> GatewayProcess:
    """The gateway with a cold cache, over a freshly reset sandbox with an empty request log."""
    redis_sync.Redis.from_url(gateway_redis.url).flushdb()
    sandbox.reset()
    return gateway_process


@pytest.fixture
def tripping_gateway(sandbox: SandboxProcess) -> Iterator[GatewayProcess]:
    """A gateway of its own whose Dartmouth circuit opens after 5 consecutive failures and stays open 30 s (longer
    than any test waits), polling tasks every 0.1 s: whatever opens the circuit shows."""
    proc = GatewayProcess(sandbox_env(sandbox, task_poll_s=0.1, dartmouth_breaker_failures=5,
                                      dartmouth_breaker_reset_s=30)).start()
    yield proc
    proc.stop()
