"""HUBmis simulator core: OAuth client-credentials tokens, the Realm and academic-year-id headers, errors.

Status codes the sandbox answers with (the seed documents only 401 and 429; the rest are our choices):

- 401 ``{"message": "Unauthenticated."}``: token missing, malformed, unknown (not signed by this sandbox) or expired.
- 400 ``Realm`` header missing: a malformed request, like any missing required parameter.
- 403 ``Realm`` names a realm the client is not registered for: the token is fine, the school is not its to read.
- 422 ``academic-year-id`` not an integer or not an academic year of the realm; filter/page values of the
  wrong type (Laravel validation body ``{"message", "errors": {field: [...]}}``).
- 400 a ``filter[...]``/``sort[...]`` name the endpoint does not allow (spatie/laravel-query-builder style).
- 404 unknown record id, or a non-integer id in the path.
- 429 rate limited, with ``X-RateLimit-Retry-After`` as a Unix timestamp (``X-RateLimit-*`` on every
  authenticated answer). The realm check runs after the rate limiter, so its 400/403 carry the headers too.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import math
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from starlette.responses import Response

from gateway.sandbox import credentials as creds
from gateway.sandbox.hubmis.roster import School
from gateway.sandbox.hubmis.school import Year
from gateway.sandbox.ratelimit import RateDecision
from gateway.sandbox.responses import JSONResponse
from gateway.sandbox.simulator import Call, SandboxError, Simulator, handles
from gateway.sandbox.tokens import VerifiedTokens

# Realms each client may read (one school, as the seed's example S999).
CLIENT_REALMS = {creds.HUBMIS_CLIENT_ID: (creds.HUBMIS_REALM,)}
YEAR_HEADER = "academic-year-id"

H = TypeVar("H", bound="HubmisCore")
Handler = Callable[[Any, Call, Year], Awaitable[Response]]


def endpoint(route_name: str, *, year_sensitive: bool = False) -> Callable[[Handler], Any]:
    """Mark a handler ``(self, call, year)``: checks Realm, then passes the academic year to show.

    ``year`` is the one named by the ``academic-year-id`` header on year-sensitive routes, else the active one.
    """

    def wrap(fn: Handler) -> Any:
        @functools.wraps(fn)
        async def handler(self: HubmisCore, call: Call) -> Response:
            self.check_realm(call)
            year = self.header_year(call) if year_sensitive else self.school.active
            return await fn(self, call, year)

        return handles(route_name)(handler)

    return wrap


def ok(content: Any) -> Response:
    return JSONResponse(content)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class HubmisCore(Simulator):
    """Auth, realm and error handling shared by every HUBmis handler mixin."""

    public_routes = frozenset({"get_token"})
    default_rate_limit = (500, 5.0)  # seed 002: 500 per client, one more every 5 s
    default_token_ttl_s = 900.0  # seed 002: tokens expire after 15 minutes
    school: School

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Tokens are signed, not stored, so they survive POST /_sandbox/reset (the gateway keeps its token
        # across tests); the key lives only in this process.
        self._signing_key = secrets.token_bytes(32)
        self._verified = VerifiedTokens()
        super().__init__(*args, **kwargs)

    # ---- errors and rate-limit headers ------------------------------------------------------------
    def error_body(self, status: int, message: str) -> Any:
        return {"message": message}

    def rate_limit_headers(self, decision: RateDecision) -> dict[str, str]:
        headers = {"X-RateLimit-Limit": str(decision.limit), "X-RateLimit-Remaining": str(decision.remaining)}
        if not decision.allowed:
            # A Unix timestamp (seed 002), rounded up so a client waiting until then is never early.
            headers["X-RateLimit-Retry-After"] = str(math.ceil(decision.retry_at))
        return headers

    # ---- tokens ---------------------------------------------------------------------------------------
    def issue_token(self, client_id: str, ttl_s: float) -> str:
        now = time.time()
        header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        payload = _b64(json.dumps({"iss": "hubmis-sandbox", "sub": client_id, "iat": int(now),
                                   "exp": round(now + ttl_s, 3), "jti": secrets.token_hex(8)}).encode())
        return f"{header}.{payload}.{self._sign(header, payload)}"

    def _sign(self, header: str, payload: str) -> str:
        return _b64(hmac.new(self._signing_key, f"{header}.{payload}".encode(), hashlib.sha256).digest())

    def token_client(self, token: str) -> str | None:
        """The client a valid, unexpired token was issued to; None otherwise."""
        claims = self._verified.claims(token, self._verify)
        if claims is None:
            return None
        if float(claims.get("exp", 0)) <= time.time():
            return None
        client = claims.get("sub")
        return client if isinstance(client, str) else None

    def _verify(self, token: str) -> dict[str, Any] | None:
        """The claims of a token this process signed; None for any other text."""
        parts = token.split(".")
        if len(parts) != 3 or not hmac.compare_digest(parts[2], self._sign(parts[0], parts[1])):
            return None
        try:
            claims = json.loads(_unb64(parts[1]))
        except ValueError:
            return None
        return claims if isinstance(claims, dict) else None

    async def authenticate(self, call: Call) -> None:
        scheme, _, token = call.request.headers.get("authorization", "").partition(" ")
        client = self.token_client(token.strip()) if scheme.lower() == "bearer" else None
        if client is None:
            raise SandboxError(401, "Unauthenticated.")
        call.client = client

    # ---- headers every resource call is checked for --------------------------------------------------
    def check_realm(self, call: Call) -> str:
        realm = call.request.headers.get("realm", "").strip()
        if not realm:
            raise SandboxError(400, "The Realm header is required: send the realm (school) id, e.g. Realm: S999.")
        if realm not in CLIENT_REALMS.get(call.client or "", ()):
            raise SandboxError(403, f"This client has no access to realm {realm!r}.")
        return realm

    def header_year(self, call: Call) -> Year:
        raw = call.request.headers.get(YEAR_HEADER)
        if raw is None or raw.strip() == "":
            return self.school.active
        year = self.school.year(int(raw)) if raw.strip().isdigit() else None
        if year is None:
            known = ", ".join(str(y.id) for y in self.school.years)
            raise SandboxError(422, f"The selected {YEAR_HEADER} is invalid.", body={
                "message": f"The selected {YEAR_HEADER} is invalid.",
                "errors": {YEAR_HEADER: [f"No academic year {raw!r}; known academic years: {known}."]}})
        return year

    # ---- path parameters -------------------------------------------------------------------------------
    @staticmethod
    def path_id(call: Call, name: str = "id") -> int:
        raw = call.params[name]
        if not raw.isdigit():
            raise SandboxError(404, "Not Found")
        return int(raw)

    def path_year(self, call: Call) -> Year:
        year = self.school.year(self.path_id(call, "academicYearId"))
        if year is None:
            raise SandboxError(404, f"Academic year {call.params['academicYearId']} not found.")
        return year

    @staticmethod
    def not_found(kind: str, id_: object) -> SandboxError:
        return SandboxError(404, f"{kind} {id_} not found.")
