"""The shared machinery of the three vendor simulators.

A simulator is a pure ASGI app that serves its vendor's route table (``gateway/vendors/*/routes.py``)
with one handler per route, marked ``@handles("route_name")``. Around every handler it applies, in
order: the request log, the fault switches, authentication (a vendor hook), the per-client rate
limit, and the vendor's error-body shape. Controls live under ``/_sandbox``:

- ``GET  /_sandbox/requests[?limit=N]`` -> ``{"total", "by_route", "requests": [...]}``
- ``POST /_sandbox/reset``  clears the log, the faults and the rate buckets, and rebuilds the data
- ``POST /_sandbox/faults`` sets switches (see ``faults.py``); ``GET`` shows them
- ``GET  /_sandbox/routes``  the route table with provenance
- ``GET  /_sandbox/records/{kind}[/{id}]``  the simulator's state, to check what writes did
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar
from urllib.parse import unquote

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from gateway.sandbox.faults import Decision, FaultBook, FaultError
from gateway.sandbox.ratelimit import RateDecision, TokenBuckets
from gateway.sandbox.requestlog import RequestLog
from gateway.sandbox.responses import JSONResponse
from gateway.sandbox.world import World
from gateway.vendors.routes import Route, RouteTable

log = logging.getLogger("campusgraph.sandbox")

F = TypeVar("F", bound=Callable[..., Awaitable[Response]])


def handles(route_name: str) -> Callable[[F], F]:
    """Mark a simulator method as the handler of one route of its vendor's table."""

    def mark(fn: F) -> F:
        fn._sandbox_route = route_name  # type: ignore[attr-defined]
        return fn

    return mark


async def _until(deadline: float) -> None:
    """Sleep until ``perf_counter()`` reaches ``deadline``: uvloop's timers run on a millisecond clock and
    may wake a little early, and a latency is a floor."""
    while (left := deadline - time.perf_counter()) > 0:  # noqa: ASYNC110 - waiting for a time, not an event
        await asyncio.sleep(left)


class _LostAnswerNotices(logging.Filter):
    """Keeps uvicorn's "returned without completing response" error out of the log for the answers the
    sandbox loses on purpose (one per ``expect()``); any other such line still shows."""

    MESSAGE = "ASGI callable returned without completing response."

    def __init__(self) -> None:
        super().__init__()
        self.expected = 0

    def expect(self) -> None:
        self.expected += 1

    def filter(self, record: logging.LogRecord) -> bool:
        if self.expected and record.getMessage() == self.MESSAGE:
            self.expected -= 1
            return False
        return True


LOST_ANSWERS = _LostAnswerNotices()


async def _lose(response: Response, send: Send) -> None:
    """The ``lose_answer_next`` fault: the request was served (a write applied), but only the status line and
    headers go out before the connection closes, so the caller cannot know the outcome."""
    await send({"type": "http.response.start", "status": response.status_code, "headers": response.raw_headers})
    LOST_ANSWERS.expect()  # uvicorn closes the connection of a response left unfinished, and says so


class SandboxError(Exception):
    """Raised by handlers and hooks to answer with a vendor-shaped error."""

    def __init__(self, status: int, message: str, *, body: Any = None, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.body, self.headers = status, message, body, headers or {}


@dataclass
class Call:
    """One request as a handler sees it."""

    request: Request
    route: Route
    params: dict[str, str]
    client: str | None = None  # the authenticated client (token owner), when the route needs one
    scopes: frozenset[str] = field(default_factory=frozenset)
    _body: bytes | None = None

    @property
    def query(self) -> Any:
        return self.request.query_params

    async def body(self) -> bytes:
        if self._body is None:
            self._body = await self.request.body()
        return self._body

    async def json(self) -> Any:
        """The JSON body; a 400 naming the problem when it is absent or not JSON."""
        raw = await self.body()
        if not raw:
            raise SandboxError(400, "request body is required")
        try:
            return json.loads(raw)
        except json.JSONDecodeError as exc:
            raise SandboxError(400, f"request body is not valid JSON: {exc.msg}") from exc
        except UnicodeDecodeError as exc:
            raise SandboxError(400, "request body is not UTF-8") from exc


@dataclass(frozen=True)
class SandboxOptions:
    """Behaviour settings shared by the simulators (the data itself comes from the world)."""

    seed: int = 1
    latency_ms: float = 0.0
    base_url: str = ""  # this simulator's own scheme://host:port, for absolute URLs in bodies
    export_seconds: float = 3.0  # Stellic async export: not_started -> started -> completed over this time
    sync_export_max_rows: int = 50_000  # Stellic sync exports larger than this hit the 2-minute limit (504)
    task_seconds: float = 1.0  # Dartmouth PATCH task: accepted -> complete/error after this delay


class Simulator:
    """Base of a vendor simulator; subclasses declare routes, handlers, auth and error shapes."""

    vendor: ClassVar[str]
    routes: ClassVar[RouteTable]
    public_routes: ClassVar[frozenset[str]] = frozenset()  # route names served without credentials
    default_rate_limit: ClassVar[tuple[int, float] | None] = None  # (bucket, refill seconds)
    default_token_ttl_s: ClassVar[float] = 3600.0
    max_body_bytes: ClassVar[int | None] = None

    def __init__(self, world_factory: Callable[[], World], options: SandboxOptions | None = None) -> None:
        self._world_factory = world_factory
        self.options = options or SandboxOptions()
        self.base_latency_ms = self.options.latency_ms
        self.rng = random.Random(f"{self.vendor}:{self.options.seed}")
        self.faults = FaultBook(random.Random(f"faults:{self.vendor}:{self.options.seed}"))
        self.log = RequestLog()
        self.buckets = TokenBuckets()
        self.stores: dict[str, dict[str, Any]] = {}
        logging.getLogger("uvicorn.error").addFilter(LOST_ANSWERS)  # added once, however many simulators
        self._handlers: dict[str, Callable[[Call], Awaitable[Response]]] = {}
        for name in dir(type(self)):
            fn = getattr(self, name, None)
            route_name = getattr(fn, "_sandbox_route", None)
            if route_name is not None:
                self.routes[route_name]
                self._handlers[route_name] = fn  # type: ignore[assignment]
        missing = [r.name for r in self.routes if r.name not in self._handlers]
        if missing:
            raise TypeError(f"{type(self).__name__} has no handler for routes {missing}")
        self.reset()

    # ---- hooks for subclasses -------------------------------------------------------------
    def load(self, world: World) -> None:
        """Build this vendor's records from the world into ``self.stores``."""
        raise NotImplementedError  # every simulator overrides it; the base has no vendor data

    async def authenticate(self, call: Call) -> None:
        """Set ``call.client`` and ``call.scopes`` or raise SandboxError(401/403)."""
        raise NotImplementedError  # every simulator overrides it with its vendor's scheme

    def error_body(self, status: int, message: str) -> Any:
        """The vendor's error body for a status and message."""
        return {"message": message}

    def rate_limit_headers(self, decision: RateDecision) -> dict[str, str]:
        """Headers describing the client's budget, on every answer and on the 429."""
        headers = {"X-RateLimit-Limit": str(decision.limit), "X-RateLimit-Remaining": str(decision.remaining)}
        if not decision.allowed:
            headers["Retry-After"] = str(decision.retry_after_s)
        return headers

    # ---- state -----------------------------------------------------------------------------
    def reset(self) -> None:
        # Reseeded so that load() draws the same stream every time: a reset restores the same data.
        self.rng = random.Random(f"{self.vendor}:{self.options.seed}")
        self.log.clear()
        self.faults.clear()
        self.buckets.clear()
        self.stores = {}
        self.world = self._world_factory()
        self.load(self.world)

    def token_ttl_s(self) -> float:
        return float(self.faults.value("token_ttl_s", None) or self.default_token_ttl_s)

    def rate_limit(self) -> tuple[int, float] | None:
        bucket = self.faults.value("rate_limit_bucket", None)
        refill = self.faults.value("rate_limit_refill_s", None)
        if bucket is None and refill is None:
            return self.default_rate_limit
        default_bucket, default_refill = self.default_rate_limit or (500, 5.0)
        return int(bucket if bucket is not None else default_bucket), float(refill or default_refill)

    # ---- ASGI ------------------------------------------------------------------------------
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        if scope["path"].startswith("/_sandbox/"):
            await (await self._control(request))(scope, receive, send)
            return
        started, started_at, generation = time.perf_counter(), time.time(), self.log.generation
        route, response, decision = await self._serve(request)
        if decision.lose_answer:
            await _lose(response, send)
        else:
            await response(scope, receive, send)
        self.log.record(scope["method"], scope["path"], scope.get("query_string", b"").decode("latin-1"),
                        response.status_code, (time.perf_counter() - started) * 1000, route.key if route else None,
                        request.headers.get("traceparent"), started_at=started_at, lost=decision.lose_answer,
                        generation=generation)

    def _error(self, status: int, message: str, headers: dict[str, str] | None = None, body: Any = None) -> Response:
        content = body if body is not None else self.error_body(status, message)
        return JSONResponse(content, status_code=status, headers=headers)

    async def _serve(self, request: Request) -> tuple[Route | None, Response, Decision]:
        method = request.method
        # Routed on the path as sent, each parameter decoded after: a %2F inside an id stays in that id, as on
        # a vendor that routes on the raw path (routing the decoded path would read it as another route).
        raw = request.scope.get("raw_path")
        path = raw.decode("latin-1") if raw else request.url.path
        route, params, path_known = self.routes.resolve(method, path)
        params = {name: unquote(value) for name, value in params.items()}
        decision = self.faults.decide(route.key if route else None, self.base_latency_ms)
        if route is not None and method == "GET" and decision.fail_status is None:
            # A read is answered when its latency has passed since it arrived: a vendor's latency includes
            # its own work. Sleeping first and working after would add this one process's CPU, queued
            # behind every other call that arrived with it, to each call's latency.
            answer_at = time.perf_counter() + decision.delay_s
            answered = await self._answer(request, route, params, decision)
            await _until(answer_at)
            return (*answered, decision)
        if decision.delay_s > 0:
            if route is not None and decision.fail_status is None:
                # The write has arrived in full before the vendor works on it: a caller that gives up waiting meanwhile
                # does not undo it (read after the wait, its body was gone with the caller: never applied, a 500).
                with contextlib.suppress(ClientDisconnect):
                    await request.body()
            await _until(time.perf_counter() + decision.delay_s)
        if route is None:
            return None, self._error(405 if path_known else 404,
                                     "Method Not Allowed" if path_known else "Not Found"), decision
        if decision.fail_status is not None:
            headers = {}
            if decision.fail_status == 429:
                retry = RateDecision(False, (self.rate_limit() or (0, 0))[0], 0,
                                     time.time() + decision.retry_after_s)
                headers = self.rate_limit_headers(retry)
            return route, self._error(decision.fail_status, _REASONS.get(decision.fail_status, "Injected fault"),
                                      headers), decision
        return (*await self._answer(request, route, params, decision), decision)

    async def _answer(self, request: Request, route: Route, params: dict[str, str],
                      decision: Decision) -> tuple[Route, Response]:
        """The handler's answer (or its error), with rate-limit headers and the malformed-body fault applied."""
        call = Call(request, route, params)
        rate_headers: dict[str, str] = {}
        try:
            size = int(request.headers.get("content-length") or 0)
            if self.max_body_bytes is not None and size > self.max_body_bytes:
                raise SandboxError(413, f"request body exceeds {self.max_body_bytes // 1_000_000} MB")
            if route.name not in self.public_routes:
                await self.authenticate(call)
                limit = self.rate_limit()
                if limit is not None and call.client is not None:
                    rate = self.buckets.take(call.client, *limit)
                    rate_headers = self.rate_limit_headers(rate)
                    if not rate.allowed:
                        raise SandboxError(429, "Too Many Requests", headers=rate_headers)
            response = await self._handlers[route.name](call)
        except SandboxError as exc:
            response = self._error(exc.status, exc.message, {**rate_headers, **exc.headers}, exc.body)
        except ClientDisconnect:  # the caller left before its body was in: nothing to apply, no one to answer
            log.info("%s sandbox: the caller of %s left before sending its body", self.vendor, route.name)
            response = self._error(400, "request body incomplete")
        except Exception:
            log.exception("%s sandbox handler %s failed", self.vendor, route.name)
            response = self._error(500, "Internal Server Error")
        for name, value in rate_headers.items():
            response.headers.setdefault(name, value)
        if decision.malformed and response.status_code < 300:
            response = Response(b'{"data": [{"id": 1, "trunc', status_code=response.status_code,
                                media_type="application/json")
        return route, response

    # ---- controls ----------------------------------------------------------------------------
    async def _control(self, request: Request) -> Response:
        path, method = request.url.path, request.method
        try:
            if path == "/_sandbox/requests" and method == "GET":
                limit = request.query_params.get("limit")
                return JSONResponse(self.log.snapshot(int(limit) if limit else None))
            if path == "/_sandbox/reset" and method == "POST":
                self.reset()
                return JSONResponse({"reset": True})
            if path == "/_sandbox/faults" and method == "POST":
                body = json.loads(await request.body() or b"{}")
                if not isinstance(body, dict):
                    raise FaultError("fault body must be a JSON object")
                self.faults.set(body, {r.key for r in self.routes})
                return JSONResponse(self._fault_state())
            if path == "/_sandbox/faults" and method == "GET":
                return JSONResponse(self._fault_state())
            if path == "/_sandbox/routes" and method == "GET":
                return JSONResponse([
                    {"name": r.name, "method": r.method, "path": r.path, "provenance": str(r.provenance),
                     "note": r.note} for r in self.routes])
            if path.startswith("/_sandbox/records/") and method == "GET":
                return self._records(path.removeprefix("/_sandbox/records/").split("/", 1))
        except (FaultError, ValueError) as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse({"error": f"no sandbox control {method} {path}"}, status_code=404)

    def _fault_state(self) -> dict[str, Any]:
        return {"global": self.faults.global_faults.as_dict(),
                "routes": {k: v.as_dict() for k, v in self.faults.by_route.items()}}

    def _records(self, parts: list[str]) -> Response:
        kind = parts[0]
        if kind not in self.stores:
            return JSONResponse({"error": f"no records of kind {kind!r}", "kinds": sorted(self.stores)}, 404)
        if len(parts) == 1 or not parts[1]:
            return JSONResponse({"kind": kind, "count": len(self.stores[kind]), "ids": list(self.stores[kind])})
        record = self.stores[kind].get(parts[1])
        if record is None:
            return JSONResponse({"error": f"no {kind} {parts[1]!r}"}, 404)
        return JSONResponse(record)


_REASONS = {
    400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 429: "Too Many Requests",
    500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
}
