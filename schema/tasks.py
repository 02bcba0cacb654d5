"""Task: vendor work that finishes after the mutation that started it (a Dartmouth PATCH task, a Stellic export)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from schema.enums import TaskKind, TaskStatus, Vendor
from schema.node import Node


@strawberry.type(description="Work a vendor finishes after the mutation that started it. Follow it by asking "
                             "`task(id:)` again, by `wait: true` on the mutation, or with the `taskUpdates` "
                             "subscription. Sources: Dartmouth tasks (`GET /api/tasks/{id}`), Stellic exports "
                             "(`get_export_url`).")
class Task(Node):
    kind: TaskKind = strawberry.field(description="COURSE_ASSESSMENT (Dartmouth) or EXPORT (Stellic). Source: gateway.")
    status: TaskStatus = strawberry.field(description="PENDING (accepted or not started), RUNNING (started), "
                                                      "COMPLETE or FAILED. Dartmouth: accepted -> PENDING, "
                                                      "complete -> COMPLETE, error -> FAILED; Stellic: not_started "
                                                      "-> PENDING, started -> RUNNING, completed -> COMPLETE.")
    message: str | None = strawberry.field(description="The vendor's own words once the task ends, e.g. "
                                                       "Dartmouth's \"Enrollment updated successfully.\" or the "
                                                       "reason it failed.")
    result_url: str | None = strawberry.field(description="Where the result lives when complete: the updated "
                                                          "resource (Dartmouth's task `path`), or the export's "
                                                          "download URL (pre-signed, valid about 3 days).")
    created_at: datetime = strawberry.field(description="When the gateway accepted the work (or first saw it).")
    updated_at: datetime = strawberry.field(description="When the gateway last saw the status change.")
    vendor: Vendor = strawberry.field(description="The vendor doing the work: Dartmouth or Stellic.")
    vendor_id: str = strawberry.field(description="The vendor's own id: Dartmouth's task id, or the export's "
                                                  "file name.")
    subject: str | None = strawberry.field(description="What the task works on: the Dartmouth enrollment id, or "
                                                       "the export's data type.")
