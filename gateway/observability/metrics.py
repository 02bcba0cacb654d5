"""Prometheus collectors for ``GET /metrics``: GraphQL operations, upstream calls, cache, retries, 429s,
breaker state, rate budget, Redis and tasks.

Every label value comes from a bounded set: operation names are capped (``other`` past the cap), routes
are route-table templates, statuses are HTTP codes. No id, argument or query text ever becomes a label.
Upstream figures arrive as ``UpstreamStats`` events; breaker state, rate budget and Redis are read at scrape time.

With ``PROMETHEUS_MULTIPROC_DIR`` set (``campusgraph serve --workers N`` sets it for its workers), counters
and histograms are kept in that directory by every worker and a scrape answered by any of them adds them all
up: prometheus_client's multiprocess mode, which must be chosen before the workers import it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric, StateSetMetricFamily

from gateway.observability.health import redis_status
from gateway.upstreams import Upstreams
from gateway.vendors.breaker import BreakerState
from gateway.vendors.stats import UpstreamStats

__all__ = ["CONTENT_TYPE_LATEST", "MULTIPROCESS_DIR", "GatewayMetrics", "multiprocess_dir", "record_task"]

MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"  # prometheus_client's own variable

# Seconds; GraphQL operations span a cache hit (~ms) to a budget of slow vendor calls.
_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
MAX_OPERATION_NAMES = 200  # distinct operation labels kept; later names count as "other"

disable_created_metrics()  # type: ignore[no-untyped-call]  # no *_created series: half the exposition


class OperationNames:
    """Operation names are chosen by clients: keep the first ``limit`` seen, fold the rest into ``other``."""

    def __init__(self, limit: int = MAX_OPERATION_NAMES) -> None:
        self.limit, self._seen = limit, set[str]()

    def label(self, name: str | None) -> str:
        if not name:
            return "anonymous"
        if name in self._seen:
            return name
        if len(self._seen) >= self.limit:
            return "other"
        self._seen.add(name)
        return name


def multiprocess_dir() -> str | None:
    """Where the workers of one gateway keep their counters, when they share them (prometheus_client also
    honours the variable's old lower-case name)."""
    return os.environ.get(MULTIPROCESS_DIR) or os.environ.get(MULTIPROCESS_DIR.lower()) or None


class ScrapeTimeState:
    """Breaker state per vendor (a state set) and the rate budget of vendors that have one, as ``render`` last
    read them. A collector rather than metrics: the values are this process's at the moment of the scrape,
    never a multiprocess value file left behind by another worker."""

    def __init__(self) -> None:
        self.statuses: list[dict[str, Any]] = []
        self.redis: dict[str, Any] | None = None  # health.redis_status: None when Redis is not configured

    def collect(self) -> Iterator[Metric]:
        breaker = StateSetMetricFamily("campusgraph_upstream_breaker", "Circuit breaker state per vendor: the "
                                       "worst of its routes' (open while any route's calls are suspended)",
                                       labels=["vendor"])
        remaining = GaugeMetricFamily("campusgraph_upstream_rate_remaining", "Requests left in the client-side "
                                      "rate budget (vendors that have one)", labels=["vendor"])
        for status in self.statuses:
            breaker.add_metric([status["vendor"]], {s.value: s.value == status["breaker"] for s in BreakerState})
            if status["rate_remaining"] is not None:
                remaining.add_metric([status["vendor"]], status["rate_remaining"])
        yield breaker
        yield remaining
        if self.redis is not None:
            yield GaugeMetricFamily("campusgraph_redis_up", "Whether Redis answered a ping at this scrape (1) or not "
                                    "(0: the gateway serves without it, degraded)", value=int(self.redis["ok"]))


class GatewayMetrics:
    """The gateway's collectors, in a registry of their own (one per app, so tests and workers don't mix).

    In multiprocess mode the exposition is every worker's counters from the shared directory, read at
    scrape time, and this process's breaker state and rate budget."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self.scrape_time = ScrapeTimeState()
        self.exposition = self.registry
        if (shared := multiprocess_dir()) is not None:
            self.exposition = CollectorRegistry()
            multiprocess.MultiProcessCollector(self.exposition, path=shared)  # type: ignore[no-untyped-call]
        self.exposition.register(self.scrape_time)
        self.names = OperationNames()
        r = self.registry
        self.operations = Counter("campusgraph_graphql_operations", "GraphQL operations by name, type and "
                                  "outcome (ok, partial: data with errors, error: no data)",
                                  ["operation", "type", "outcome"], registry=r)
        self.operation_seconds = Histogram("campusgraph_graphql_operation_duration_seconds",
                                           "GraphQL operation latency", ["operation", "type"], buckets=_BUCKETS,
                                           registry=r)
        self.upstream_calls = Counter("campusgraph_upstream_requests", "HTTP requests sent to vendors (each "
                                      "attempt); status 0 when no answer arrived", ["vendor", "route", "status"],
                                      registry=r)
        self.upstream_seconds = Histogram("campusgraph_upstream_request_duration_seconds", "Vendor request "
                                          "latency per attempt", ["vendor", "route"], buckets=_BUCKETS, registry=r)
        self._cache_children: dict[tuple[str, bool], Any] = {}
        self.cache = Counter("campusgraph_cache_requests", "Cross-request cache lookups of vendor payloads",
                             ["vendor", "result"], registry=r)
        self.retries = Counter("campusgraph_upstream_retries", "Retried vendor reads", ["vendor"], registry=r)
        self.rate_limited = Counter("campusgraph_upstream_rate_limited", "429 answers received from vendors",
                                    ["vendor"], registry=r)
        self.tasks = Counter("campusgraph_tasks", "Asynchronous vendor tasks by kind and status reached",
                             ["kind", "status"], registry=r)

    # ---- feeds -----------------------------------------------------------------------------
    def observe_operation(self, name: str | None, type_: str, outcome: str, seconds: float) -> None:
        label = self.names.label(name)
        self.operations.labels(label, type_, outcome).inc()
        self.operation_seconds.labels(label, type_).observe(seconds)

    def on_upstream(self, event: str, data: dict[str, Any]) -> None:
        """An ``UpstreamStats`` listener."""
        if event == "call":
            self.upstream_calls.labels(data["vendor"], data["route"], str(data["status"])).inc()
            self.upstream_seconds.labels(data["vendor"], data["route"]).observe(data["ms"] / 1000)
        elif event == "cache":  # every warm read: its child is kept, not looked up by labels each time
            key = (data["vendor"], data["hit"])
            child = self._cache_children.get(key)
            if child is None:
                child = self._cache_children[key] = self.cache.labels(key[0], "hit" if key[1] else "miss")
            child.inc()
        elif event == "retry":
            self.retries.labels(data["vendor"]).inc()
        elif event == "rate_limited":
            self.rate_limited.labels(data["vendor"]).inc()
        elif event == "task":
            self.tasks.labels(data["kind"], data["status"]).inc()

    def attach(self, stats: UpstreamStats) -> None:
        stats.listeners.append(self.on_upstream)

    # ---- scrape ----------------------------------------------------------------------------
    async def render(self, upstreams: Upstreams) -> bytes:
        """The exposition text, with breaker state and rate budget read now."""
        self.scrape_time.statuses = await upstreams.status()
        self.scrape_time.redis = await redis_status(upstreams)
        return generate_latest(self.exposition)


def record_task(stats: UpstreamStats, kind: str, status: str) -> None:
    """Count a vendor task reaching ``status`` (e.g. kind ``dartmouth_enrollment_patch``, status ``complete``).

    Goes through the shared ``UpstreamStats`` (``Context.upstreams.stats``), so callers need no handle on
    the metrics. ``kind`` and ``status`` must come from fixed vocabularies, never from ids.
    """
    stats.emit("task", kind=kind, status=status)
