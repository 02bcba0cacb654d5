"""The shared request path every vendor client uses: auth, rate budget, retry, timeout, breaker, cache, errors.

A vendor client only declares its routes, credentials and payload parsing; all cross-cutting
policy lives here. Nothing from aiohttp escapes this module: transport failures become the
``gateway.vendors.errors`` tree. Every attempt is logged as one structured line and counted.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import time
from collections.abc import Mapping, Sequence
from contextvars import Context, ContextVar
from typing import Any, ClassVar, TypeVar

import aiohttp

from gateway.eager import leave_eager_step
from gateway.vendors.auth import Auth
from gateway.vendors.breaker import BreakerState, CircuitBreakers, Role
from gateway.vendors.budget import current_budget
from gateway.vendors.cache import ResponseCache
from gateway.vendors.config import HttpPolicy
from gateway.vendors.errors import (
    CircuitOpen,
    VendorAuthError,
    VendorError,
    VendorForbidden,
    VendorNotFound,
    VendorProtocolError,
    VendorRateLimited,
    VendorUnavailable,
    WriteOutcomeUnknown,
)
from gateway.vendors.pool import preconnect
from gateway.vendors.ratelimit import RateBudget, RateWaitTooLong
from gateway.vendors.reply import KEPT_HEADERS, Malformed, Params, Reply, client_error, parse_body, retry_at
from gateway.vendors.routes import NotAPathSegment, Route, RouteTable
from gateway.vendors.stats import Exchange, UpstreamStats

log = logging.getLogger("campusgraph.upstream")
T = TypeVar("T")

# How long a record's 404 is cached at most: an absence is cheap to check again and is what changes first (a record
# created elsewhere), and a vendor wrongly answering 404 for a while is not remembered past it.
NOT_FOUND_TTL_S = 60.0


# True in a ``background_context()``: calls the gateway makes on its own, for no user's request (task polls, the
# enrollment watch, the crosswalk's and FERPA index refreshes). Their failures do not count toward their route's
# circuit breaker (``VendorClient._failed_attempt``).
_background: ContextVar[bool] = ContextVar("campusgraph_background", default=False)


def background_context() -> Context:
    """A fresh context (no request's call budget) for a task that calls vendors on the gateway's own behalf.

    Its calls go out while their route's circuit is closed, and a failure of theirs is not counted, so a route
    background work reads most (Dartmouth's task status) failing cannot open the circuit for users' calls of it
    (``task(id:)``), nor keep it open. They still respect the breaker: refused while the circuit is open (their
    own schedule tries again), and after the reset time one may probe, which closes the circuit if it succeeds
    and, if it fails, leaves it half-open for the next call to probe (a background failure is no verdict)."""
    context = Context()
    context.run(_background.set, True)
    return context


def _ttl_of(answer: dict[str, Any], ttl: float) -> float:
    return min(ttl, NOT_FOUND_TTL_S) if answer.get("status") == 404 else ttl


# OAuth 2.0 (RFC 6749, 5.2) answers a client it does not know, or whose secret is wrong, with 400 invalid_client
# unless the client sent its credentials in an Authorization header (the gateway sends them in the body).
_OAUTH_REFUSALS = frozenset({"invalid_client", "unauthorized_client", "invalid_grant"})


def _oauth_refusal(status: int, body: Any) -> bool:
    return status == 400 and isinstance(body, dict) and body.get("error") in _OAUTH_REFUSALS


class _Transport(Exception):
    """Internal: the exchange failed below HTTP; ``sent`` says whether the request may have reached the vendor."""

    def __init__(self, message: str, sent: bool, timed_out: bool = False, cause: str = "") -> None:
        super().__init__(message)
        self.sent, self.timed_out = sent, timed_out
        self.cause = cause  # aiohttp's exception class, for the log line only

    @property
    def logged(self) -> str:
        return f"{self} ({self.cause})" if self.cause else str(self)


class VendorClient:
    """Base client: one aiohttp session, opened by ``start()`` and closed by ``close()``."""

    vendor: ClassVar[str]
    routes: ClassVar[RouteTable]

    auth: Auth  # set by each vendor's client, usually around ``self.token_call``

    def __init__(self, base_url: str, http: HttpPolicy, *, cache: ResponseCache,
                 stats: UpstreamStats | None = None, rate: RateBudget | None = None, variant: str = "",
                 breakers: CircuitBreakers | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.http, self.cache, self.rate = http, cache, rate
        self.stats = stats or UpstreamStats()
        self.variant = variant  # what the answers depend on besides the URL (the credential's scopes)
        # One per route (gateway/vendors/breaker.py); a second client of the same vendor (another credential)
        # shares its first one's.
        self.breakers = breakers or CircuitBreakers(http.breaker_failures, http.breaker_reset_s)
        self._retry_tokens = 10.0
        self._session: aiohttp.ClientSession | None = None
        # The latest failure of an exchange with the vendor (`vendors { lastError }`, /readyz): what it answered
        # or failed to, not the gateway's own refusals (an open circuit, a spent budget) nor a 404 or 400, which
        # are the vendor working.
        self.last_error: dict[str, Any] | None = None

    def _note(self, error: VendorError) -> None:
        """Remember a failure the vendor showed: no answer, 5xx, 429, refused credentials, an answer out of
        contract. Its message is the error's own, which holds no credential, URL or body."""
        if isinstance(error, VendorUnavailable | VendorRateLimited | VendorAuthError | VendorForbidden
                      | VendorProtocolError) and not isinstance(error, CircuitOpen):  # held back, not shown
            self.last_error = {"code": error.code, "status": error.status, "message": error.message,
                               "route": error.route, "at": time.time()}

    # ---- lifecycle -------------------------------------------------------------------------
    async def start(self) -> None:
        if self._session is None:
            connector = aiohttp.TCPConnector(limit=self.http.max_connections)
            # sock_connect, not connect: aiohttp's connect timeout also covers waiting for a free pooled
            # connection, so under load queued calls failed as "could not connect" and opened the breaker.
            timeout = aiohttp.ClientTimeout(total=self.http.timeout_s, sock_connect=self.http.connect_timeout_s)
            self._session = aiohttp.ClientSession(connector=connector, timeout=timeout,
                                                  headers={"User-Agent": "campusgraph"})

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    @property
    def session_open(self) -> bool:
        return self._session is not None and not self._session.closed

    async def prepare(self) -> None:
        """Obtain credentials now, so a refused key or a missing scope fails start-up, not a query."""
        await self.auth.headers()

    async def preconnect(self) -> int:
        """Open ``http.preconnect`` idle connections to the vendor (``gateway.vendors.pool``)."""
        if self._session is None:
            return 0
        return await preconnect(self._session, self.base_url, self.http.preconnect)

    async def token_call(self, route: Route, params: dict[str, str], form: dict[str, str] | None,
                         headers: dict[str, str]) -> tuple[int, Any]:
        """A credential exchange: no auth, cache or rate budget; 2xx and a refusal of the credentials (401, or an OAuth
        400 saying so) are returned, the rest raised. It goes through its route's circuit breaker like any call: every
        request needing a token waits for the exchange, so one that hangs or fails would otherwise cost each of them
        its timeout for as long as it lasts. A 5xx or a connection that failed is tried again as a read is
        (``RETRIES``, one retry at a time, none once the circuit opens): one lost exchange failed every field of the
        vendor in the requests waiting for it."""
        breaker = self.breakers.of(route.key)
        role = Role.CALL
        attempt = 0
        failed: VendorError | None = None  # what the attempt before saw: a retry the circuit refuses reports it
        while True:
            attempt += 1
            try:
                role = await self._breaker_role(route, role, failed)
            except BaseException:
                breaker.release(role)  # a lead retry that never went out tells its followers nothing
                raise
            started = time.perf_counter()
            self.stats.emit("token", vendor=self.vendor, route=route.key)
            again = False
            try:
                reply = await self._observed(route, attempt, self.base_url + route.url(), params or None, None,
                                             headers, form=form)
            except _Transport as exc:
                self._failed_attempt(route, None, role)
                self._log(route, 0, started, attempt, error=exc.logged)
                failed = VendorUnavailable(self.vendor, f"credential exchange failed: {exc}", route=route.key)
                again = not exc.timed_out  # a timed-out one has cost its callers the whole timeout already
            except Malformed as exc:
                self._failed_attempt(route, exc.status, role)
                self._malformed(route, exc)
                failed = exc
            except BaseException:
                breaker.release(role)
                raise
            else:
                self._log(route, reply.status, started, attempt)
                if reply.status >= 500:
                    self._failed_attempt(route, reply.status, role)
                    failed = VendorUnavailable(self.vendor, "credential exchange failed", status=reply.status,
                                               route=route.key)
                    again = True
                else:
                    self.breakers.succeeded(breaker)  # a refusal (401, 4xx, 429) is the vendor working
                    if reply.status < 300:
                        return reply.status, reply.body
                    if reply.status == 401 or _oauth_refusal(reply.status, reply.body):
                        self._note(VendorAuthError(self.vendor, "the vendor refused the gateway's credentials",
                                                   status=reply.status, route=route.key))  # the caller decides
                        return reply.status, reply.body
                    # The exchange route always exists: a 404 is a base URL that is not the vendor's (its API path
                    # given twice, another host), not "no such record", which would read as no such person.
                    failed = (VendorProtocolError(self.vendor, "credential exchange failed: HTTP 404, no credential "
                                                  "route at the configured base URL", status=404, route=route.key)
                              if reply.status == 404 else client_error(self.vendor, route, reply))
                    if isinstance(failed, VendorRateLimited):  # no call goes until the vendor's retry-after (HUBmis')
                        self.stats.emit("rate_limited", vendor=self.vendor, route=route.key)
                        if self.rate is not None and failed.retry_after_s is not None:
                            await self.rate.observe(retry_at=time.time() + failed.retry_after_s)
            self._note(failed)
            next_role = await self._may_retry(route, attempt, again, failed=True) if again else None
            if next_role is None:
                raise failed
            role = next_role

    # ---- the two entry points ---------------------------------------------------------------
    async def get(self, route: Route, *, path: Mapping[str, Any] | None = None, params: Params | None = None,
                  ttl: float = 0.0) -> Reply:
        """A read, served from the cache when ``ttl`` > 0 and a fresh answer is there; retried on failure."""
        if ttl <= 0 or not self.cache.enabled:
            return await self._call(route, path, params)
        started = time.perf_counter()
        query = dict(params or {})
        found = self.cache.lookup_now(self.vendor, route.name, path, query, self.variant)
        key, cached = found if found is not None else await self._look_up_shared(route, path, query)
        hit = cached is not None
        if not hit:
            cached, hit = await self.cache.fetch_missing(key, ttl, lambda: self._as_dict(route, path, params),
                                                         ttl_of=lambda answer: _ttl_of(answer, ttl))
        self.stats.emit("cache", vendor=self.vendor, route=route.key, hit=hit)
        if hit:
            budget = current_budget.get()
            if budget is not None:
                budget.cache_hits[self.vendor] += 1
            self._log(route, cached["status"], started, 0, cache="hit")
        # The memory cache holds this very dict, so models kept in it serve every later hit.
        models = cached.setdefault("models", {}) if self.cache.local else None
        reply = Reply(cached["status"], cached["headers"], cached["body"], models)
        if reply.status == 404:
            raise client_error(self.vendor, route, reply)
        return reply

    async def send(self, route: Route, *, path: Mapping[str, Any] | None = None, params: Params | None = None,
                   json_body: Any = None) -> Reply:
        """A write: sent once. Only an answer lost after sending is reported as WriteOutcomeUnknown."""
        return await self._call(route, path, params, json_body=json_body)

    async def cached(self, route: Route, *, path: Mapping[str, Any] | None = None,
                     params: Params | None = None) -> bool:
        """Whether a fresh answer to this read is in the cache (asks the cache only, never the vendor)."""
        if not self.cache.enabled:
            return False
        return await self.cache.exists(await self.cache.key(self.vendor, route.name, path, dict(params or {}),
                                                            self.variant))

    def cached_now(self, route: Route, *, path: Mapping[str, Any] | None = None,
                   params: Params | None = None) -> bool:
        """Whether this process's memory holds a fresh answer to this read now, so ``get`` answers it without
        waiting; False where that cannot be known without a round trip (Redis: ask ``cached``)."""
        if not self.cache.enabled:
            return False
        found = self.cache.lookup_now(self.vendor, route.name, path, dict(params or {}), self.variant)
        return found is not None and found[1] is not None

    async def cached_not_found(self, route: Route, *, path: Mapping[str, Any] | None = None,
                               params: Params | None = None) -> bool:
        """Whether the cache holds this read's answer and it is a 404: the vendor has said, within the read's
        TTL, that there is no such record (asks the cache only, never the vendor)."""
        if not self.cache.enabled:
            return False
        query = dict(params or {})
        found = self.cache.lookup_now(self.vendor, route.name, path, query, self.variant)
        _, cached = found if found is not None else await self._look_up_shared(route, path, query)
        return isinstance(cached, dict) and cached.get("status") == 404

    async def _look_up_shared(self, route: Route, path: Mapping[str, Any] | None,
                              query: dict[str, Any]) -> tuple[str, Any]:
        """The cache's (key, answer) for a read the memory cache could not settle at once: a Redis round trip."""
        await leave_eager_step()
        return await self.cache.lookup(self.vendor, route.name, path, query, self.variant)

    async def invalidate(self, route: Route, *, path: Mapping[str, Any] | None = None,
                         params: Params | None = None) -> None:
        """Forget the cached answer of one read, so the next one asks the vendor."""
        await self.invalidate_all([(route, path, params)])

    async def invalidate_all(self, reads: Sequence[tuple[Route, Mapping[str, Any] | None, Params | None]]) -> None:
        """Forget the cached answers of several reads (route, path, query parameters) at once."""
        await self.cache.forget(self.vendor, [(route.name, path, dict(params or {})) for route, path, params in reads],
                                self.variant)

    async def invalidate_route(self, route: Route) -> None:
        await self.cache.invalidate_route(self.vendor, route.name)

    async def _as_dict(self, route: Route, path: Mapping[str, Any] | None, params: Params | None) -> dict[str, Any]:
        """The answer to cache. A record's 404 is cached too (``NOT_FOUND_TTL_S`` at most): asking again for a
        record that is not there would spend a call on every request that mentions it."""
        try:
            return (await self._call(route, path, params)).as_dict()
        except VendorNotFound as exc:
            return {"status": 404, "headers": {}, "body": getattr(exc, "detail", None)}

    # ---- the request path -------------------------------------------------------------------
    async def _call(self, route: Route, path: Mapping[str, Any] | None, params: Params | None,
                    json_body: Any = None) -> Reply:
        await leave_eager_step()  # what follows waits on the vendor
        try:
            url = self.base_url + route.url(**dict(path or {}))
        except NotAPathSegment as exc:  # no record has such a key: answered as the vendor would, without a call
            raise VendorNotFound(self.vendor, f"no such record: {exc}", route=route.key) from None
        retryable = route.method == "GET" and route.repeatable
        breaker = self.breakers.of(route.key)
        self._retry_tokens = min(10.0, self._retry_tokens + self.http.retry_budget_ratio)
        attempt, renewed, answer_lost = 0, False, False
        # The call's waits for a rate slot and for 429s' retry-after share one limit over all its attempts: were
        # each attempt allowed it anew, a read of a rate-limiting vendor would wait three times as long.
        rate_deadline = time.monotonic() + self.http.max_retry_wait_s
        role = Role.CALL
        observed: VendorError | None = None  # what this call would report had it not been retried
        while True:
            attempt += 1
            try:
                budget = current_budget.get()
                if budget is not None:
                    budget.spend(self.vendor, route.key)
                role = await self._admit(route, role, observed, rate_deadline)
                if budget is not None:
                    budget.check_client(self.vendor, route.key)  # it may have hung up while this waited
            except BaseException:
                breaker.release(role)  # a lead retry that never went out tells its followers nothing
                raise
            sent_headers: dict[str, str] = {}
            started = time.perf_counter()
            try:
                sent_headers = await self.auth.headers()
                reply = await self._observed(route, attempt, url, params, json_body, sent_headers)
            except _Transport as exc:
                self._failed_attempt(route, None, role)
                self._log(route, 0, started, attempt, error=exc.logged)
                answer_lost = answer_lost or exc.sent
                if not retryable and exc.sent:
                    observed = WriteOutcomeUnknown(self.vendor, "the write was sent but its answer was lost "
                                                   f"({exc}); it may or may not have been applied", route=route.key)
                else:
                    observed = VendorUnavailable(self.vendor, str(exc), route=route.key)
                self._note(observed)
                # A write is sent again only where repeating it cannot change the outcome (PUT or DELETE of a
                # named record); any other write whose answer was lost may or may not have been applied. A read
                # that timed out is not sent again: its caller has waited the whole timeout already, and the other
                # vendors' fields wait with it (three attempts of a vendor answering in 15 s took 32 s).
                again = (retryable and not exc.timed_out) or (not retryable and route.idempotent)
                next_role = await self._may_retry(route, attempt, again, failed=True)
                if next_role is None:
                    raise observed from None
                role = next_role
                continue
            except Malformed as exc:
                self._failed_attempt(route, exc.status, role)
                self._malformed(route, exc)
                self._note(exc)
                raise
            except BaseException as exc:
                breaker.release(role)
                if isinstance(exc, VendorError):  # the credential could not be had (auth.headers)
                    self._note(exc)
                raise
            self._log(route, reply.status, started, attempt)
            if reply.status < 400:
                self.breakers.succeeded(breaker)
                if not retryable and budget is not None:
                    budget.writes_applied += 1
                await self._observe_rate(reply.headers)
                return reply
            # Sent again once with a renewed credential; a static one would be refused again (and a write doubled).
            if reply.status == 401 and not renewed and self.auth.renewable:
                self.breakers.succeeded(breaker)
                role, renewed = Role.CALL, True
                attempt -= 1  # a renewal is not a retry
                await self.auth.renew(sent_headers)
                continue
            if reply.status == 429:
                self.breakers.succeeded(breaker)
                until = retry_at(reply.headers) or time.time() + 1.0
                wait = max(0.0, until - time.time())
                self.stats.emit("rate_limited", vendor=self.vendor, route=route.key)
                if self.rate is not None:
                    await self.rate.observe(retry_at=until)
                observed = VendorRateLimited(self.vendor, "the vendor's rate limit was reached", retry_after_s=wait,
                                             status=429, route=route.key)
                self._note(observed)
                if time.monotonic() + wait <= rate_deadline:
                    next_role = await self._may_retry(route, attempt, retryable, floor=wait)
                    if next_role is not None:
                        role = next_role
                        continue
                raise observed
            if reply.status >= 500:
                self._failed_attempt(route, reply.status, role)
                observed = self._failed(route, reply.status)
                self._note(observed)
                next_role = await self._may_retry(route, attempt, retryable, failed=True)
                if next_role is None:
                    raise observed
                role = next_role
                continue
            self.breakers.succeeded(breaker)
            refusal = client_error(self.vendor, route, reply)
            refusal.after_lost_answer = answer_lost and route.method == "DELETE"
            self._note(refusal)
            raise refusal

    def _failed_attempt(self, route: Route, status: int | None, role: Role) -> None:
        """Tell the route's breaker an attempt failed (5xx, no answer, an answer out of contract). A background call's
        failure is not counted: it only releases the probe or lead retry it held, so the calls waiting on it decide
        again (the next one probes or leads) rather than waiting for a verdict that never comes."""
        if _background.get():
            self.breakers.of(route.key).release(role)
        else:
            self.breakers.failed(route.key, status, role)

    def _failed(self, route: Route, status: int) -> VendorError:
        """The error of a 5xx answer. A read's is the vendor failing. A write's says what it means for the write,
        which is never sent again after a 5xx: a 502 or 504 comes from a front end that had no (good) answer from
        the vendor behind it, so the write may have been applied (WRITE_OUTCOME_UNKNOWN); any other 5xx is the
        vendor's own word that the write failed, not applied (the same Idempotency-Key sends it again)."""
        if route.method == "GET":
            return VendorUnavailable(self.vendor, "the vendor failed to answer", status=status, route=route.key)
        if status in (502, 504):
            return WriteOutcomeUnknown(self.vendor, "the write was sent but its answer was lost (the vendor's front "
                                       f"end answered HTTP {status}: it had no answer from the vendor); it may or "
                                       "may not have been applied", status=status, route=route.key)
        return VendorUnavailable(self.vendor, f"the vendor answered the write with HTTP {status}, a failure: by that "
                                 "answer it was not applied, and the gateway did not send it again", status=status,
                                 route=route.key)

    async def _admit(self, route: Route, role: Role, observed: VendorError | None, rate_deadline: float) -> Role:
        """Fail fast while the breaker is open; otherwise wait for a rate slot, then take the breaker's slot
        (after the reset time, waiting for the probe's outcome if another call is probing). Returns the
        attempt's role: ``role`` (the retry's, if this is one) or the breaker's probe."""
        breaker = self.breakers.of(route.key)
        if breaker.state is BreakerState.OPEN:
            raise self._refusal(route, observed)
        if self.rate is not None:
            try:
                await self.rate.acquire(max(0.0, rate_deadline - time.monotonic()))
            except RateWaitTooLong as exc:
                if isinstance(observed, VendorRateLimited):
                    raise observed from None  # a retry: the 429 its attempt before saw, with its status
                raise VendorRateLimited(self.vendor, "the gateway's share of the vendor's rate limit is spent",
                                        retry_after_s=exc.wait_s, route=route.key) from None
        return await self._breaker_role(route, role, observed)

    async def _breaker_role(self, route: Route, role: Role, observed: VendorError | None) -> Role:
        """The attempt's role once the route's breaker lets it go (after the reset time, waiting for the probe's
        outcome if another call is probing): ``role`` (the retry's, if this is one) or the breaker's probe. Refused
        (the circuit open), it raises the refusal, which reports ``observed`` when an earlier attempt saw it."""
        breaker = self.breakers.of(route.key)
        admitted = await breaker.admit(self.http.timeout_s)
        if admitted is None:
            raise self._refusal(route, observed)
        if admitted is Role.PROBE:
            breaker.release(role)  # a retry that became the probe leads no other retries
            return admitted
        return role

    def _refusal(self, route: Route, observed: VendorError | None) -> VendorError:
        """The error for a call the breaker refused.

        A retry reports the failure its own earlier attempt saw. A read whose request was already running when the
        circuit opened ran into the outage, so it reports that (VENDOR_UNAVAILABLE with the upstream status that
        opened the circuit), not a suspension its own request caused. Any other call is told the circuit is
        open, with that status too."""
        if observed is not None:
            return observed
        breaker = self.breakers.of(route.key)
        status = breaker.last_status
        # Whole seconds, rounded up: a call refused in the circuit's last half second was told "suspended for 0s".
        suspended = f"calls are suspended for {max(1, math.ceil(breaker.retry_in_s()))}s after repeated failures"
        budget = current_budget.get()
        if (route.method == "GET" and budget is not None and breaker.opened_at is not None
                and breaker.opened_at >= budget.started):
            return VendorUnavailable(self.vendor, "the vendor did not answer" if status is None
                                     else "the vendor failed to answer", status=status, route=route.key)
        if breaker.state is BreakerState.HALF_OPEN:
            return CircuitOpen(self.vendor, "a probe call is still checking whether the vendor recovered",
                               status=status, route=route.key)
        return CircuitOpen(self.vendor, suspended, status=status, route=route.key)

    async def _may_retry(self, route: Route, attempt: int, retryable: bool, floor: float = 0.0,
                         failed: bool = False) -> Role | None:
        """The role of the next attempt, or None when this one's outcome is final.

        After a failure (``failed``: 5xx, no answer) one retry at a time goes to the vendor and no retry goes
        while its circuit is not closed: the parallel reads of one request that fail together would otherwise
        each retry, multiplying the calls an unwell vendor gets and opening its circuit on the request's own
        retries. A 429 is retried after its retry-after (``floor``) without that gate."""
        if not retryable or attempt > self.http.retries or self._retry_tokens < 1.0:
            return None
        breaker = self.breakers.of(route.key)
        role = await breaker.admit_retry(self.http.timeout_s + self.http.backoff_max_s) if failed else Role.CALL
        if role is None:
            return None
        self._retry_tokens -= 1.0
        self.stats.emit("retry", vendor=self.vendor, route=route.key, attempt=attempt)
        if role is Role.LEAD or not failed:
            cap = min(self.http.backoff_max_s, self.http.backoff_base_s * 2 ** (attempt - 1))
            try:
                await asyncio.sleep(max(floor, random.uniform(0, cap)))
            except BaseException:
                breaker.release(role)
                raise
        # else the lead retry just succeeded: the vendor answers again, so go now
        return role

    async def _observe_rate(self, headers: Mapping[str, str]) -> None:
        remaining = headers.get("x-ratelimit-remaining")
        if self.rate is not None and remaining is not None and remaining.isdigit():
            await self.rate.observe(remaining=int(remaining))

    async def _observed(self, route: Route, attempt: int, url: str, params: Params | None, json_body: Any,
                        headers: dict[str, str], form: dict[str, str] | None = None) -> Reply:
        """The exchange, inside the stats' exchange hook (tracing) when one is set."""
        hook = self.stats.exchange_hook
        if hook is None:
            return await self._exchange(route.method, url, params, json_body, headers, form=form)
        exchange = Exchange(self.vendor, route.key, route.method, url, attempt, dict(headers))
        with hook(exchange):
            try:
                reply = await self._exchange(route.method, url, params, json_body, exchange.headers, form=form)
            except Exception as exc:
                exchange.error = str(exc) or type(exc).__name__
                raise
            exchange.status = reply.status
            return reply

    async def _exchange(self, method: str, url: str, params: Params | None, json_body: Any,
                        headers: dict[str, str], form: dict[str, str] | None = None) -> Reply:
        if self._session is None:
            raise VendorUnavailable(self.vendor, "client not started")
        try:
            async with self._session.request(method, url, params=params, json=json_body, data=form,
                                             headers=headers, allow_redirects=False) as response:
                raw = await response.read()
                kept = {h: response.headers[h] for h in KEPT_HEADERS if h in response.headers}
                status = response.status
        # Said in words, as each reaches a client in the error's message: not aiohttp's class names.
        except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as exc:
            raise _Transport("could not connect to the vendor", sent=False, cause=type(exc).__name__) from None
        except (TimeoutError, aiohttp.ServerTimeoutError):
            raise _Transport("timed out waiting for the answer", sent=True, timed_out=True) from None
        except aiohttp.ServerDisconnectedError as exc:
            raise _Transport("the vendor closed the connection without answering", sent=True,
                             cause=type(exc).__name__) from None
        except aiohttp.ClientPayloadError as exc:
            raise _Transport("the vendor's answer was cut off", sent=True, cause=type(exc).__name__) from None
        except aiohttp.ClientError as exc:
            raise _Transport("the connection to the vendor failed", sent=True, cause=type(exc).__name__) from None
        return Reply(status, kept, parse_body(self.vendor, raw, kept.get("content-type", ""), status))

    def _malformed(self, route: Route, exc: Malformed) -> None:
        """parse_body knows the body, not the route: the warning and lastError name it here."""
        exc.route = exc.route or route.key
        log.warning("malformed JSON from %s %s (%d bytes)", self.vendor, route.key, exc.size)

    def _log(self, route: Route, status: int, started: float, attempt: int, *, cache: str = "miss",
             error: str | None = None) -> None:
        ms = (time.perf_counter() - started) * 1000
        if cache != "hit":
            self.stats.emit("call", vendor=self.vendor, route=route.key, status=status, ms=ms, attempt=attempt)
        # A call the vendor did not answer well (no answer, 401, 403, 429, 5xx) is INFO; answered calls and cache
        # hits are DEBUG: a 50-student query makes ~175 of them, and writing a line each cost the gateway more
        # CPU than sending the requests (metrics and traces count and time every call regardless).
        failed = cache != "hit" and (status == 0 or status >= 500 or status in (401, 403, 429))
        level = logging.INFO if failed else logging.DEBUG
        if not log.isEnabledFor(level):
            return
        log.log(level, "upstream %s %s -> %s", self.vendor, route.key, status or error, extra={"upstream": {
            "vendor": self.vendor, "route": route.key, "status": status, "ms": round(ms, 1),
            "attempt": attempt, "cache": cache, **({"error": error} if error else {})}})
