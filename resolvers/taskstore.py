"""A small record per task, kept in Redis when configured (every replica sees the same) or in memory.

The vendor is the authority on a task; the record adds what the gateway knows of it (when it started, whether
the reads it changed were forgotten) and spares a finished task's readers a vendor call. So while Redis does not
answer, records are kept in this process instead and a task this process has no record of is asked of its
vendor (``TaskTracker.get``): a poll still answers, with the vendor's status.
"""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import asdict, dataclass
from typing import Any

from redis.asyncio import Redis

from gateway.vendors.redislink import RedisLink, RedisUnavailable

COURSE_ASSESSMENT, EXPORT = "course_assessment", "export"  # schema.enums.TaskKind values
PENDING, RUNNING, COMPLETE, FAILED = "pending", "running", "complete", "failed"  # schema.enums.TaskStatus values
VENDOR_OF_KIND = {COURSE_ASSESSMENT: "dartmouth", EXPORT: "stellic"}
KEEP_S = 3 * 86400  # an export's file lives 3 days; a finished task answers from here, without a vendor call


@dataclass
class TaskRecord:
    """What the gateway knows of one task; times are Unix seconds."""

    kind: str
    vendor_id: str
    status: str
    created_at: float
    updated_at: float
    message: str | None = None
    result_url: str | None = None
    subject: str | None = None  # the enrollment id of a course assessment, the data type of an export
    invalidated: bool = False  # the cached reads a completed course assessment changed were forgotten

    @property
    def vendor(self) -> str:
        return VENDOR_OF_KIND[self.kind]

    @property
    def terminal(self) -> bool:
        return self.status in (COMPLETE, FAILED)

    @classmethod
    def new(cls, kind: str, vendor_id: str, status: str, **fields: Any) -> TaskRecord:
        now = time.time()
        return cls(kind, vendor_id, status, now, now, **fields)


class TaskStore:
    def __init__(self, redis: Redis | None = None, *, namespace: str = "cg:task", keep_s: int = KEEP_S,
                 link: RedisLink | None = None) -> None:
        self.redis, self.namespace, self.keep_s, self.link = redis, namespace, keep_s, link or RedisLink()
        self._memory: dict[str, tuple[float, str]] = {}  # without Redis, or written while it did not answer

    def _key(self, kind: str, vendor_id: str) -> str:
        return f"{self.namespace}:{kind}:{vendor_id}"

    async def get(self, kind: str, vendor_id: str) -> TaskRecord | None:
        key = self._key(kind, vendor_id)
        raw: Any = None
        if self.redis is not None:
            redis = self.redis
            with contextlib.suppress(RedisUnavailable):
                raw = await self.link.run(lambda: redis.get(key))
        if raw is None:
            found = self._memory.get(key)
            raw = found[1] if found and found[0] > time.monotonic() else None
        return None if raw is None else TaskRecord(**json.loads(raw))

    async def put(self, record: TaskRecord) -> None:
        key, raw = self._key(record.kind, record.vendor_id), json.dumps(asdict(record))
        if self.redis is not None:
            redis = self.redis
            try:
                await self.link.run(lambda: redis.set(key, raw, ex=self.keep_s))
                return
            except RedisUnavailable:
                pass
        self._memory[key] = (time.monotonic() + self.keep_s, raw)
