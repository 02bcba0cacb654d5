"""A small record per task, kept in Redis when configured (every replica sees the same) or in memory."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from typing import Any

from redis.asyncio import Redis

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
    def __init__(self, redis: Redis | None = None, *, namespace: str = "cg:task", keep_s: int = KEEP_S) -> None:
        self.redis, self.namespace, self.keep_s = redis, namespace, keep_s
        self._memory: dict[str, tuple[float, str]] = {}

    def _key(self, kind: str, vendor_id: str) -> str:
        return f"{self.namespace}:{kind}:{vendor_id}"

    async def get(self, kind: str, vendor_id: str) -> TaskRecord | None:
        key = self._key(kind, vendor_id)
        raw: Any
        if self.redis is not None:
            raw = await self.redis.get(key)
        else:
            found = self._memory.get(key)
            raw = found[1] if found and found[0] > time.monotonic() else None
        return None if raw is None else TaskRecord(**json.loads(raw))

    async def put(self, record: TaskRecord) -> None:
        key, raw = self._key(record.kind, record.vendor_id), json.dumps(asdict(record))
        if self.redis is not None:
            await self.redis.set(key, raw, ex=self.keep_s)
        else:
            self._memory[key] = (time.monotonic() + self.keep_s, raw)
