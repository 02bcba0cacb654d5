"""The sandbox's fixed credentials (documented in the README). They open only the sandbox."""

from __future__ import annotations

STELLIC_PAT = "sandbox-stellic-pat"
STELLIC_READONLY_PAT = "sandbox-stellic-readonly"

HUBMIS_CLIENT_ID = "sandbox-client"
HUBMIS_CLIENT_SECRET = "sandbox-secret"  # noqa: S105
HUBMIS_REALM = "S999"

DARTMOUTH_API_KEY = "sandbox-dartmouth-key"
DARTMOUTH_BASIC_KEY = "sandbox-dartmouth-basic"

# Every Dartmouth scope in shared/vendor-contracts.md section 3.1 (the full key is granted all of them).
DARTMOUTH_ALL_SCOPES = (
    "urn:dartmouth:students:read.sensitive",
    "urn:dartmouth:students:read.highlysensitive",
    "urn:dartmouth:people:private",
    "urn:dartmouth:people:read.sensitive",
    "urn:dartmouth:people:read.highlysensitive",
    "api:academic:enrollments:read",
    "api:academic:enrollments:read.sensitive",
    "api:academic:enrollments:write",
    "urn:dartmouth:email_addresses:read.adv",
    "urn:dartmouth:assets:people_photo:read",
)
DARTMOUTH_BASIC_SCOPES = ("urn:dartmouth:students:read.sensitive", "api:academic:enrollments:read")
