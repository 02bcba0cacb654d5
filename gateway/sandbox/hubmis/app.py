"""WCBS HUBmis simulator: client-credentials token, Realm header, a bucket of 500 refilling 1 per 5 s."""

from __future__ import annotations

import secrets
import time
from typing import Any

from starlette.responses import JSONResponse, Response

from gateway.sandbox import credentials as creds
from gateway.sandbox.ratelimit import RateDecision
from gateway.sandbox.simulator import Call, SandboxError, Simulator, handles
from gateway.sandbox.world import HUBMIS, World
from gateway.vendors.hubmis.routes import ROUTES


class HubmisSimulator(Simulator):
    vendor = "hubmis"
    routes = ROUTES
    public_routes = frozenset({"get_token"})
    default_rate_limit = (500, 5.0)
    default_token_ttl_s = 900.0

    def load(self, world: World) -> None:
        self.tokens: dict[str, tuple[str, float]] = {}
        self.stores["students"] = {
            str(p.hubmis_id): {"id": p.hubmis_id, "external_id": p.key, "first_name": p.first_name,
                               "last_name": p.last_name}
            for p in world.students(HUBMIS)
        }

    def rate_limit_headers(self, decision: RateDecision) -> dict[str, str]:
        headers = {"X-RateLimit-Limit": str(decision.limit), "X-RateLimit-Remaining": str(decision.remaining)}
        if not decision.allowed:
            headers["X-RateLimit-Retry-After"] = str(int(decision.retry_at) + 1)
        return headers

    def error_body(self, status: int, message: str) -> Any:
        return {"message": message}

    async def authenticate(self, call: Call) -> None:
        header = call.request.headers.get("authorization", "")
        found = self.tokens.get(header.removeprefix("Bearer ").strip())
        if not header.startswith("Bearer ") or found is None or found[1] < time.time():
            raise SandboxError(401, "Unauthenticated.")
        if call.request.headers.get("realm") != creds.HUBMIS_REALM:
            raise SandboxError(400, "The Realm header is required and must name a realm of this client.")
        call.client = found[0]

    @handles("get_token")
    async def get_token(self, call: Call) -> Response:
        ctype = call.request.headers.get("content-type", "")
        if ctype.startswith("application/json"):
            body = await call.json()
        else:
            body = dict(await call.request.form())
        if (body.get("grant_type"), body.get("client_id"), body.get("client_secret")) != (
                "client_credentials", creds.HUBMIS_CLIENT_ID, creds.HUBMIS_CLIENT_SECRET):
            raise SandboxError(401, "Client authentication failed")
        ttl = self.token_ttl_s()
        token = secrets.token_hex(24)
        self.tokens[token] = (creds.HUBMIS_CLIENT_ID, time.time() + ttl)
        return JSONResponse({"token_type": "Bearer", "expires_in": int(ttl), "access_token": token})

    @handles("get_student")
    async def get_student(self, call: Call) -> Response:
        student = self.stores["students"].get(call.params["id"])
        if student is None:
            raise SandboxError(404, "Not Found")
        return JSONResponse(student)
