"""Stellic client: a personal access token as a bearer header; Partner API writes and reads, exports."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from gateway.vendors.auth import StaticBearer
from gateway.vendors.base import VendorClient
from gateway.vendors.cache import ResponseCache
from gateway.vendors.config import StellicConfig
from gateway.vendors.errors import VendorBadRequest, VendorForbidden, VendorNotFound, VendorProtocolError
from gateway.vendors.routes import Route
from gateway.vendors.stats import UpstreamStats
from gateway.vendors.stellic import routes
from gateway.vendors.stellic.models import (
    StellicAudit,
    StellicDeleteResult,
    StellicEngagementScore,
    StellicExportJob,
    StellicExportStatus,
    StellicHoldResult,
    StellicItemResults,
    StellicPlanner,
    StellicRegistrationTime,
    StellicSeatCounts,
    StellicSection,
    StellicSectionRestriction,
    StellicSectionTimings,
    StellicStatusResult,
)

TTL_READS_S = 300.0  # engagement score, audit, planner: recomputed by Stellic, not pushed
# A username no student has (Stellic's are letters, digits, dots and dashes): read at start-up to ask whether Stellic
# takes the token, its 404 the answer that says so.
CREDENTIAL_CHECK_USERNAME = "campusgraph-credential-check"
# The documented path values of the student reads (#15-#18), so a write can forget every cached variant.
# Export parameters seed 001 shows as one bracketed list (``years=[2020,2021,2022,2023]``); other lists repeat
# their parameter, as its ``usem_ids=2434&usem_ids=3435`` does.
BRACKETED_LIST_PARAMS = frozenset({"years"})
PROPERTIES = ("engagement_score",)
STUDENTS_EXPORT_PARAMS = {"output_format": "csv", "delivery_channel": "http_file"}  # #14: the values it takes
AUDIT_COURSE_FILTERS = ("planned", "registered")
AUDIT_PROGRAM_FILTERS = ("planned", "registered", "all")
AUDIT_PROPERTIES = ("unmatched", "progress")
PLANNER_COURSE_FILTERS = ("planned", "registered", "all")
_STUDENT_READS = ("get_student_property", "get_student_audit", "get_student_custom_audit", "get_student_planner")

log = logging.getLogger("campusgraph.upstream")

# What Stellic answers a delete that went through, less what only its answer can say: the result of a delete
# sent again after its answer was lost, when the record was then gone.
DELETED: dict[str, Any] = {"success": True}  # section enrollments, restrictions, registration times, holds
DELETED_MEMBERSHIP: dict[str, Any] = {"status": "success"}  # tags, schools, departments

R = routes.ROUTES
Body = Mapping[str, Any]
Items = Sequence[Mapping[str, Any]]


class StellicClient(VendorClient):
    """Reads are cached for ``TTL_READS_S``; writes go through ``send`` once, and a refused write raises
    VendorBadRequest whose ``detail`` is Stellic's body (``StellicItemResults.from_payload`` reads its errors)."""

    vendor = "stellic"
    routes = routes.ROUTES

    def __init__(self, config: StellicConfig, *, cache: ResponseCache, stats: UpstreamStats | None = None) -> None:
        super().__init__(config.base_url, config.http, cache=cache, stats=stats, variant="pat")
        self.auth = StaticBearer(config.token)
        self._export_rows: tuple[str, tuple[StellicEngagementScore, ...]] | None = None  # the last CSV, parsed

    async def prepare(self) -> None:
        """A personal access token has no exchange to fail at start-up, so a wrong one was found by the first write
        the registrar pushed. One read of a student no one is asks Stellic whether it takes the token: a 401 stops
        start-up as a refused HUBmis secret or Dartmouth key does; a 404 (or a 403 or 400: the token was read) is
        the answer that it does. Not cached, so a token replaced and the gateway restarted is asked about again."""
        with contextlib.suppress(VendorNotFound, VendorForbidden, VendorBadRequest):
            await self.fetch(routes.GET_STUDENT_PROPERTY, path={"student_username": CREDENTIAL_CHECK_USERNAME,
                                                                 "property": "engagement_score"}, ttl=0)

    async def fetch(self, route: Route, *, path: Mapping[str, Any] | None = None,
                    params: Mapping[str, Any] | None = None, ttl: float = TTL_READS_S) -> Any:
        return (await self.get(route, path=path, params=params, ttl=ttl)).body

    async def _write(self, name: str, path: Mapping[str, Any] | None = None, body: Any = None) -> dict[str, Any]:
        reply = await self.send(R[name], path=path, json_body=body)
        if not isinstance(reply.body, dict):
            raise VendorProtocolError(self.vendor, "expected a JSON object", status=reply.status, route=R[name].key)
        return reply.body

    async def _delete(self, name: str, path: Mapping[str, Any], deleted: dict[str, Any],
                      gone: type[VendorNotFound | VendorBadRequest] = VendorNotFound) -> dict[str, Any]:
        """A DELETE's answer. Sent again after its first answer was lost, a refusal of kind ``gone`` says the
        record is not there: most likely that first attempt deleted it, and either way what the caller asked
        for is done, so the answer is ``deleted``. Stellic answers 404 for a record that is not there, but
        400 for an entry not on a profile's list (a 404 there names an unknown student, tag or school)."""
        try:
            return await self._write(name, path)
        except (VendorNotFound, VendorBadRequest) as exc:
            if not (exc.after_lost_answer and isinstance(exc, gone)):
                raise
            log.info("stellic %s: not there when sent again after its answer was lost; counted as deleted",
                     R[name].key)
            return dict(deleted)

    # ---- student reads (#14-#18) -------------------------------------------------------------------
    async def get_student_property(self, username: str, prop: str = "engagement_score") -> dict[str, Any]:
        """``GET /partnerapi/v1/students/{student_username}/{property}`` (#15), as sent."""
        body: dict[str, Any] = await self.fetch(routes.GET_STUDENT_PROPERTY,
                                                path={"student_username": username, "property": prop})
        return body

    async def get_engagement_score(self, username: str) -> StellicEngagementScore:
        """``GET /partnerapi/v1/students/{student_username}/engagement_score`` (#15)."""
        score = StellicEngagementScore.from_payload(await self.get_student_property(username, "engagement_score"))
        return score if score.username else replace(score, username=username)

    async def export_students_by_property(self, prop: str = "engagement_score") -> Sequence[StellicEngagementScore]:
        """``GET /partnerapi/v1/students/export/{property}?output_format=csv&delivery_channel=http_file`` (#14):
        every student's score, from the CSV. The rows of the CSV last read are kept, and the same text is not
        parsed again (some 30 ms at 20,000 students): while the cache holds the export, every read of it answers
        the very same rows."""
        route, path, params = self._students_export(prop)
        body = await self.fetch(route, path=path, params=params)
        csv_text = body if isinstance(body, str) else ""
        if self._export_rows is None or self._export_rows[0] != csv_text:
            self._export_rows = (csv_text, tuple(StellicEngagementScore.from_csv(csv_text)))
        return self._export_rows[1]

    async def get_audit(self, username: str, course_filter: str, prop: str,
                        program_filter: str | None = None) -> StellicAudit:
        """``GET .../students/{student_username}/audit/{course_filter}/{property}`` (#16), or with
        ``program_filter`` ``.../audit/{course_filter}/{program_filter}/{property}`` (#17).
        ``course_filter``: planned | registered; ``program_filter``: planned | registered | all;
        ``prop``: unmatched | progress."""
        path = {"student_username": username, "course_filter": course_filter, "property": prop}
        if program_filter is None:
            return StellicAudit.from_payload(await self.fetch(R["get_student_audit"], path=path))
        path["program_filter"] = program_filter
        return StellicAudit.from_payload(await self.fetch(R["get_student_custom_audit"], path=path))

    async def get_planner(self, username: str, course_filter: str = "planned", prop: str = "future") -> StellicPlanner:
        """``GET .../students/{student_username}/planner/{course_filter}/{property}`` (#18); ``course_filter``:
        planned | registered | all."""
        path = {"student_username": username, "course_filter": course_filter, "property": prop}
        return StellicPlanner.from_payload(await self.fetch(R["get_student_planner"], path=path))

    # ---- bulk exports (E1-E4) ----------------------------------------------------------------------------
    async def export_data(self, data_type: str, params: Mapping[str, Any] | None = None, *,
                          async_: bool = True) -> StellicExportJob | str:
        """``GET /exports/export_data/{data_type}?output_format=csv&delivery_channel=s3|http_file``: a job to poll
        with ``get_export_url`` (async), or the CSV text (sync). Stellic runs some data types in the background
        whatever was asked, so the answer decides. Never cached: each call starts an export. A list value repeats
        its parameter (``usem_ids``), except those seed 001 writes as one bracketed list (``years=[2022,2023]``);
        booleans are ``true``/``false``."""
        query: list[tuple[str, str]] = [("output_format", "csv"),
                                        ("delivery_channel", "s3" if async_ else "http_file")]
        for name, value in (params or {}).items():
            values = [v for v in (value if isinstance(value, list | tuple) else [value]) if v is not None]
            if name in BRACKETED_LIST_PARAMS and isinstance(value, list | tuple):
                query.append((name, "[" + ",".join(_query_value(v) for v in values) + "]"))
                continue
            query += [(name, _query_value(one)) for one in values]
        reply = await self.get(R["export_data"], path={"data_type": data_type}, params=query, ttl=0)
        if isinstance(reply.body, dict):
            return StellicExportJob.from_payload(reply.body)
        if isinstance(reply.body, str):
            return reply.body
        raise VendorProtocolError(self.vendor, "an export answered neither a job nor CSV", status=reply.status,
                                  route=R["export_data"].key)

    async def get_export_url(self, file_name: str) -> StellicExportStatus:
        """``GET /exports/get_export_url/?file_name=`` (E2); never cached, since it is polled."""
        body = await self.fetch(R["get_export_url"], params={"file_name": file_name}, ttl=0)
        return StellicExportStatus.from_payload(body)

    async def wait_for_export(self, file_name: str, *, timeout_s: float = 120.0,
                              interval_s: float = 1.0) -> StellicExportStatus:
        """Poll ``get_export_url`` until ``completed`` or ``timeout_s`` passes; the last status."""
        deadline = time.monotonic() + timeout_s
        status = await self.get_export_url(file_name)
        while status.status != "completed" and time.monotonic() + interval_s <= deadline:
            await asyncio.sleep(interval_s)
            status = await self.get_export_url(file_name)
        return status

    # ---- cache coherence after writes ----------------------------------------------------------------
    async def invalidate_student_reads(self, username: str | None) -> None:
        """Forget one student's cached engagement score, audits and planner (every documented filter and
        property); with no username, every student's (a write that does not say whose record it changed). The
        engagement export, which holds the student's score too, is forgotten with them."""
        if username is None:
            await asyncio.gather(self.invalidate_students_export(),
                                 *(self.invalidate_route(R[name]) for name in _STUDENT_READS))
            return
        who = {"student_username": username}
        reads = [(R["get_student_property"], {**who, "property": p}) for p in PROPERTIES]
        for course_filter in AUDIT_COURSE_FILTERS:
            for prop in AUDIT_PROPERTIES:
                reads.append((R["get_student_audit"], {**who, "course_filter": course_filter, "property": prop}))
                reads += [(R["get_student_custom_audit"], {**who, "course_filter": course_filter,
                                                            "program_filter": f, "property": prop})
                          for f in AUDIT_PROGRAM_FILTERS]
        reads += [(R["get_student_planner"], {**who, "course_filter": f, "property": "future"})
                  for f in PLANNER_COURSE_FILTERS]
        await self.invalidate_all([*((route, path, None) for route, path in reads),
                                   *(self._students_export(p) for p in PROPERTIES)])

    async def invalidate_students_export(self, prop: str = "engagement_score") -> None:
        """Forget the cached ``export_students_by_property`` CSV (the crosswalk's list of usernames)."""
        await self.invalidate_all([self._students_export(prop)])

    async def students_export_cached(self, prop: str = "engagement_score") -> bool:
        """Whether the ``export_students_by_property`` CSV is in the cache now (asks the cache only, never Stellic)."""
        route, path, params = self._students_export(prop)
        return await self.cached(route, path=path, params=params)

    @staticmethod
    def _students_export(prop: str) -> tuple[Route, dict[str, Any], dict[str, str]]:
        """The export's read (#14) as the cache knows it: route, path and query parameters."""
        return R["export_students_by_property"], {"property": prop}, STUDENTS_EXPORT_PARAMS

    # ---- students: programs, profile, tags, schools, departments (#1, #19-#25) -----------------------
    async def create_program_enrollment(self, username: str, program_id: str, body: Body) -> StellicStatusResult:
        """``POST .../students/{username}/programs/{program_id}`` (#1)."""
        return StellicStatusResult.from_payload(await self._write(
            "create_program_enrollment", {"username": username, "program_id": program_id}, body))

    async def replace_course_enrollments(self, username: str, term_id: str, enrollments: Items) -> StellicItemResults:
        """``PUT .../students/{username}/terms/{term_id}/course_enrollments`` (#2): a full replace; courses the
        array leaves out are deleted."""
        return StellicItemResults.from_payload(await self._write(
            "replace_course_enrollments", {"username": username, "term_id": term_id}, list(enrollments)))

    async def create_student_profile(self, username: str, body: Body) -> StellicStatusResult:
        """``POST .../students/{student_username}`` (#19): seed 000 gives the body as an array, so the profile goes
        as its one item (as a section enrollment's does); the answer is one ``{status, state, errors}``."""
        return StellicStatusResult.from_payload(await self._write(
            "create_student_profile", {"student_username": username}, [dict(body)]))

    async def add_student_tag(self, username: str, tag_name: str) -> StellicStatusResult:
        """``POST .../students/{student_username}/tags/{tag_name}`` (#20)."""
        return await self._membership("add_student_tag", username, "tag_name", tag_name)

    async def remove_student_tag(self, username: str, tag_name: str) -> StellicStatusResult:
        """``DELETE .../students/{student_username}/tags/{tag_name}`` (#21)."""
        return await self._membership("remove_student_tag", username, "tag_name", tag_name, delete=True)

    async def create_school_enrollment(self, username: str, school_id: str) -> StellicStatusResult:
        """``POST .../students/{student_username}/schools/{school_id}`` (#22)."""
        return await self._membership("create_school_enrollment", username, "school_id", school_id)

    async def delete_school_enrollment(self, username: str, school_id: str) -> StellicStatusResult:
        """``DELETE .../students/{student_username}/schools/{school_id}`` (#23)."""
        return await self._membership("delete_school_enrollment", username, "school_id", school_id, delete=True)

    async def create_department_enrollment(self, username: str, dept_id: str) -> StellicStatusResult:
        """``POST .../students/{student_username}/departments/{dept_id}`` (#24)."""
        return await self._membership("create_department_enrollment", username, "dept_id", dept_id)

    async def delete_department_enrollment(self, username: str, dept_id: str) -> StellicStatusResult:
        """``DELETE .../students/{student_username}/departments/{dept_id}`` (#25)."""
        return await self._membership("delete_department_enrollment", username, "dept_id", dept_id, delete=True)

    async def _membership(self, name: str, username: str, param: str, value: str,
                          delete: bool = False) -> StellicStatusResult:
        path = {"student_username": username, param: value}
        body = await (self._delete(name, path, DELETED_MEMBERSHIP, gone=VendorBadRequest) if delete
                      else self._write(name, path))
        return StellicStatusResult.from_payload(body)

    # ---- section enrollments (#3-#6) -------------------------------------------------------------------
    async def create_section_enrollment(self, enrollment_id: str, items: Items) -> StellicItemResults:
        """``POST .../section_enrollments/{id}`` (#3): an array body; Stellic derives the course enrollment."""
        return await self._items("create_section_enrollment", {"id": enrollment_id}, items)

    async def update_section_enrollment(self, enrollment_id: str, items: Items) -> StellicItemResults:
        """``PUT .../section_enrollments/{id}`` (#4): a full update."""
        return await self._items("update_section_enrollment", {"id": enrollment_id}, items)

    async def patch_section_enrollment(self, enrollment_id: str, items: Items) -> StellicItemResults:
        """``PATCH .../section_enrollments/{id}`` (#5): only the keys that change."""
        return await self._items("patch_section_enrollment", {"id": enrollment_id}, items)

    async def delete_section_enrollment(self, enrollment_id: str) -> StellicDeleteResult:
        """``DELETE .../section_enrollments/{id}`` (#6); the last section takes its course enrollment with it."""
        return StellicDeleteResult.from_payload(await self._delete("delete_section_enrollment", {"id": enrollment_id},
                                                                   DELETED))

    async def _items(self, name: str, path: Mapping[str, Any] | None, items: Items) -> StellicItemResults:
        return StellicItemResults.from_payload(await self._write(name, path, list(items)))

    # ---- sections (#7-#13) -------------------------------------------------------------------------------
    async def create_section(self, section_id: str, body: Body) -> StellicSection:
        """``POST .../catalog/section/{id}`` (#8, the seed's one worked path)."""
        return StellicSection.from_payload(await self._write("create_section", {"id": section_id}, body))

    async def update_section_enrollment_info(self, section_id: str, seats: Body) -> StellicSeatCounts:
        """``PATCH .../catalog/section/{id}/enrollment_info`` (#7): seat and waitlist counts."""
        return StellicSeatCounts.from_payload(await self._write("update_section_enrollment_info",
                                                                {"id": section_id}, seats))

    async def bulk_update_section_enrollment_info(self, items: Items) -> StellicItemResults:
        """``PATCH .../catalog/sections/enrollment_info`` (#9): atomic, each item names its ``id``."""
        return await self._items("bulk_update_section_enrollment_info", None, items)

    async def create_section_restriction(self, restriction_id: str, body: Body) -> StellicSectionRestriction:
        """``POST .../catalog/section_restriction/{id}`` (#10); the answer echoes the body."""
        return StellicSectionRestriction.from_payload(await self._write("create_section_restriction",
                                                                        {"id": restriction_id}, body))

    async def delete_section_restriction(self, restriction_id: str) -> StellicDeleteResult:
        """``DELETE .../catalog/section_restriction/{id}`` (#11)."""
        return StellicDeleteResult.from_payload(await self._delete("delete_section_restriction",
                                                                   {"id": restriction_id}, DELETED))

    async def update_section_timings(self, section_id: str, timings: Items) -> StellicSectionTimings:
        """``PUT .../catalog/section/{id}/timings`` (#12): replaces the section's ClassTimings."""
        return StellicSectionTimings.from_payload(await self._write("update_section_timings", {"id": section_id},
                                                                    list(timings)))

    async def bulk_update_section_timings(self, items: Items) -> StellicItemResults:
        """``PUT .../catalog/sections/timings`` (#13): atomic, items ``{section, timings}``."""
        return await self._items("bulk_update_section_timings", None, items)

    # ---- holds and registration times (#26-#31) ----------------------------------------------------------
    async def create_hold(self, body: Body) -> StellicHoldResult:
        """``POST .../holds`` (#26): ``sis_id``, ``student_id``, ``hold_code`` required."""
        return StellicHoldResult.from_payload(await self._write("create_hold", None, body))

    async def update_hold(self, sis_id: str, body: Body) -> StellicHoldResult:
        """``PATCH .../holds/{sis_id}`` (#27): ``fields_updated`` and ``failed`` say what applied."""
        return StellicHoldResult.from_payload(await self._write("update_hold", {"sis_id": sis_id}, body))

    async def delete_hold(self, sis_id: str) -> StellicHoldResult:
        """``DELETE .../holds/{sis_id}`` (#28)."""
        return StellicHoldResult.from_payload(await self._delete("delete_hold", {"sis_id": sis_id}, DELETED))

    async def create_registration_time(self, registration_time_id: str, body: Body) -> StellicRegistrationTime:
        """``POST .../registration_times/{registration_time_id}`` (#29); timestamps ``YYYY-MM-DD HH:MM`` UTC."""
        return StellicRegistrationTime.from_payload(await self._write(
            "create_registration_time", {"registration_time_id": registration_time_id}, body))

    async def update_registration_time(self, registration_time_id: str, body: Body) -> StellicRegistrationTime:
        """``PATCH .../registration_times/{registration_time_id}`` (#30): ``timestamp`` and ``end_timestamp`` only."""
        return StellicRegistrationTime.from_payload(await self._write(
            "update_registration_time", {"registration_time_id": registration_time_id}, body))

    async def delete_registration_time(self, registration_time_id: str) -> StellicDeleteResult:
        """``DELETE .../registration_times/{registration_time_id}`` (#31)."""
        return StellicDeleteResult.from_payload(await self._delete(
            "delete_registration_time", {"registration_time_id": registration_time_id}, DELETED))


def _query_value(value: Any) -> str:
    """One export parameter value as query text: booleans as ``true``/``false``."""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)
