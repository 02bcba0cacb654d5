"""Dartmouth API client: API key exchanged for a JWT with exactly the configured scopes, and
``pagesize`` + ``continuation_key`` paging over a found set."""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import AsyncIterator, Callable, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

from gateway.vendors.auth import ApiKeyJwt
from gateway.vendors.base import VendorClient
from gateway.vendors.breaker import CircuitBreakers
from gateway.vendors.cache import ResponseCache
from gateway.vendors.config import DartmouthConfig
from gateway.vendors.dartmouth import routes
from gateway.vendors.dartmouth.models import (
    DartmouthCourse,
    DartmouthEnrollment,
    DartmouthHold,
    DartmouthHoldType,
    DartmouthPerson,
    DartmouthSection,
    DartmouthStudent,
    DartmouthTask,
    DartmouthTerm,
    DartmouthValue,
)
from gateway.vendors.errors import VendorProtocolError
from gateway.vendors.payload import records
from gateway.vendors.reply import Reply
from gateway.vendors.routes import Route
from gateway.vendors.stats import UpstreamStats

# Dartmouth refreshes its own caches at these intervals (seed 003 and each API page): asking more
# often only returns the same data.
TTL_STUDENTS_S = 300.0  # students, people
TTL_ACADEMIC_S = 1800.0  # enrollments, courses, sections
TTL_TERMS_S = 86400.0  # terms, students' terms
TTL_VALUE_LISTS_S = 14400.0  # schools, section types, hold types

T = TypeVar("T")
Filters = Mapping[str, Any] | None  # standard filter parameters by attribute path


def rows(body: Any) -> list[dict[str, Any]]:
    """The records of a collection answer (a JSON array); anything else has none."""
    return body if isinstance(body, list) else []


class DartmouthClient(VendorClient):
    vendor = "dartmouth"
    routes = routes.ROUTES

    def __init__(self, config: DartmouthConfig, *, cache: ResponseCache, stats: UpstreamStats | None = None,
                 breakers: CircuitBreakers | None = None) -> None:
        # Answers depend on the JWT's scopes (GPA, FERPA, grades), so the scopes are part of every cache key.
        scopes = hashlib.sha256(" ".join(sorted(config.scopes)).encode()).hexdigest()[:16]
        super().__init__(config.base_url, config.http, cache=cache, stats=stats, variant=f"scopes={scopes}",
                         breakers=breakers)
        self.page_size = config.page_size
        self.auth = ApiKeyJwt(self.token_call, routes.GET_JWT, config.api_key, config.scopes)

    async def fetch(self, route: Route, *, path: Mapping[str, Any] | None = None,
                    params: Mapping[str, Any] | None = None, ttl: float = TTL_STUDENTS_S) -> Any:
        """One cached read of any Dartmouth route; the parsed body."""
        return (await self.get(route, path=path, params=params, ttl=ttl)).body

    async def pages(self, route: Route, *, params: Mapping[str, Any] | None = None, page_size: int | None = None,
                    ttl: float = TTL_STUDENTS_S) -> AsyncIterator[list[dict[str, Any]]]:
        """Every page of a filtered collection (see ``replies``), as its records."""
        async for reply in self.replies(route, params=params, page_size=page_size, ttl=ttl):
            yield rows(reply.body)

    async def replies(self, route: Route, *, params: Mapping[str, Any] | None = None, page_size: int | None = None,
                      ttl: float = TTL_STUDENTS_S) -> AsyncIterator[Reply]:
        """Every non-empty page of a filtered collection: the first answer's ``X-Request-ID`` is the
        ``continuation_key`` that keeps later pages on the same found set; a short page ends it. The size asked is
        at most Dartmouth's cap (1000 rows), since a page the cap shortened would look like the last one."""
        size = min(page_size or self.page_size, routes.MAX_PAGE_SIZE)
        reply = await self.get(route, params={**(params or {}), "pagesize": size}, ttl=ttl)
        key, page = reply.headers.get("x-request-id"), 2
        while True:
            count = len(rows(reply.body))
            if count:
                yield reply
            if count < size or not key:
                return
            reply = await self.get(route, params={**(params or {}), "pagesize": size, "continuation_key": key,
                                                  "page": page}, ttl=ttl)
            page += 1

    async def _one(self, route: Route, model: Callable[[dict[str, Any]], T], path: Mapping[str, Any],
                   ttl: float) -> T:
        return (await self.get(route, path=path, ttl=ttl)).parse(model)

    async def _all(self, route: Route, model: Callable[[dict[str, Any]], T], params: Mapping[str, Any],
                   ttl: float, limit: int | None = None) -> list[T]:
        """Every record of a filtered collection (or the first ``limit``), each parsed by ``model``."""
        found: list[T] = []
        size = min(limit, self.page_size) if limit else None
        async for reply in self.replies(route, params=params, page_size=size, ttl=ttl):
            found += reply.parse_each(model, rows)
            if limit is not None and len(found) >= limit:
                return found[:limit]
        return found

    # ---- students and people ---------------------------------------------------------------------
    async def get_student(self, netid: str) -> DartmouthStudent:
        """``GET /api/students/{netid}``; ``gpa_history`` is None without the highly-sensitive scope."""
        return await self._one(routes.GET_STUDENT, DartmouthStudent.from_payload, {"netid": netid}, TTL_STUDENTS_S)

    async def list_students(self, filters: Filters = None, *, limit: int | None = None,
                            **more: Any) -> list[DartmouthStudent]:
        """``GET /api/students?<filters>``, every page (dot paths such as ``class.code`` go in ``filters``)."""
        return await self._all(routes.LIST_STUDENTS, DartmouthStudent.from_payload, query(filters, more),
                               TTL_STUDENTS_S, limit)

    async def list_student_terms(self, netid: str) -> list[DartmouthTerm]:
        """``GET /api/students/{netid}/terms``: the terms a student holds (each with ``netid`` set)."""
        body = await self.fetch(routes.LIST_STUDENT_TERMS, path={"netid": netid}, ttl=TTL_TERMS_S)
        return [DartmouthTerm.from_payload(item) for item in records(body)]

    async def get_person(self, netid: str) -> DartmouthPerson:
        """``GET /api/people/{netid}``."""
        return await self._one(routes.GET_PERSON, DartmouthPerson.from_payload, {"netid": netid}, TTL_STUDENTS_S)

    async def person_not_found(self, netid: str) -> bool:
        """Whether Dartmouth's 404 for ``GET /api/people/{netid}`` is still cached: it has said it has no such
        person, and nothing of theirs is asked again (no call)."""
        return await self.cached_not_found(routes.GET_PERSON, path={"netid": netid})

    async def list_people(self, filters: Filters = None, *, limit: int | None = None,
                          **more: Any) -> list[DartmouthPerson]:
        """``GET /api/people?<filters>``, every page (e.g. ``{"affiliations.name": "Faculty"}``)."""
        return await self._all(routes.LIST_PEOPLE, DartmouthPerson.from_payload, query(filters, more),
                               TTL_STUDENTS_S, limit)

    # ---- enrollments and their asynchronous PATCH ---------------------------------------------------
    async def list_enrollments(self, filters: Filters = None, *, limit: int | None = None,
                               **more: Any) -> list[DartmouthEnrollment]:
        """``GET /api/academic/enrollments?<filters>``, every page, e.g. ``{"term.sis_term_code": "202401"}``,
        ``netid=...``, ``is_active=True``."""
        return await self._all(routes.LIST_ENROLLMENTS, DartmouthEnrollment.from_payload, query(filters, more),
                               TTL_ACADEMIC_S, limit)

    async def get_enrollment(self, enrollment_id: str, *, fresh: bool = False) -> DartmouthEnrollment:
        """``GET /api/academic/enrollments/{id}``; ``fresh`` asks Dartmouth, neither reading nor filling the cache."""
        return await self._one(routes.GET_ENROLLMENT, DartmouthEnrollment.from_payload, {"id": enrollment_id},
                               0.0 if fresh else TTL_ACADEMIC_S)

    async def patch_enrollment(self, enrollment_id: str, submit_date: datetime | str | None,
                               opt_out_date: datetime | str | None) -> str:
        """``PATCH /api/academic/enrollments/{id}`` with the whole ``course_assessment``; the task id from the 202's
        ``Location``. Sent once, never cached; the enrollment changes only when the task completes, so invalidating
        its cached reads then is the caller's job. Both dates set is accepted here and fails in the task.

        Raises VendorProtocolError when the answer has no ``Location``.
        """
        body = {"course_assessment": {"submit_date": _iso(submit_date), "opt_out_date": _iso(opt_out_date)}}
        reply = await self.send(routes.PATCH_ENROLLMENT, path={"id": enrollment_id}, json_body=body)
        location = reply.headers.get("location", "")
        found = routes.GET_TASK.match(urlsplit(location).path)
        task_id = found["id"] if found else urlsplit(location).path.rstrip("/").rsplit("/", 1)[-1]
        if not task_id:
            raise VendorProtocolError(self.vendor, "the accepted PATCH named no task in Location",
                                      status=reply.status, route=routes.PATCH_ENROLLMENT.key)
        return unquote(task_id)

    async def invalidate_enrollment(self, enrollment_id: str) -> None:
        """Forget the cached reads a completed PATCH changed: the enrollment itself and every enrollment list
        (lists are cached by filter, so the whole route's answers are retired)."""
        await self.invalidate(routes.GET_ENROLLMENT, path={"id": enrollment_id})
        await self.invalidate_route(routes.LIST_ENROLLMENTS)

    async def get_task(self, task_id: str) -> DartmouthTask:
        """``GET /api/tasks/{id}``; never cached, since it is polled."""
        return DartmouthTask.from_payload(await self.fetch(routes.GET_TASK, path={"id": task_id}, ttl=0))

    async def wait_for_task(self, task_id: str, *, timeout_s: float = 30.0, interval_s: float = 0.5) -> DartmouthTask:
        """Poll ``GET /api/tasks/{id}`` until it is no longer ``accepted`` or ``timeout_s`` passes; the last state."""
        deadline = time.monotonic() + timeout_s
        task = await self.get_task(task_id)
        while not task.done and time.monotonic() + interval_s <= deadline:
            await asyncio.sleep(interval_s)
            task = await self.get_task(task_id)
        return task

    # ---- terms, sections, courses --------------------------------------------------------------------
    async def list_terms(self, current_term_offset: int | None = None, filters: Filters = None,
                         **more: Any) -> list[DartmouthTerm]:
        """``GET /api/academic/terms``; ``current_term_offset`` 0 is the current quarter, -1 the last, 1 the next."""
        params = query(filters, more)
        if current_term_offset is not None:
            params["quarterly_term.current_term_offset"] = str(current_term_offset)
        return await self._all(routes.LIST_TERMS, DartmouthTerm.from_payload, params, TTL_TERMS_S)

    async def get_term(self, term_id: str) -> DartmouthTerm:
        """``GET /api/academic/terms/{id}`` (e.g. "202401-U")."""
        return await self._one(routes.GET_TERM, DartmouthTerm.from_payload, {"id": term_id}, TTL_TERMS_S)

    async def list_sections(self, filters: Filters = None, *, limit: int | None = None,
                            **more: Any) -> list[DartmouthSection]:
        """``GET /api/academic/sections?<filters>``, every page, e.g. ``{"term.sis_term_code": "202401"}``."""
        return await self._all(routes.LIST_SECTIONS, DartmouthSection.from_payload, query(filters, more),
                               TTL_ACADEMIC_S, limit)

    async def get_section(self, section_id: str) -> DartmouthSection:
        """``GET /api/academic/sections/{id}``."""
        return await self._one(routes.GET_SECTION, DartmouthSection.from_payload, {"id": section_id}, TTL_ACADEMIC_S)

    async def list_courses(self, filters: Filters = None, *, limit: int | None = None,
                           **more: Any) -> list[DartmouthCourse]:
        """``GET /api/academic/courses?<filters>``, every page."""
        return await self._all(routes.LIST_COURSES, DartmouthCourse.from_payload, query(filters, more),
                               TTL_ACADEMIC_S, limit)

    async def get_course(self, course_id: str) -> DartmouthCourse:
        """``GET /api/academic/courses/{id}``."""
        return await self._one(routes.GET_COURSE, DartmouthCourse.from_payload, {"id": course_id}, TTL_ACADEMIC_S)

    # ---- holds and value lists -------------------------------------------------------------------------
    async def list_holds(self, netid: str | None = None, filters: Filters = None, **more: Any) -> list[DartmouthHold]:
        """``GET /api/academic/holds?netid=`` (path inferred: the holds API is not published)."""
        params = query(filters, more)
        if netid is not None:
            params["netid"] = netid
        return await self._all(routes.LIST_HOLDS, DartmouthHold.from_payload, params, TTL_STUDENTS_S)

    async def get_hold(self, hold_id: str) -> DartmouthHold:
        """``GET /api/academic/holds/{id}`` (path inferred)."""
        return await self._one(routes.GET_HOLD, DartmouthHold.from_payload, {"id": hold_id}, TTL_STUDENTS_S)

    async def list_hold_types(self) -> list[DartmouthHoldType]:
        """``GET /api/academic/hold_types``."""
        return await self._all(routes.LIST_HOLD_TYPES, DartmouthHoldType.from_payload, {}, TTL_VALUE_LISTS_S)

    async def get_hold_type(self, hold_type_id: str) -> DartmouthHoldType:
        """``GET /api/academic/hold_types/{id}``."""
        return await self._one(routes.GET_HOLD_TYPE, DartmouthHoldType.from_payload, {"id": hold_type_id},
                               TTL_VALUE_LISTS_S)

    async def list_section_types(self) -> list[DartmouthValue]:
        """``GET /api/academic/section_types``."""
        return await self._all(routes.LIST_SECTION_TYPES, DartmouthValue.from_payload, {}, TTL_VALUE_LISTS_S)

    async def list_schools(self) -> list[DartmouthValue]:
        """``GET /api/schools``."""
        return await self._all(routes.LIST_SCHOOLS, DartmouthValue.from_payload, {}, TTL_VALUE_LISTS_S)

    async def list_student_statuses(self) -> list[DartmouthValue]:
        """``GET /api/student_statuses``."""
        return await self._all(routes.LIST_STUDENT_STATUSES, DartmouthValue.from_payload, {}, TTL_VALUE_LISTS_S)

    async def list_student_types(self) -> list[DartmouthValue]:
        """``GET /api/student_types`` (seed 003's ``/api/school_types`` is a slip for this)."""
        return await self._all(routes.LIST_STUDENT_TYPES, DartmouthValue.from_payload, {}, TTL_VALUE_LISTS_S)

    async def list_admission_types(self) -> list[DartmouthValue]:
        """``GET /api/admission_types``."""
        return await self._all(routes.LIST_ADMISSION_TYPES, DartmouthValue.from_payload, {}, TTL_VALUE_LISTS_S)


def query(filters: Filters, more: Mapping[str, Any]) -> dict[str, str]:
    """Standard filter parameters: dot paths from ``filters``, plain names from keywords; None dropped, booleans
    as ``true``/``false``. An operator or wildcard goes in the value (``{"term.sis_term_code": ">=202401"}``)."""
    merged = {**(filters or {}), **more}
    return {k: ("true" if v else "false") if isinstance(v, bool) else str(v)
            for k, v in merged.items() if v is not None}


def _iso(value: datetime | str | None) -> str | None:
    """A course-assessment date as ISO 8601 UTC (``2020-03-05T17:53:46Z``); a naive datetime is taken as UTC."""
    if value is None or isinstance(value, str):
        return value
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")
