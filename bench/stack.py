"""The system the GraphQL benchmark measures: one sandbox and two gateways wired to it.

The normal gateway caches in memory (the gateway's default), so its cache is made cold by restarting
it; the baseline runs with ``CAMPUSGRAPH_CACHE_ENABLED=false`` and ``CAMPUSGRAPH_BATCHING_ENABLED=false``.
Everything else is the same on both, including the benchmark-only overrides in ``BENCH_OVERRIDES``.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import redis as redis_sync

from tests.gatewayproc import GatewayProcess, sandbox_env
from tests.redisproc import RedisProcess
from tests.sandboxproc import VENDORS, SandboxProcess

# HUBmis documents a bucket of 500 that refills one request per 5 s; a throughput run would spend it in
# seconds and then measure the limiter. Raised on both sides (sandbox fault switches, gateway settings).
HUBMIS_BUCKET = 1_000_000
HUBMIS_REFILL_S = 0.001

# Benchmark-only gateway settings, the same on both gateways. The call budget dates from a default of 200, which
# the 200-row roster (202 upstream calls at the least) outran; the default is 500 now, and it is kept so that runs
# compare. The per-caller rate limit (600/min, burst 60) would measure the limiter instead of the gateway.
BENCH_OVERRIDES: dict[str, Any] = {
    "hubmis_rate_limit_bucket": HUBMIS_BUCKET,
    "hubmis_rate_limit_refill_s": HUBMIS_REFILL_S,
    "call_budget": 2000,
    "caller_rate_per_min": 10_000_000,
    "caller_burst": 100_000,
    # Each vendor's widest level of calls in these queries (199 Dartmouth people for the roster, 19 HUBmis staff for
    # the 50 students), opened at start-up: a cold sample is a just-restarted process's first request.
    "dartmouth_preconnect": 200,
    "hubmis_preconnect": 32,
}


@dataclass
class Stack:
    """Sandbox + normal and baseline gateways; ``stop()`` ends every process it started."""

    latency_ms: float
    students: int
    seed: int
    today: date
    sandbox: SandboxProcess | None = None
    normal: GatewayProcess | None = None
    baseline: GatewayProcess | None = None
    # The normal gateway again, with a Redis cache: flushing it makes the cache cold in a process that has
    # already served (connections open, code paths warm). None when redis-server is not installed.
    shared: GatewayProcess | None = None
    redis: RedisProcess | None = None
    headers: dict[str, str] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    client: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=120))

    def start(self) -> Stack:
        try:
            self.sandbox = SandboxProcess(students=self.students, seed=self.seed, extra_args=(
                "--latency-ms", str(self.latency_ms), "--today", self.today.isoformat())).start(timeout=120)
            self.sandbox.faults("hubmis", rate_limit_bucket=HUBMIS_BUCKET, rate_limit_refill_s=HUBMIS_REFILL_S)
            self.settings = {"normal": dict(BENCH_OVERRIDES),
                             "baseline": {**BENCH_OVERRIDES, "cache_enabled": False, "batching_enabled": False}}
            env = sandbox_env(self.sandbox, **BENCH_OVERRIDES)  # one development signing key for both
            self.normal = GatewayProcess(env).start(60)
            self.baseline = GatewayProcess({**env, "CAMPUSGRAPH_CACHE_ENABLED": "false",
                                            "CAMPUSGRAPH_BATCHING_ENABLED": "false"}).start(60)
            if shutil.which("redis-server"):
                self.redis = RedisProcess()
                self.shared = GatewayProcess({**env, "CAMPUSGRAPH_REDIS_URL": self.redis.url}).start(60)
            self.headers = self.normal.bearer()  # every scope: the benchmark reads every field
            self.settle()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for gateway in (self.normal, self.baseline, self.shared):
            if gateway is not None:
                _stop(gateway)
        if self.redis is not None:
            self.redis.stop()
        if self.sandbox is not None:
            self.sandbox.stop()
        self.client.close()

    def settle(self, quiet_s: float = 1.5, timeout_s: float = 120.0) -> None:
        """Wait until the gateways' start-up work (crosswalk indexes, credentials) stops calling the vendors."""
        deadline = time.monotonic() + timeout_s
        last, quiet_since = -1, time.monotonic()
        while time.monotonic() < deadline:
            total = sum(self.calls().values())
            if total != last:
                last, quiet_since = total, time.monotonic()
            elif time.monotonic() - quiet_since >= quiet_s:
                return
            time.sleep(0.25)
        raise RuntimeError("the gateways kept calling the vendors for two minutes after start-up")

    def calls(self) -> dict[str, int]:
        """Every non-token upstream call the sandbox has served so far, by "vendor METHOD /route"."""
        assert self.sandbox is not None
        out: dict[str, int] = {}
        for vendor in VENDORS:
            log = self.sandbox.control(vendor, "GET", "requests?limit=0")["by_route"]
            out.update({f"{vendor} {route}": n for route, n in log.items() if not route.startswith("POST")})
        return out

    def flush_shared(self) -> None:
        """Empty the Redis cache of ``shared`` (the next query finds nothing cached)."""
        assert self.redis is not None
        redis_sync.Redis.from_url(self.redis.url).flushdb()

    def restart_normal(self, debug_log: bool = False) -> None:
        """Make the normal gateway's cache cold: a new process on the same port, its start-up calls (the
        crosswalk's HUBmis indexes, credentials) finished before it is measured, as they are no per-query cost.
        ``debug_log``: log every upstream call (answered calls are DEBUG), to read the calls' chain back."""
        assert self.normal is not None
        _stop(self.normal)
        self.normal = GatewayProcess(self.normal.env, port=self.normal.port,
                                     extra_args=("--log-level", "debug") if debug_log else ()).start(60)
        self.settle(quiet_s=0.6)

    def breakers(self, gateway: GatewayProcess) -> dict[str, str]:
        """Each vendor's circuit breaker as the gateway reports it (/readyz)."""
        body = self.client.get(f"{gateway.url}/readyz").json()
        return {v["vendor"]: str(v.get("breaker")) for v in body.get("vendors", [])}

    def wait_breakers(self, gateway: GatewayProcess, timeout_s: float = 60.0) -> float:
        """Wait until no circuit breaker is open, so that a run does not inherit the failures of the one before
        (half open is enough: the next call to that vendor is the probe); the seconds it took."""
        started = time.monotonic()
        while "open" in self.breakers(gateway).values():
            if time.monotonic() - started > timeout_s:
                raise RuntimeError(f"the gateway's circuit breakers stayed open for {timeout_s:.0f}s")
            time.sleep(0.5)
        return round(time.monotonic() - started, 1)

    def post(self, gateway: GatewayProcess, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        response = self.client.post(f"{gateway.url}/graphql", json={"query": query, "variables": variables},
                                    headers=self.headers)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result


def _stop(gateway: GatewayProcess) -> None:
    """Stop a gateway and delete its log (the baseline's runs to hundreds of MB)."""
    gateway.stop()
    if gateway.log_path:
        shutil.rmtree(Path(gateway.log_path).parent, ignore_errors=True)


def delta(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """Calls made between two ``Stack.calls()`` snapshots, by route."""
    return {route: n - before.get(route, 0) for route, n in sorted(after.items()) if n - before.get(route, 0)}
