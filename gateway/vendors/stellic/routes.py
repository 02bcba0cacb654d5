"""Every Stellic route the gateway calls and the sandbox serves (shared/vendor-contracts.md 1.7 and 1.8).

Partner API paths carry their ``/partnerapi/v1`` prefix and exports sit at the host root, so one
base URL (``https://{institution}.stellic.com``) serves both.
"""

from __future__ import annotations

from gateway.vendors.routes import Provenance, Route, RouteTable

SEED, FOUND, INFERRED = Provenance.SEED, Provenance.FOUND, Provenance.INFERRED
API = "/partnerapi/v1"

GET_STUDENT_PROPERTY = Route("get_student_property", "GET", API + "/students/{student_username}/{property}",
                             INFERRED, "#15")

ROUTES = RouteTable("stellic", [GET_STUDENT_PROPERTY])
