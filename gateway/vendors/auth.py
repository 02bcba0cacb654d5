"""Credentials that look after themselves: a static PAT, OAuth client credentials, and API key -> JWT.

Tokens are fetched on first use (or at start-up), renewed before they expire, fetched by one
caller at a time however many wait (single flight: the callers waiting on an exchange share its
outcome, its failure included, rather than each sending its own once it failed), and renewed once
more after a 401. While a renewal runs ahead of the expiry, calls go on with the token they have,
so an exchange that fails or hangs then costs no call; only an expired (or refused) token waits for
it. A static token cannot be renewed, so its 401 is final.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from gateway.vendors.config import Secret
from gateway.vendors.errors import MissingScope, VendorAuthError, VendorError, VendorProtocolError
from gateway.vendors.routes import Route

# (route, params, form, headers) -> (status, parsed JSON body); raises VendorError subclasses.
TokenCall = Callable[[Route, dict[str, str], dict[str, str] | None, dict[str, str]], Awaitable[tuple[int, Any]]]


class Auth(Protocol):
    async def headers(self) -> dict[str, str]: ...

    async def renew(self, stale: dict[str, str]) -> None: ...

    @property
    def renewable(self) -> bool:
        """Whether ``renew`` can obtain another credential, so that a call refused with 401 is worth sending again."""
        ...

    @property
    def ready(self) -> bool: ...


def _renew_margin(lifetime_s: float) -> float:
    """Renew a little before expiry: 10% of the lifetime, between 1 s and 5 minutes."""
    return min(300.0, max(1.0, lifetime_s * 0.1))


class StaticBearer:
    """Stellic: a personal access token sent as a bearer header; it does not expire by itself."""

    def __init__(self, token: Secret) -> None:
        self._token = token

    async def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token.reveal()}"}

    async def renew(self, stale: dict[str, str]) -> None:
        return None  # nothing to renew: a 401 on a PAT is final

    @property
    def renewable(self) -> bool:
        return False

    @property
    def ready(self) -> bool:
        return bool(self._token)


class _RenewingToken:
    """Shared single-flight renewal for tokens with a lifetime."""

    vendor = ""

    def __init__(self, call: TokenCall, route: Route) -> None:
        self._call, self._route = call, route
        self._token: str | None = None
        self._renew_at = 0.0  # monotonic
        # Until when the token may still be sent while its renewal runs (monotonic): halfway between the renewal time
        # and its expiry, which the vendor counts from its own clock.
        self._usable_until = 0.0
        # The exchange in flight, which every caller needing a token meanwhile awaits; None between exchanges.
        self._exchange: asyncio.Future[str] | None = None
        self._failed = False  # whether the latest exchange failed

    @property
    def renewable(self) -> bool:
        return True

    @property
    def ready(self) -> bool:
        """A token was obtained and, once past the time it may still be sent while renewed, renewing it has not
        failed: one that came due while no call needed it is renewed by the next call, and one whose renewal failed
        ahead of its expiry is still sent, so the vendor is no less able to serve (/readyz)."""
        return self._token is not None and (time.monotonic() < self._usable_until or not self._failed)

    async def _fetch(self) -> tuple[str, float]:
        raise NotImplementedError  # each credential type says how it obtains a token

    async def _ensure(self, force: bool = False, stale: str | None = None) -> str:
        token, now = self._token, time.monotonic()
        usable = token is not None and (not force or token != stale)  # after a 401: unless renewed since
        if usable and now < self._renew_at:
            assert token is not None
            return token
        if self._exchange is None:
            self._exchange = asyncio.ensure_future(self._exchanged())
            self._exchange.add_done_callback(self._exchange_done)
        if usable and now < self._usable_until:
            # Renewed ahead of its expiry: the token still works, so the call goes now with it, rather than wait
            # for the exchange, or fail with it when it fails once or hangs (the next call tries again).
            assert token is not None
            return token
        # Shielded: a caller that gives up (its client hung up) does not cancel the exchange the others await.
        return await asyncio.shield(self._exchange)

    async def _exchanged(self) -> str:
        try:
            token, lifetime = await self._fetch()
        except BaseException:
            self._failed = True
            raise
        self._failed = False
        margin, now = _renew_margin(lifetime), time.monotonic()
        self._token, self._renew_at, self._usable_until = token, now + lifetime - margin, now + lifetime - margin / 2
        return token

    def _exchange_done(self, exchange: asyncio.Future[str]) -> None:
        self._exchange = None  # the next caller needing a token, after a failure too, sends a new exchange
        if not exchange.cancelled():
            exchange.exception()  # retrieved here; each caller that awaited it has it raised

    async def renew(self, stale: dict[str, str]) -> None:
        await self._ensure(force=True, stale=stale.get("Authorization", "").removeprefix("Bearer "))


class ClientCredentials(_RenewingToken):
    """HUBmis: ``POST /api/v1/token`` with client id and secret; bearer token plus the ``Realm`` header."""

    vendor = "hubmis"

    def __init__(self, call: TokenCall, route: Route, client_id: str, secret: Secret, realm: str,
                 academic_year_id: int | None = None) -> None:
        super().__init__(call, route)
        self._client_id, self._secret, self._realm = client_id, secret, realm
        self._year = academic_year_id

    async def _fetch(self) -> tuple[str, float]:
        form = {"grant_type": "client_credentials", "client_id": self._client_id,
                "client_secret": self._secret.reveal()}
        status, body = await self._call(self._route, {}, form, {})
        if status in (400, 401):  # the exchange returns a 400 only when OAuth's error says the client was refused
            raise VendorAuthError(self.vendor, "the client id or secret was refused", status=status,
                                  route=self._route.key)
        try:
            return str(body["access_token"]), float(body.get("expires_in") or 900)
        except (KeyError, TypeError, ValueError) as exc:
            raise VendorProtocolError(self.vendor, "token answer without access_token", route=self._route.key) from exc

    async def headers(self) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {await self._ensure()}", "Realm": self._realm}
        if self._year is not None:
            headers["academic-year-id"] = str(self._year)
        return headers


class ApiKeyJwt(_RenewingToken):
    """Dartmouth: the raw API key exchanged at ``POST /api/jwt?scope=...`` for a JWT with those scopes.

    Every configured scope must come back in ``accepted_scopes``; a missing one is an error
    (``MissingScope``), not a silent gap in the data later."""

    vendor = "dartmouth"

    def __init__(self, call: TokenCall, route: Route, api_key: Secret, scopes: tuple[str, ...]) -> None:
        super().__init__(call, route)
        self._key, self.scopes = api_key, scopes
        self.accepted_scopes: tuple[str, ...] = ()

    async def _fetch(self) -> tuple[str, float]:
        params = {"scope": " ".join(self.scopes)} if self.scopes else {}
        status, body = await self._call(self._route, params, None, {"Authorization": self._key.reveal()})
        if status in (400, 401):
            raise VendorAuthError(self.vendor, "the API key was refused", status=status, route=self._route.key)
        try:
            jwt, accepted, exp = str(body["jwt"]), list(body.get("accepted_scopes") or []), body["payload"]["exp"]
        except (KeyError, TypeError) as exc:
            raise VendorProtocolError(self.vendor, "JWT answer without jwt/payload.exp", route=self._route.key) from exc
        missing = [s for s in self.scopes if s not in accepted]
        if missing:
            raise MissingScope(self.vendor, missing)
        self.accepted_scopes = tuple(accepted)
        return jwt, max(1.0, float(exp) - time.time())

    async def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {await self._ensure()}"}


__all__ = ["ApiKeyJwt", "Auth", "ClientCredentials", "StaticBearer", "TokenCall", "VendorError"]
