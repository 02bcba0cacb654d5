"""Every HUBmis route the gateway calls and the sandbox serves (shared/vendor-contracts.md section 2.6)."""

from __future__ import annotations

from gateway.vendors.routes import Provenance, Route, RouteTable

SEED, FOUND, INFERRED = Provenance.SEED, Provenance.FOUND, Provenance.INFERRED

GET_TOKEN = Route("get_token", "POST", "/api/v1/token", SEED, "client_credentials, form or JSON body")
GET_STUDENT = Route("get_student", "GET", "/api/v1/students/{id}", INFERRED, "Students: Get Student")

ROUTES = RouteTable("hubmis", [GET_TOKEN, GET_STUDENT])
