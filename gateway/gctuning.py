"""Garbage-collector settings for the long-running gateway process.

CPython's default thresholds (700, 10, 10) start a collection every 700 net allocations and a full
one every 100 of those. One GraphQL response allocates tens of thousands of short-lived objects,
and a full collection walks every object the process holds, the memory cache's vendor payloads
included; on the 50-student benchmark query most of the gateway's time went there. Start-up
objects (modules, the schema) are frozen out of every later collection, and collections run far
less often: measured warm on 2 cores (bench/README.md), 18 -> 24-30 req/s at concurrency 1 and
16 -> 28 at 10.
"""

from __future__ import annotations

import gc

THRESHOLDS = (50_000, 20, 100)


def tune() -> None:
    """Freeze what start-up built, then collect less often. Called once the app has started."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
