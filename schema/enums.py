"""Enums of the public API."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="A vendor system behind this gateway.")
class Vendor(Enum):
    STELLIC = "stellic"
    HUBMIS = "hubmis"
    DARTMOUTH = "dartmouth"


@strawberry.enum(description="A student's status normalised across vendors; each vendor's own code stays "
                             "available as `statusCode` and in the vendor detail.")
class StudentStatus(Enum):
    ACTIVE = "active"
    FUTURE = "future"
    INACTIVE = "inactive"
    GRADUATED = "graduated"
    LEFT = "left"
    APPLICANT = "applicant"
    UNKNOWN = "unknown"


@strawberry.enum(description="What a long-running task is doing.")
class TaskKind(Enum):
    COURSE_ASSESSMENT = "course_assessment"
    EXPORT = "export"


@strawberry.enum(description="Where a task stands.")
class TaskStatus(Enum):
    PENDING = "pending"
    RUNNING = "running"
    COMPLETE = "complete"
    FAILED = "failed"
