"""Every Dartmouth API route the gateway calls and the sandbox serves (shared/vendor-contracts.md section 3.6)."""

from __future__ import annotations

from gateway.vendors.routes import Provenance, Route, RouteTable

SEED, FOUND, INFERRED = Provenance.SEED, Provenance.FOUND, Provenance.INFERRED

GET_JWT = Route("get_jwt", "POST", "/api/jwt", FOUND, "D1: raw API key in Authorization, scopes in ?scope=")
GET_STUDENT = Route("get_student", "GET", "/api/students/{netid}", SEED, "D2")

ROUTES = RouteTable("dartmouth", [GET_JWT, GET_STUDENT])
