"""The audit trail: who read sensitive data or wrote anything, what, when, and the outcome.

One structured record per operation on the ``campusgraph.audit`` logger (JSON lines, shippable to
the institution's log store): caller id and kind, operation name and type, the fields read under
sensitive scopes, the records they belong to, the request id, and the outcome.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType  # Strawberry's, not graphql-core's: what operation_type returns

log = logging.getLogger("campusgraph.audit")
MAX_RECORDS = 500


@dataclass
class AuditTrail:
    fields: set[str] = field(default_factory=set)
    records: set[str] = field(default_factory=set)

    def touch(self, where: str, record: object) -> None:
        self.fields.add(where)
        if record is not None and len(self.records) < MAX_RECORDS:
            self.records.add(str(record))


class AuditExtension(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        context = self.execution_context.context
        trail: AuditTrail | None = getattr(context, "audit", None)
        if trail is None:
            return
        if self.execution_context.graphql_document is None:
            return  # the text did not parse: nothing ran
        operation = self.execution_context.operation_type
        is_write = operation is OperationType.MUTATION
        if not trail.fields and not is_write:
            return
        result = self.execution_context.result
        errors = list(getattr(result, "errors", None) or [])
        codes = sorted({(e.extensions or {}).get("code", "INTERNAL_ERROR") for e in errors})
        outcome = "ok" if not errors else ("partial" if getattr(result, "data", None) else "error")
        viewer = context.viewer
        name = self.execution_context.operation_name or "anonymous"
        log.info("audit %s %s by %s", operation.value if operation else "?", name, viewer.id, extra={"audit": {
                     "at": datetime.now(UTC).isoformat(timespec="milliseconds"), "caller": viewer.id,
                     "caller_kind": viewer.kind, "request_id": context.request_id,
                     "operation": name,
                     "operation_type": operation.value if operation else None, "write": is_write,
                     "fields": sorted(trail.fields), "records": sorted(trail.records), "outcome": outcome,
                     "error_codes": codes}})
