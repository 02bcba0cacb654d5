"""Stellic reads (Partner API #14-#18) and bulk-export answers (E1, E2) as frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Self

from gateway.vendors.payload import (
    Payload,
    flag,
    moment,
    nested,
    nested_list,
    number,
    obj,
    records,
    require_object,
    required_text,
    text,
)

VENDOR = "stellic"


@dataclass(frozen=True, slots=True)
class StellicEngagementScore:
    """A student's engagement score: from ``GET .../students/{username}/engagement_score`` (#15) or a row of the
    engagement CSV export (#14, E4). The seed lost the object's contents; ``username``, ``id`` and ``score`` are
    inferred, and a bare number in place of the object is read as the score."""

    username: str | None
    id: str | None
    score: float | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        """The #15 answer ``{engagement_score: {...}, success}`` or the inner object itself."""
        p = require_object(payload, VENDOR, "an engagement score")
        inner: Any = p["engagement_score"] if "engagement_score" in p and "username" not in p else p
        if not isinstance(inner, dict):
            return cls(None, None, number(inner))
        value = inner.get("score", inner.get("engagement_score"))
        return cls(text(inner.get("username")), text(inner.get("id")), number(value))

    @classmethod
    def from_csv(cls, csv_text: str) -> list[Self]:
        """Rows of the engagement export: header ``Username, ID, Engagement Score`` (``", "`` separated, seed 000)."""
        rows = [[cell.strip() for cell in line.split(",")] for line in csv_text.splitlines() if line.strip()]
        if rows and rows[0] and rows[0][0].lower() == "username":
            rows = rows[1:]
        return [cls(row[0] or None, row[1] or None, number(row[2])) for row in rows if len(row) >= 3]


@dataclass(frozen=True, slots=True)
class StellicPlanCourse:
    """A course in a student's audit or plan. The seed lost the item shape; these names are inferred."""

    course: str | None
    title: str | None
    term: str | None
    units: float | None
    grade: str | None
    status: str | None  # enrolled | completed | planned ...

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(text(payload.get("course")), text(payload.get("title")), text(payload.get("term")),
                   number(payload.get("units")), text(payload.get("grade")), text(payload.get("status")))


@dataclass(frozen=True, slots=True)
class StellicAudit:
    """``GET .../audit/{course_filter}[/{program_filter}]/{property}`` (#16, #17).

    ``counts_for`` items differ by property (course-to-requirement rows, or per-program progress) and are kept as
    sent; ``raw`` is the whole answer, for the schema's JSON field.
    """

    success: bool
    unmatched_courses: tuple[StellicPlanCourse, ...]
    counts_for: tuple[dict[str, Any], ...]
    raw: dict[str, Any]

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        p = require_object(payload, VENDOR, "an audit")
        return cls(flag(p.get("success")) is not False,
                   nested_list(StellicPlanCourse.from_payload, p.get("unmatched_courses")),
                   tuple(records(p.get("counts_for"))), p)


@dataclass(frozen=True, slots=True)
class StellicPlanner:
    """``GET .../planner/{course_filter}/{property}`` (#18); ``raw`` is the whole answer, for the JSON field."""

    success: bool
    future_courses: tuple[StellicPlanCourse, ...]
    raw: dict[str, Any]

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        p = require_object(payload, VENDOR, "planner data")
        return cls(flag(p.get("success")) is not False,
                   nested_list(StellicPlanCourse.from_payload, p.get("future_courses")), p)


@dataclass(frozen=True, slots=True)
class StellicBgTask:
    """The background task of an async export (seed 001)."""

    name: str | None
    description: str | None
    status: str | None
    start_time: datetime | None
    end_time: datetime | None
    task_id: str | None
    created_time: datetime | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        return cls(text(payload.get("name")), text(payload.get("description")), text(payload.get("status")),
                   moment(payload.get("start_time")), moment(payload.get("end_time")), text(payload.get("task_id")),
                   moment(payload.get("created_time")))


@dataclass(frozen=True, slots=True)
class StellicExportJob:
    """The answer to an async ``GET /exports/export_data/{data_type}`` (E1): poll ``file_name`` with
    ``get_export_url``. Timestamps look like ``2025-04-08 18:20:33.229534+00:00``."""

    success: bool
    file_name: str
    name: str | None
    status: str | None  # not_started | started | completed
    requested_on: datetime | None
    file_expiry: datetime | None
    bg_task: StellicBgTask | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        """``{success, data: {...}}`` or the ``data`` object; raises VendorProtocolError without ``file_name``."""
        p = require_object(payload, VENDOR, "an export job")
        data = obj(p.get("data")) if "data" in p else p
        return cls(flag(p.get("success")) is not False, required_text(data, "file_name", VENDOR, "an export job"),
                   text(data.get("name")), text(data.get("status")), moment(data.get("requested_on")),
                   moment(data.get("file_expiry")), nested(StellicBgTask.from_payload, data.get("bg_task")))


@dataclass(frozen=True, slots=True)
class StellicExportStatus:
    """``GET /exports/get_export_url/?file_name=`` (E2): ``url`` (pre-signed, opaque) is null until ``completed``."""

    success: bool
    status: str | None  # not_started | started | completed
    url: str | None

    @classmethod
    def from_payload(cls, payload: Payload) -> Self:
        p = require_object(payload, VENDOR, "an export status")
        return cls(flag(p.get("success")) is not False, text(p.get("status")), text(p.get("url")))

    @property
    def ready(self) -> bool:
        return self.status == "completed" and bool(self.url)

