"""WCBS HUBmis client: client-credentials token with the Realm header, page-number paging, and a
client-side bucket mirroring the documented limit (500 per client, one more every 5 s)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from datetime import date
from typing import Any, TypeVar

from redis.asyncio import Redis

from gateway.vendors.auth import ClientCredentials
from gateway.vendors.base import VendorClient
from gateway.vendors.cache import ResponseCache
from gateway.vendors.config import HubmisConfig
from gateway.vendors.errors import VendorNotFound
from gateway.vendors.hubmis import routes
from gateway.vendors.hubmis.models import (
    HubmisAcademicYear,
    HubmisAttendanceCode,
    HubmisAttendanceMark,
    HubmisConsent,
    HubmisContact,
    HubmisContactRelation,
    HubmisDepartment,
    HubmisEmailAddress,
    HubmisEnrolment,
    HubmisGroup,
    HubmisRoom,
    HubmisSection,
    HubmisStaff,
    HubmisStaffSchoolDetails,
    HubmisStudent,
    HubmisSubject,
    HubmisTerm,
    HubmisTimetablePeriod,
)
from gateway.vendors.hubmis.params import Filters, Sort, When, by_kind, query, when, window, year_path
from gateway.vendors.payload import envelope
from gateway.vendors.ratelimit import LocalBucket, RateBudget, RedisBucket
from gateway.vendors.redislink import RedisLink
from gateway.vendors.reply import Reply
from gateway.vendors.routes import Route
from gateway.vendors.stats import UpstreamStats

# Seconds a HUBmis answer stays fresh. HUBmis documents no refresh interval; people change more
# often than the school's structure, and every call spends the scarce rate budget.
TTL_PEOPLE_S = 300.0
TTL_STRUCTURE_S = 3600.0
LIST_PAGE = routes.MAX_PAGE_SIZE  # HUBmis' largest page: the crosswalk's indexes read the lists in pages of it

T = TypeVar("T")


def _students_by_id(body: Any) -> dict[int, HubmisStudent]:
    return {student.id: student for student in (HubmisStudent.from_payload(item) for item in envelope(body))}


def _staff_by_id(body: Any) -> dict[int, HubmisStaff]:
    return {staff.id: staff for staff in (HubmisStaff.from_payload(item) for item in envelope(body))}


# A list route's records by id, from one page of it (``HubmisClient.list_page_by_id``).
PAGE_MODELS: dict[str, Callable[[Any], dict[int, Any]]] = {
    routes.LIST_STUDENTS.key: _students_by_id, routes.LIST_STAFF.key: _staff_by_id}


class HubmisClient(VendorClient):
    vendor = "hubmis"
    routes = routes.ROUTES

    def __init__(self, config: HubmisConfig, *, cache: ResponseCache, stats: UpstreamStats | None = None,
                 redis: Redis | None = None, redis_link: RedisLink | None = None) -> None:
        rate: RateBudget
        # From taking its token to its answer a call waits at most a timeout for the breaker, one for a token
        # and one for HUBmis: the bucket then knows which calls HUBmis' X-RateLimit-Remaining may not count yet.
        in_flight_s = 3 * config.http.timeout_s
        if redis is not None:
            rate = RedisBucket(redis, f"cg:rate:hubmis:{config.realm}:{config.client_id}",
                               config.rate_limit_bucket, config.rate_limit_refill_s, link=redis_link,
                               in_flight_s=in_flight_s)
        else:
            rate = LocalBucket(config.rate_limit_bucket, config.rate_limit_refill_s, in_flight_s=in_flight_s)
        super().__init__(config.base_url, config.http, cache=cache, stats=stats, rate=rate,
                         variant=f"realm={config.realm};year={config.academic_year_id}")
        self.page_size = config.page_size
        self.auth = ClientCredentials(self.token_call, routes.GET_TOKEN, config.client_id, config.client_secret,
                                      config.realm, config.academic_year_id)

    async def fetch(self, route: Route, *, path: Mapping[str, Any] | None = None,
                    params: Mapping[str, Any] | None = None, ttl: float = TTL_PEOPLE_S) -> Any:
        """One cached read of any HUBmis route; the parsed body."""
        reply: Reply = await self.get(route, path=path, params=params, ttl=ttl)
        return reply.body

    async def pages(self, route: Route, *, path: Mapping[str, Any] | None = None,
                    params: Mapping[str, Any] | None = None, page_size: int | None = None,
                    ttl: float = TTL_PEOPLE_S, first_page: int = 1) -> AsyncIterator[list[dict[str, Any]]]:
        """Every page of a list, ``page[number]`` from ``first_page``, stopping on a short (or empty) page. The size
        asked is at most HUBmis' largest page (100), which HUBmis refuses to exceed with a 422."""
        size = min(page_size or self.page_size, routes.MAX_PAGE_SIZE)
        number = first_page
        while True:
            query = {**(params or {}), "page[number]": number, "page[size]": size}
            items = envelope((await self.get(route, path=path, params=query, ttl=ttl)).body)
            if items:
                yield items
            if len(items) < size:
                return
            number += 1

    async def _one(self, route: Route, model: Callable[[dict[str, Any]], T], path: Mapping[str, Any],
                   ttl: float = TTL_PEOPLE_S, params: Mapping[str, Any] | None = None) -> T:
        record_id = path.get("id")
        if isinstance(record_id, int) and record_id < 1:  # ids count from 1: no call of the scarce budget on a 404
            raise VendorNotFound(self.vendor, f"no such record: {record_id}", route=route.key)
        return (await self.get(route, path=path, params=params, ttl=ttl)).parse(model)

    async def _list(self, route: Route, model: Callable[[dict[str, Any]], T], *,
                    path: Mapping[str, Any] | None = None, params: Mapping[str, Any] | None = None,
                    ttl: float = TTL_PEOPLE_S, key: str | None = None) -> list[T]:
        """An unpaged list: a bare array, a ``{data: [...]}`` envelope, or the array under ``key``."""
        body = await self.fetch(route, path=path, params=params, ttl=ttl)
        if key is not None and isinstance(body, dict) and key in body:
            body = body[key]
        return [model(item) for item in envelope(body)]

    async def _all(self, route: Route, model: Callable[[dict[str, Any]], T], params: Mapping[str, Any], *,
                   path: Mapping[str, Any] | None = None, ttl: float = TTL_PEOPLE_S,
                   limit: int | None = None) -> list[T]:
        """Every page of a paged list (or the first ``limit`` records), each parsed by ``model``."""
        found: list[T] = []
        size = min(limit, self.page_size) if limit else None
        async for page in self.pages(route, path=path, params=params, page_size=size, ttl=ttl):
            found += [model(item) for item in page]
            if limit is not None and len(found) >= limit:
                return found[:limit]
        return found

    # ---- students ------------------------------------------------------------------------------
    async def get_student(self, student_id: int) -> HubmisStudent:
        """``GET /api/v1/students/{id}``."""
        return await self._one(routes.GET_STUDENT, HubmisStudent.from_payload, {"id": student_id})

    async def list_students(self, filters: Filters = None, *, search: str | None = None, sort: Sort = None,
                            limit: int | None = None, **more: Any) -> list[HubmisStudent]:
        """``GET /api/v1/students``, every page; filters by HUBmis name or snake_case keyword
        (``year_group=8`` is ``filter[yearGroup]=8``, ``enrolment_status="current"``)."""
        return await self._all(routes.LIST_STUDENTS, HubmisStudent.from_payload, query(filters, more, search, sort),
                               limit=limit)

    async def list_past_students(self, filters: Filters = None, *, search: str | None = None,
                                 limit: int | None = None, **more: Any) -> list[HubmisStudent]:
        """``GET /api/v1/students/past``, every page (``filter[gender|destinationSchool]``)."""
        return await self._all(routes.LIST_PAST_STUDENTS, HubmisStudent.from_payload,
                               query(filters, more, search, None), limit=limit)

    async def get_student_consent(self, student_id: int) -> HubmisConsent:
        """``GET /api/v1/students/{id}/consent``."""
        return await self._one(routes.GET_STUDENT_CONSENT, HubmisConsent.from_payload, {"id": student_id})

    async def get_student_enrolment(self, student_id: int) -> HubmisEnrolment:
        """``GET /api/v1/students/{id}/enrolment``."""
        return await self._one(routes.GET_STUDENT_ENROLMENT, HubmisEnrolment.from_payload, {"id": student_id})

    async def list_student_email_addresses(self, student_id: int) -> list[HubmisEmailAddress]:
        """``GET /api/v1/students/{id}/email-addresses``."""
        return await self._list(routes.LIST_STUDENT_EMAIL_ADDRESSES, HubmisEmailAddress.from_payload,
                                path={"id": student_id})

    async def list_student_contact_relations(self, student_id: int) -> list[HubmisContactRelation]:
        """``GET /api/v1/students/{id}/contact-relations``: parents and guardians by priority."""
        return await self._list(routes.LIST_STUDENT_CONTACT_RELATIONS, HubmisContactRelation.from_payload,
                                path={"id": student_id})

    async def list_student_academic_structure(self, student_id: int) -> list[HubmisGroup]:
        """``GET /api/v1/students/{id}/academic-structure``: year group, form, tutor group and subject sets
        (each with ``group_type``)."""
        return await self._list(routes.LIST_STUDENT_ACADEMIC_STRUCTURE, HubmisGroup.from_payload,
                                path={"id": student_id})

    async def get_student_attendance(self, student_id: int, from_: When = None, to: When = None, *,
                                     session: str | None = None, code: str | None = None) -> list[HubmisAttendanceMark]:
        """``GET /api/v1/students/{id}/attendance``: am/pm marks of the active year, optionally between ``from_`` and
        ``to`` (``filter[dateTime][from|to]``; a date covers the whole day), one ``session`` (am|pm) or ``code``."""
        params = {"filter[dateTime][from]": when(from_), "filter[dateTime][to]": when(to),
                  "filter[attendanceSession]": session, "filter[attendanceCode]": code}
        return await self._list(routes.GET_STUDENT_ATTENDANCE, HubmisAttendanceMark.from_payload,
                                path={"id": student_id}, params={k: v for k, v in params.items() if v is not None})

    async def get_student_timetable(self, student_id: int) -> list[HubmisTimetablePeriod]:
        """``GET /api/v1/students/{id}/timetable``: the weekly periods (the ``timetables`` array)."""
        return await self._list(routes.GET_STUDENT_TIMETABLE, HubmisTimetablePeriod.from_payload,
                                path={"id": student_id}, key="timetables")

    async def get_student_timetable_calendar(self, student_id: int, date_from: date,
                                             date_to: date | None = None) -> list[HubmisTimetablePeriod]:
        """``GET /api/v1/students/{id}/timetable/calendar``: dated lessons (the ``calendar`` array) of one day or a
        range of at most 366 days."""
        return await self._list(routes.GET_STUDENT_TIMETABLE_CALENDAR, HubmisTimetablePeriod.from_payload,
                                path={"id": student_id}, params=window(date_from, date_to), key="calendar")

    # ---- staff and contacts ----------------------------------------------------------------------
    async def get_staff(self, staff_id: int) -> HubmisStaff:
        """``GET /api/v1/staff/{id}``."""
        return await self._one(routes.GET_STAFF, HubmisStaff.from_payload, {"id": staff_id})

    async def list_page_by_id(self, route: Route, number: int) -> dict[int, Any]:
        """Page ``number`` of the students' or the staff's list, unfiltered, in pages of ``LIST_PAGE`` (the pages
        the crosswalk's indexes read), by id; cached as a record is (``resolvers.listpages``)."""
        return (await self.get(route, params=self.page_params(number), ttl=TTL_PEOPLE_S)).parse(PAGE_MODELS[route.key])

    @staticmethod
    def page_params(number: int) -> dict[str, int]:
        return {"page[number]": number, "page[size]": LIST_PAGE}

    async def list_staff(self, filters: Filters = None, *, search: str | None = None, sort: Sort = None,
                         limit: int | None = None, **more: Any) -> list[HubmisStaff]:
        """``GET /api/v1/staff``, every page (``filter[department|section|status|subject|form|subjectSet|...]``)."""
        return await self._all(routes.LIST_STAFF, HubmisStaff.from_payload, query(filters, more, search, sort),
                               limit=limit)

    async def get_staff_school_details(self, staff_id: int) -> HubmisStaffSchoolDetails:
        """``GET /api/v1/staff/{id}/school-details``."""
        return await self._one(routes.GET_STAFF_SCHOOL_DETAILS, HubmisStaffSchoolDetails.from_payload,
                               {"id": staff_id})

    async def list_staff_email_addresses(self, staff_id: int) -> list[HubmisEmailAddress]:
        """``GET /api/v1/staff/{id}/email-addresses``."""
        return await self._list(routes.LIST_STAFF_EMAIL_ADDRESSES, HubmisEmailAddress.from_payload,
                                path={"id": staff_id})

    async def get_staff_timetable(self, staff_id: int) -> list[HubmisTimetablePeriod]:
        """``GET /api/v1/staff/{id}/timetable``: the weekly periods taught."""
        return await self._list(routes.GET_STAFF_TIMETABLE, HubmisTimetablePeriod.from_payload,
                                path={"id": staff_id}, key="timetables")

    async def get_staff_timetable_calendar(self, staff_id: int, date_from: date,
                                           date_to: date | None = None) -> list[HubmisTimetablePeriod]:
        """``GET /api/v1/staff/{id}/timetable/calendar``: dated lessons of one day or a range."""
        return await self._list(routes.GET_STAFF_TIMETABLE_CALENDAR, HubmisTimetablePeriod.from_payload,
                                path={"id": staff_id}, params=window(date_from, date_to), key="calendar")

    async def get_contact(self, contact_id: int) -> HubmisContact:
        """``GET /api/v1/contacts/{id}``."""
        return await self._one(routes.GET_CONTACT, HubmisContact.from_payload, {"id": contact_id})

    async def list_contacts(self, filters: Filters = None, *, search: str | None = None, limit: int | None = None,
                            **more: Any) -> list[HubmisContact]:
        """``GET /api/v1/contacts``, every page (``filter[status]``)."""
        return await self._all(routes.LIST_CONTACTS, HubmisContact.from_payload, query(filters, more, search, None),
                               limit=limit)

    # ---- school structure (year-scoped records have new ids each year) ---------------------------------
    async def list_academic_years(self) -> list[HubmisAcademicYear]:
        """``GET /api/v1/academic-years``."""
        return await self._list(routes.LIST_ACADEMIC_YEARS, HubmisAcademicYear.from_payload, ttl=TTL_STRUCTURE_S)

    async def active_academic_year_id(self) -> int | None:
        """The id of the year ``GET /api/v1/academic-years`` marks active (cached 1 h): the year a student's academic
        structure shows, whatever ``academic-year-id`` says; None when HUBmis marks none."""
        return next((year.id for year in await self.list_academic_years() if year.is_active), None)

    async def list_terms(self, academic_year_id: int) -> list[HubmisTerm]:
        """``GET /api/v1/academic-years/{academicYearId}/terms``."""
        return await self._list(routes.LIST_TERMS, HubmisTerm.from_payload, path=year_path(academic_year_id),
                                ttl=TTL_STRUCTURE_S)

    async def list_departments(self, academic_year_id: int, *, search: str | None = None) -> list[HubmisDepartment]:
        """``GET /api/v1/academic-years/{academicYearId}/departments``."""
        return await self._list(routes.LIST_DEPARTMENTS, HubmisDepartment.from_payload,
                                path=year_path(academic_year_id), params=query(None, {}, search, None),
                                ttl=TTL_STRUCTURE_S)

    async def get_department(self, academic_year_id: int, department_id: int) -> HubmisDepartment:
        """``GET /api/v1/academic-years/{academicYearId}/departments/{id}``."""
        return await self._one(routes.GET_DEPARTMENT, HubmisDepartment.from_payload,
                               year_path(academic_year_id, department_id), TTL_STRUCTURE_S)

    async def list_subjects(self, academic_year_id: int, filters: Filters = None, **more: Any) -> list[HubmisSubject]:
        """``GET /api/v1/academic-years/{academicYearId}/subjects`` (``filter[department|section]``)."""
        return await self._list(routes.LIST_SUBJECTS, HubmisSubject.from_payload, path=year_path(academic_year_id),
                                params=query(filters, more, None, None), ttl=TTL_STRUCTURE_S)

    async def get_subject(self, academic_year_id: int, subject_id: int) -> HubmisSubject:
        """``GET /api/v1/academic-years/{academicYearId}/subjects/{id}``."""
        return await self._one(routes.GET_SUBJECT, HubmisSubject.from_payload, year_path(academic_year_id, subject_id),
                               TTL_STRUCTURE_S)

    async def list_subject_sets(self, academic_year_id: int, filters: Filters = None, *, search: str | None = None,
                                sort: Sort = None, limit: int | None = None, **more: Any) -> list[HubmisGroup]:
        """``GET /api/v1/academic-years/{academicYearId}/subject-sets``, every page."""
        found = await self._all(routes.LIST_SUBJECT_SETS, HubmisGroup.from_payload,
                                query(filters, more, search, sort), path=year_path(academic_year_id),
                                ttl=TTL_STRUCTURE_S, limit=limit)
        return by_kind(found, "subject_set")

    async def get_subject_set(self, academic_year_id: int, subject_set_id: int) -> HubmisGroup:
        """``GET /api/v1/academic-years/{academicYearId}/subject-sets/{id}``."""
        return await self._group(routes.GET_SUBJECT_SET, academic_year_id, subject_set_id, "subject_set")

    async def list_subject_set_students(self, academic_year_id: int, subject_set_id: int) -> list[HubmisStudent]:
        """``GET /api/v1/academic-years/{academicYearId}/subject-sets/{id}/students``."""
        return await self._list(routes.LIST_SUBJECT_SET_STUDENTS, HubmisStudent.from_payload,
                                path=year_path(academic_year_id, subject_set_id))

    async def list_forms(self, academic_year_id: int, filters: Filters = None, *, search: str | None = None,
                         sort: Sort = None, **more: Any) -> list[HubmisGroup]:
        """``GET /api/v1/academic-years/{academicYearId}/forms`` (``filter[yearGroup|section]``)."""
        found = await self._list(routes.LIST_FORMS, HubmisGroup.from_payload, path=year_path(academic_year_id),
                                 params=query(filters, more, search, sort), ttl=TTL_STRUCTURE_S)
        return by_kind(found, "form")

    async def get_form(self, academic_year_id: int, form_id: int) -> HubmisGroup:
        """``GET /api/v1/academic-years/{academicYearId}/forms/{id}``."""
        return await self._group(routes.GET_FORM, academic_year_id, form_id, "form")

    async def list_form_students(self, academic_year_id: int, form_id: int) -> list[HubmisStudent]:
        """``GET /api/v1/academic-years/{academicYearId}/forms/{id}/students``."""
        return await self._list(routes.LIST_FORM_STUDENTS, HubmisStudent.from_payload,
                                path=year_path(academic_year_id, form_id))

    async def list_tutor_groups(self, academic_year_id: int, filters: Filters = None, *, search: str | None = None,
                                **more: Any) -> list[HubmisGroup]:
        """``GET /api/v1/academic-years/{academicYearId}/tutor-groups`` (``filter[section]``)."""
        found = await self._list(routes.LIST_TUTOR_GROUPS, HubmisGroup.from_payload, path=year_path(academic_year_id),
                                 params=query(filters, more, search, None), ttl=TTL_STRUCTURE_S)
        return by_kind(found, "tutor_group")

    async def get_tutor_group(self, academic_year_id: int, tutor_group_id: int) -> HubmisGroup:
        """``GET /api/v1/academic-years/{academicYearId}/tutor-groups/{id}``."""
        return await self._group(routes.GET_TUTOR_GROUP, academic_year_id, tutor_group_id, "tutor_group")

    async def list_tutor_group_students(self, academic_year_id: int, tutor_group_id: int) -> list[HubmisStudent]:
        """``GET /api/v1/academic-years/{academicYearId}/tutor-groups/{id}/students``."""
        return await self._list(routes.LIST_TUTOR_GROUP_STUDENTS, HubmisStudent.from_payload,
                                path=year_path(academic_year_id, tutor_group_id))

    async def list_year_groups(self, academic_year_id: int, filters: Filters = None, **more: Any) -> list[HubmisGroup]:
        """``GET /api/v1/academic-years/{academicYearId}/year-groups`` (``filter[section]``)."""
        found = await self._list(routes.LIST_YEAR_GROUPS, HubmisGroup.from_payload, path=year_path(academic_year_id),
                                 params=query(filters, more, None, None), ttl=TTL_STRUCTURE_S)
        return by_kind(found, "year_group")

    async def get_year_group(self, academic_year_id: int, year_group_id: int) -> HubmisGroup:
        """``GET /api/v1/academic-years/{academicYearId}/year-groups/{id}``."""
        return await self._group(routes.GET_YEAR_GROUP, academic_year_id, year_group_id, "year_group")

    async def list_sections(self) -> list[HubmisSection]:
        """``GET /api/v1/sections``: the school's sections (Middle School, Sixth Form...)."""
        return await self._list(routes.LIST_SECTIONS, HubmisSection.from_payload, ttl=TTL_STRUCTURE_S)

    async def get_section(self, section_id: int) -> HubmisSection:
        """``GET /api/v1/sections/{id}``."""
        return await self._one(routes.GET_SECTION, HubmisSection.from_payload, {"id": section_id}, TTL_STRUCTURE_S)

    async def _group(self, route: Route, academic_year_id: int, group_id: int, kind: str) -> HubmisGroup:
        group = await self._one(route, HubmisGroup.from_payload, year_path(academic_year_id, group_id), TTL_STRUCTURE_S)
        return by_kind([group], kind)[0]

    # ---- houses, rooms, attendance codes -----------------------------------------------------------
    async def list_houses(self, filters: Filters = None, **more: Any) -> list[HubmisGroup]:
        """``GET /api/v1/houses`` (``house_type="academic"|"boarding"``, ``is_active=True``)."""
        found = await self._list(routes.LIST_HOUSES, HubmisGroup.from_payload,
                                 params=query(filters, more, None, None), ttl=TTL_STRUCTURE_S)
        return by_kind(found, "house")

    async def get_house(self, house_id: int) -> HubmisGroup:
        """``GET /api/v1/houses/{id}``."""
        house = await self._one(routes.GET_HOUSE, HubmisGroup.from_payload, {"id": house_id}, TTL_STRUCTURE_S)
        return by_kind([house], "house")[0]

    async def list_house_students(self, house_id: int, filters: Filters = None, *, search: str | None = None,
                                  sort: Sort = None, **more: Any) -> list[HubmisStudent]:
        """``GET /api/v1/houses/{id}/students``: current students on roll in the house."""
        return await self._list(routes.LIST_HOUSE_STUDENTS, HubmisStudent.from_payload, path={"id": house_id},
                                params=query(filters, more, search, sort))

    async def list_rooms(self, filters: Filters = None, *, search: str | None = None, limit: int | None = None,
                         **more: Any) -> list[HubmisRoom]:
        """``GET /api/v1/rooms``, every page (``filter[location]``)."""
        return await self._all(routes.LIST_ROOMS, HubmisRoom.from_payload, query(filters, more, search, None),
                               ttl=TTL_STRUCTURE_S, limit=limit)

    async def get_room(self, room_id: int) -> HubmisRoom:
        """``GET /api/v1/rooms/{id}``."""
        return await self._one(routes.GET_ROOM, HubmisRoom.from_payload, {"id": room_id}, TTL_STRUCTURE_S)

    async def list_attendance_codes(self, *, display: bool | None = None) -> list[HubmisAttendanceCode]:
        """``GET /api/v1/attendance-codes`` (``filter[display]``)."""
        return await self._list(routes.LIST_ATTENDANCE_CODES, HubmisAttendanceCode.from_payload,
                                params=query(None, {"display": display}, None, None), ttl=TTL_STRUCTURE_S)

