"""WCBS HUBmis simulator: a school MIS built from the world, served over the routes in vendors/hubmis/routes.py.

Auth, Realm, academic-year-id and error rules are in ``core.py``; the data is built by ``roster.py``;
handlers live in one mixin per resource family. The token call and its 500-per-client bucket
refilling one request every 5 s follow seed 002; fault switches ``token_ttl_s``,
``rate_limit_bucket`` and ``rate_limit_refill_s`` change them at run time.
"""

from __future__ import annotations

import base64
import binascii
import gc
import secrets
from random import Random
from typing import Any
from urllib.parse import parse_qsl

from starlette.responses import Response

from gateway.sandbox import credentials as creds
from gateway.sandbox.hubmis.core import ok
from gateway.sandbox.hubmis.places import PlaceRoutes
from gateway.sandbox.hubmis.roster import build_school
from gateway.sandbox.hubmis.staff import StaffRoutes
from gateway.sandbox.hubmis.structure import StructureRoutes
from gateway.sandbox.hubmis.students import StudentRoutes
from gateway.sandbox.simulator import Call, SandboxError, handles
from gateway.sandbox.world import World
from gateway.vendors.hubmis.routes import ROUTES

_CLIENTS = {creds.HUBMIS_CLIENT_ID: creds.HUBMIS_CLIENT_SECRET}


class HubmisSimulator(StudentRoutes, StaffRoutes, StructureRoutes, PlaceRoutes):
    vendor = "hubmis"
    routes = ROUTES

    def load(self, world: World) -> None:
        # Hundreds of thousands of small dicts and lists: the cyclic collector would rescan them all
        # several times over while they are built, for nothing (none of them is garbage yet).
        collecting = gc.isenabled()
        gc.disable()
        try:
            # A fresh stream per load: self.rng carries on across resets, and a reset must rebuild the same data.
            self.school = build_school(world, world.seed, Random(f"hubmis:{world.seed}"))
        finally:
            if collecting:
                gc.enable()
        school = self.school
        self.stores = {
            "students": {str(i): s.record for i, s in school.students.items()},
            "staff": {str(i): s.record for i, s in school.staff.items()},
            "contacts": {str(i): c for i, c in school.contacts.items()},
            "houses": {str(i): h for i, h in school.houses.items()},
            "rooms": {str(i): r for i, r in school.rooms.items()},
            "sections": {str(i): s for i, s in school.sections.items()},
            "academic_years": {str(y.id): y.ref() for y in school.years},
            "year_groups": {str(yg.id): yg.record for y in school.years for yg in y.year_groups},
            "departments": {str(d["id"]): d for y in school.years for d in y.departments.values()},
            "subjects": {str(s["id"]): s for y in school.years for s in y.subjects.values()},
            **{f"{kind}s": {str(g.id): g.record for y in school.years for g in y.groups[kind].values()}
               for kind in ("form", "tutor_group", "subject_set")},
        }

    @handles("get_token")
    async def get_token(self, call: Call) -> Response:
        body = await self._token_body(call)
        if body.get("grant_type") != "client_credentials":
            raise SandboxError(400, "The authorization grant type is not supported by the authorization server.",
                               body={"error": "unsupported_grant_type", "message": "The authorization grant type "
                                     "is not supported by the authorization server.",
                                     "error_description": "Only grant_type=client_credentials is supported."})
        client_id, secret = body.get("client_id"), body.get("client_secret")
        if client_id is None and call.request.headers.get("authorization", "").startswith("Basic "):
            client_id, secret = _basic(call.request.headers["authorization"])
        if not client_id or not secrets.compare_digest(str(_CLIENTS.get(str(client_id), "")), str(secret or "x")):
            raise SandboxError(401, "Client authentication failed", body={
                "error": "invalid_client", "error_description": "Client authentication failed",
                "message": "Client authentication failed"})
        ttl = self.token_ttl_s()
        return ok({"token_type": "Bearer", "expires_in": max(1, round(ttl)),
                   "access_token": self.issue_token(str(client_id), ttl)})

    @staticmethod
    async def _token_body(call: Call) -> dict[str, Any]:
        """Seed 002 shows both a form-encoded and a JSON token request: accept either."""
        ctype = call.request.headers.get("content-type", "")
        raw = await call.body()
        if "json" in ctype or raw.lstrip().startswith(b"{"):
            body = await call.json()
            if not isinstance(body, dict):
                raise SandboxError(400, "The token request body must be a JSON object.")
            return body
        return dict(parse_qsl(raw.decode("utf-8", "replace")))


def _basic(header: str) -> tuple[str | None, str | None]:
    """client_id and secret from ``Authorization: Basic`` (RFC 6749 2.3.1 allows it on the token call)."""
    try:
        user, _, password = base64.b64decode(header.split(" ", 1)[1]).decode().partition(":")
    except (ValueError, binascii.Error):
        return None, None
    return user, password
