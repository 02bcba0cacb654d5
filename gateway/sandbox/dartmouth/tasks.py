"""Dartmouth's asynchronous enrollment updates (seed 004): a PATCH queues a task that settles later.

A task is ``accepted`` for ``delay_s`` seconds, then ``complete`` (the enrollment's
``course_assessment`` changes at that moment, never before) or ``error`` (nothing changes) when
both dates were given. Settling happens on a timer and again whenever a task or an enrollment
is read, so a reader never sees a task past its delay still pending.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

BOTH_DATES_ERROR = "['Payload is invalid, contains values for both submit_date and opt_out_date.']"
DONE_MESSAGE = "Enrollment updated successfully."


@dataclass
class Task:
    id: str
    enrollment_id: str
    enrollment_url: str
    assessment: dict[str, str | None]
    due: float  # monotonic time at which it settles
    status: str = "accepted"
    message: str | None = None

    def body(self) -> dict[str, Any]:
        done = self.status != "accepted"
        return {"status": self.status, "path": self.enrollment_url if done else None, "message": self.message,
                "id": self.id}


class TaskQueue:
    """Tasks of one simulator; ``enrollments`` is the live store the completed tasks write to.

    A reset builds a new queue over new stores, so a timer left from before only touches the old ones.
    """

    def __init__(self, enrollments: dict[str, dict[str, Any]], delay_s: float,
                 on_change: Callable[[], None] = lambda: None) -> None:
        self.enrollments, self.delay_s, self.on_change = enrollments, delay_s, on_change
        self.tasks: dict[str, Task] = {}
        self._pending: deque[Task] = deque()  # in due order: every task has the same delay

    def submit(self, enrollment_id: str, enrollment_url: str, assessment: dict[str, str | None]) -> Task:
        task = Task(secrets.token_hex(12), enrollment_id, enrollment_url, dict(assessment),
                    time.monotonic() + self.delay_s)
        self.tasks[task.id] = task
        self._pending.append(task)
        asyncio.get_running_loop().call_later(self.delay_s, self._timer, task)
        return task

    def _timer(self, task: Task) -> None:
        """A task's own timer settles it (and any before it), whatever ``time.monotonic()`` says: uvloop's
        timers run on a millisecond clock and may fire a little before ``due``."""
        while self._pending and self._pending[0].due <= task.due:
            self._settle(self._pending.popleft())

    def settle_due(self) -> None:
        now = time.monotonic()
        while self._pending and self._pending[0].due <= now:
            self._settle(self._pending.popleft())

    def _settle(self, task: Task) -> None:
        submit, opt_out = task.assessment["submit_date"], task.assessment["opt_out_date"]
        if submit is not None and opt_out is not None:
            task.status, task.message = "error", BOTH_DATES_ERROR
            return
        enrollment = self.enrollments.get(task.enrollment_id)
        if enrollment is not None:
            enrollment["course_assessment"] = None if submit is None and opt_out is None else dict(task.assessment)
            self.on_change()
        task.status, task.message = "complete", DONE_MESSAGE
