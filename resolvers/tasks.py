"""Tasks: reading, polling and following vendor work that ends after its mutation.

A Dartmouth course-assessment PATCH answers 202 with a task (``GET /api/tasks/{id}``); a Stellic async
export answers with a file name polled through ``get_export_url``. Both become a ``Task`` whose opaque id
carries the kind and the vendor's id, so any replica can answer for it. The gateway follows every
course-assessment task it accepts in the background, so the enrollment's cached reads are forgotten when
the task completes even if nobody asks; ``wait: true`` and ``taskUpdates`` ride on the same follower, so a
task is polled once per process however many clients watch it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import strawberry
from strawberry.types import Info

from gateway.errors import GatewayError, vendor_extensions
from gateway.observability.metrics import record_task
from gateway.upstreams import Upstreams
from gateway.vendors.base import NOT_FOUND_TTL_S, background_context
from gateway.vendors.errors import CircuitOpen, VendorError, VendorNotFound, VendorProtocolError
from resolvers.taskstore import (
    COMPLETE,
    COURSE_ASSESSMENT,
    EXPORT,
    FAILED,
    PENDING,
    RUNNING,
    TaskRecord,
    TaskStore,
)
from schema.enums import TaskKind, TaskStatus, Vendor
from schema.node import decode_id, encode_id
from schema.tasks import Task

log = logging.getLogger("campusgraph.tasks")

FOLLOW_S = 3600.0  # a follower gives up on a task that has not ended after this long
MAX_POLL_S = 10.0  # the poll interval grows by half each time, up to this
GONE = "The vendor no longer knows this task."


def task_id(kind: str, vendor_id: str) -> strawberry.ID:
    return encode_id("Task", f"{kind}:{vendor_id}")


def parse_task_id(global_id: str) -> tuple[str, str]:
    """(kind, vendor id); raises BAD_USER_INPUT for an id this gateway did not issue."""
    decoded = decode_id(global_id)
    if decoded is not None and decoded[0] == "Task":
        kind, _, vendor_id = decoded[1].partition(":")
        if kind in (COURSE_ASSESSMENT, EXPORT) and vendor_id:
            return kind, vendor_id
    raise GatewayError("not a task id this gateway issued", "BAD_USER_INPUT", argument="id")


SCOPE_OF_KIND = {COURSE_ASSESSMENT: "enrollments:write", EXPORT: "exports:run"}  # the scope that starts it


def require_scope(info: Info[Any, Any], kind: str) -> None:
    """A task is followed with the scope of the write that started it: an export's result is every student's
    data, and a course-assessment task names the enrollment. Raises FORBIDDEN without it."""
    viewer = getattr(info.context, "viewer", None)
    scope = SCOPE_OF_KIND[kind]
    if viewer is not None and not viewer.has(scope):
        raise GatewayError(f"following this {kind} task requires the {scope} scope", "FORBIDDEN", scope=scope)


def _utc(moment: datetime | None) -> datetime | None:
    """A course-assessment date as Dartmouth is sent it: a naive one is taken as UTC (as the PATCH's body does)."""
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def _told(failure: VendorError) -> tuple[str, int | None]:
    """What a subscriber was told of a failing poll: told again only when the vendor fails otherwise."""
    return failure.code, failure.status


def _gave_up(failure: VendorError | None, record: TaskRecord | None, follow_s: float) -> GatewayError:
    """The last word of a subscription whose follower gave up before the task ended: the vendor's failure when its
    polls were failing (its code, vendor and status), else TASK_NOT_FOLLOWED."""
    stands = f"last known {record.status.upper()}" if record is not None else "its state unknown"
    gave_up = f"the gateway stopped following the task after {follow_s:g} s ({stands}): ask task(id:) later"
    if failure is None:
        return GatewayError(gave_up, "TASK_NOT_FOLLOWED")
    extensions = vendor_extensions(failure)
    return GatewayError(f"{failure.vendor}: {failure.message}; {gave_up}", extensions.pop("code"), **extensions)


def task_from_record(record: TaskRecord) -> Task:
    return Task(id=task_id(record.kind, record.vendor_id), kind=TaskKind(record.kind),
                status=TaskStatus(record.status), message=record.message, result_url=record.result_url,
                created_at=datetime.fromtimestamp(record.created_at, UTC),
                updated_at=datetime.fromtimestamp(record.updated_at, UTC), vendor=Vendor(record.vendor),
                vendor_id=record.vendor_id, subject=record.subject)


class _Follow:
    """One poller of one task in this process, and whoever waits on it."""

    def __init__(self) -> None:
        self.record: TaskRecord | None = None
        self.version = 0
        self.finished = False
        # The latest poll's failure (None once a poll answers): a wait that ends while the vendor fails reports it,
        # and a subscriber is told of it.
        self.failure: VendorError | None = None
        self.changed = asyncio.Condition()
        self.runner: asyncio.Task[None] | None = None

    async def publish(self, record: TaskRecord | None, *, finished: bool = False) -> None:
        async with self.changed:
            self.record = record if record is not None else self.record
            self.version += 1
            self.finished = self.finished or finished
            self.changed.notify_all()

    async def failed(self, exc: VendorError) -> None:
        """A poll failed: kept as what the vendor did (not the open circuit that refused a later poll), and
        published."""
        if not isinstance(exc, CircuitOpen) or self.failure is None:
            self.failure = exc
        await self.publish(None)

    async def next_after(self, version: int) -> tuple[int, TaskRecord | None]:
        async with self.changed:
            await self.changed.wait_for(lambda: self.version > version or self.finished)
            return self.version, self.record


class TaskTracker:
    """Task state for every request of this process; shared with other replicas through the store."""

    def __init__(self, upstreams: Upstreams, store: TaskStore, *, wait_s: float, poll_s: float,
                 follow_s: float = FOLLOW_S) -> None:
        self.up, self.store = upstreams, store
        self.wait_s, self.poll_s, self.follow_s = wait_s, poll_s, follow_s
        self._follows: dict[tuple[str, str], _Follow] = {}
        self._watches: dict[str, asyncio.Task[None]] = {}  # enrollment id -> its watch (unsettled_enrollment)
        # (kind, vendor id) -> when the vendor first answered 404 for a task it had accepted, while it goes on so
        self._missing: dict[tuple[str, str], float] = {}

    # ---- starting, reading ------------------------------------------------------------------------------------
    async def accepted(self, kind: str, vendor_id: str, status: str = PENDING, *,
                       subject: str | None = None) -> TaskRecord:
        """Record work a vendor just accepted. A course assessment is followed at once, so the enrollment's
        cached reads are forgotten when it completes even if nobody asks about the task."""
        record = TaskRecord.new(kind, vendor_id, status, subject=subject)
        await self.store.put(record)
        record_task(self.up.stats, kind, status)
        if kind == COURSE_ASSESSMENT:
            self.follow(kind, vendor_id)
        return record

    async def get(self, kind: str, vendor_id: str) -> TaskRecord | None:
        """The task as it now stands: a finished one from the store, else one call to the vendor. None when
        neither the store nor the vendor knows it. A request reads it through its loader (``Loaders.task``), so
        the fields of one request naming the same task share one read."""
        record = await self.store.get(kind, vendor_id)
        if record is not None and record.terminal:
            return record
        return await self._poll(kind, vendor_id, record)

    async def _poll(self, kind: str, vendor_id: str, record: TaskRecord | None) -> TaskRecord | None:
        try:
            status, message, url, subject = await self._vendor_state(kind, vendor_id)
        except VendorNotFound as exc:
            if record is None:
                return None
            self._gone_yet(kind, vendor_id, exc)
            status, message, url, subject = FAILED, GONE, None, None
        else:
            self._missing.pop((kind, vendor_id), None)
        changed = record is None or (record.status, record.message, record.result_url) != (status, message, url)
        if record is None or record.status != status:
            record_task(self.up.stats, kind, status)  # each status this process sees a task reach
        if record is None:
            record = TaskRecord.new(kind, vendor_id, status, message=message, result_url=url, subject=subject)
        elif changed:
            record.status, record.message, record.result_url = status, message, url
            record.subject = record.subject or subject
            record.updated_at = time.time()
        if kind == COURSE_ASSESSMENT and status == COMPLETE and not record.invalidated and record.subject:
            await self.forget_enrollment(record.subject)  # before anyone hears it completed
            record.invalidated, changed = True, True
        if changed:
            await self.store.put(record)
            follow = self._follows.get((kind, vendor_id))
            if follow is not None:
                await follow.publish(record)
        return record

    def _gone_yet(self, kind: str, vendor_id: str, exc: VendorNotFound) -> None:
        """Returns when the vendor has answered 404 for this task, which it accepted, for ``NOT_FOUND_TTL_S``: it has
        forgotten it. Before that the 404 is the vendor failing (raised as such, a failed poll): taken at once for
        the task being gone, a moment's 404 stored the task as FAILED for good, though the vendor then carried it
        out, and the reads it changed were never forgotten."""
        first = self._missing.setdefault((kind, vendor_id), time.monotonic())
        if time.monotonic() - first >= NOT_FOUND_TTL_S:
            del self._missing[(kind, vendor_id)]
            return
        raise VendorProtocolError(exc.vendor, "the vendor answered 404 for a task it accepted; it is asked again, "
                                  f"and taken for gone once it has answered so for {NOT_FOUND_TTL_S:.0f} s",
                                  status=404, route=exc.route) from None

    async def unsettled_enrollment(self, enrollment_id: str, submit_date: datetime | None,
                                   opt_out_date: datetime | None) -> None:
        """A course-assessment PATCH Dartmouth may have applied, but with no task to follow (its answer lost or
        unreadable): the enrollment's cached reads are forgotten at once, and since a read made before Dartmouth's
        task runs would cache the assessment from before for 30 min, the enrollment is then watched (read afresh
        on the poll schedule, for as long as a task is followed) and forgotten again once it shows the assessment
        sent. A later write to the same enrollment replaces the watch."""
        await self.forget_enrollment(enrollment_id)
        earlier = self._watches.pop(enrollment_id, None)
        if earlier is not None:
            earlier.cancel()
        wanted = (_utc(submit_date), _utc(opt_out_date))
        self._watches[enrollment_id] = asyncio.get_running_loop().create_task(
            self._watch(enrollment_id, wanted), name="task-watch-enrollment", context=background_context())

    async def _watch(self, enrollment_id: str, wanted: tuple[datetime | None, datetime | None]) -> None:
        interval, deadline = self.poll_s, time.monotonic() + self.follow_s
        try:
            while time.monotonic() < deadline:
                await asyncio.sleep(interval)
                interval = min(MAX_POLL_S, interval * 1.5)
                try:
                    shown = (await self.up.dartmouth.get_enrollment(enrollment_id, fresh=True)).course_assessment
                except VendorNotFound:
                    return
                except VendorError as exc:
                    log.warning("watching enrollment %s after an unknown PATCH outcome failed: %s", enrollment_id, exc)
                    continue
                dates = (None, None) if shown is None else (_utc(shown.submit_date), _utc(shown.opt_out_date))
                if dates == wanted:
                    await self.forget_enrollment(enrollment_id)
                    return
            log.warning("enrollment %s never showed the course assessment of a PATCH whose outcome was unknown",
                        enrollment_id)
        finally:
            if self._watches.get(enrollment_id) is asyncio.current_task():
                del self._watches[enrollment_id]

    async def forget_enrollment(self, enrollment_id: str) -> None:
        """Forget the cached reads a course assessment changes, under every Dartmouth credential they were cached
        with: when its task completes, or at once when the PATCH's answer was lost or unreadable (no task to follow)."""
        for client in {id(c): c for c in (self.up.dartmouth, self.up.dartmouth_public) if c}.values():
            await client.invalidate_enrollment(enrollment_id)

    async def _vendor_state(self, kind: str, vendor_id: str) -> tuple[str, str | None, str | None, str | None]:
        """(status, message, result URL, subject) as the vendor reports them now."""
        if kind == COURSE_ASSESSMENT:
            task = await self.up.dartmouth.get_task(vendor_id)
            # Statuses beyond accepted/complete/error are undocumented (contracts 5.4): treat them as running.
            status = {"accepted": PENDING, "complete": COMPLETE, "error": FAILED}.get(task.status, RUNNING)
            return status, task.message, task.path if task.done else None, task.resource_id
        export = await self.up.stellic.get_export_url(vendor_id)
        if not export.success or export.status in ("failed", "error"):
            return FAILED, "Stellic reports the export failed.", None, None
        if export.ready:
            return COMPLETE, None, export.url, None
        return (RUNNING if export.status in ("started", "completed") else PENDING), None, None, None

    # ---- following --------------------------------------------------------------------------------------------
    def follow(self, kind: str, vendor_id: str) -> _Follow:
        """This process's poller of a task, started if none runs."""
        key = (kind, vendor_id)
        follow = self._follows.get(key)
        if follow is None:
            follow = self._follows[key] = _Follow()
            # A background context: the poller must not spend the budget of the request that started it, nor
            # can its failing polls open the vendor's circuit for users' calls.
            follow.runner = asyncio.get_running_loop().create_task(self._run(key, follow),
                                                                   name=f"task-follow-{kind}",
                                                                   context=background_context())
        return follow

    async def _run(self, key: tuple[str, str], follow: _Follow) -> None:
        interval, deadline = self.poll_s, time.monotonic() + self.follow_s
        record: TaskRecord | None = None
        try:
            while time.monotonic() < deadline:
                try:
                    record = await self.get(*key)
                except VendorError as exc:
                    log.warning("polling %s task %s failed: %s", key[0], key[1], exc)
                    await follow.failed(exc)
                else:
                    follow.failure = None
                    await follow.publish(record)
                    if record is None or record.terminal:
                        return
                await asyncio.sleep(interval)
                interval = min(MAX_POLL_S, interval * 1.5)
        finally:
            self._follows.pop(key, None)
            with contextlib.suppress(RuntimeError):
                await follow.publish(record, finished=True)

    async def wait(self, kind: str, vendor_id: str,
                   timeout_s: float | None = None) -> tuple[TaskRecord | None, VendorError | None]:
        """The task once it ends, or as it stands after ``timeout_s`` (the configured wait by default); and, when
        it has not ended, the failure of the latest poll if that failed (the vendor could not say how it stands)."""
        follow = self.follow(kind, vendor_id)
        deadline = time.monotonic() + (self.wait_s if timeout_s is None else timeout_s)
        version, record = 0, None
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                version, record = await asyncio.wait_for(follow.next_after(version), remaining)
            except TimeoutError:
                break
            if follow.finished or (record is not None and record.terminal):
                break
        record = record or await self.store.get(kind, vendor_id)
        return record, None if record is not None and record.terminal else follow.failure

    async def updates(self, kind: str, vendor_id: str) -> AsyncIterator[TaskRecord | VendorError | GatewayError]:
        """The task now, then each change of its status, until it ends. A poll that fails is told once (the
        vendor's failure, until a poll answers or it fails otherwise), after the task as last known, so a
        subscriber is not left waiting in silence; polling goes on, and the task's end follows once the vendor
        answers. A follower that gives up before the task ends says so last."""
        follow = self.follow(kind, vendor_id)
        version, last, told = 0, None, None
        while True:
            version, record = await follow.next_after(version)
            failure = follow.failure
            if record is None and failure is not None:
                record = await self.store.get(kind, vendor_id)  # what the gateway knows while the vendor cannot say
            if record is None:
                if failure is not None and not follow.finished:
                    if _told(failure) != told:
                        told = _told(failure)
                        yield failure
                    continue
                if last is None:
                    if failure is not None:
                        yield _gave_up(failure, None, self.follow_s)
                        return
                    raise GatewayError("no such task", "NOT_FOUND", argument="id")
                return
            if record.status != last:
                last = record.status
                yield record
            if record.terminal:
                return
            if failure is None:
                told = None
            elif _told(failure) != told and not follow.finished:
                told = _told(failure)
                yield failure
            if follow.finished:
                yield _gave_up(failure, record, self.follow_s)
                return

    async def close(self) -> None:
        runners = [f.runner for f in self._follows.values() if f.runner is not None] + [*self._watches.values()]
        for runner in runners:
            runner.cancel()
        for runner in runners:
            with contextlib.suppress(asyncio.CancelledError):
                await runner
