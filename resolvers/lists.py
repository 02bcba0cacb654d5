"""Connections over each vendor's own paging, and lookups of staff, enrollments and holds.

A page of records also primes this request's loaders, so fields asked of the listed objects do
not fetch again what the page already carried.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from gateway.errors import GatewayError
from gateway.security.limits import HUBMIS_LARGEST_PAGE, LARGEST_PAGE
from gateway.vendors.dartmouth import routes as dartmouth_routes
from gateway.vendors.dartmouth.client import TTL_ACADEMIC_S, TTL_STUDENTS_S
from gateway.vendors.dartmouth.models import DartmouthSection, DartmouthStudent
from gateway.vendors.hubmis import routes as hubmis_routes
from gateway.vendors.hubmis.client import TTL_PEOPLE_S
from gateway.vendors.hubmis.models import HubmisStaff, HubmisStudent
from gateway.vendors.payload import envelope
from resolvers.arguments import blank, check_filter, check_one_of, check_term, dartmouth_class_year
from resolvers.mapping import academic
from resolvers.paging import Page, dartmouth_page, list_tag, paged, visible_page
from resolvers.port import Port
from resolvers.portbase import DARTMOUTH, HUBMIS, HUBMIS_KEY
from schema.connections import (
    SectionConnection,
    SectionEdge,
    StaffConnection,
    StaffEdge,
    StudentConnection,
    StudentEdge,
)
from schema.enums import Vendor
from schema.inputs import SectionFilter, StaffFilter, StudentFilter
from schema.types import Enrollment, Hold

T = TypeVar("T")


def _clean(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if v is not None}


async def _hubmis_page(port: Port, route: Any, filters: dict[str, Any], first: int,
                       after: str | None, model: Callable[[Any], T],
                       keep: Callable[[T], Awaitable[bool]] | None = None) -> Page[T]:
    """A page of a HUBmis list, each record parsed by ``model`` (once per cached answer); ``keep``: whether the
    caller may see a record, for a caller who may not see them all (``visible_page``)."""

    async def read(number: int, size: int) -> list[T]:
        query = {**filters, "page[number]": number, "page[size]": size}
        reply = await port.up.hubmis.get(route, params=query, ttl=TTL_PEOPLE_S)
        return reply.parse_each(model, envelope)

    tag = list_tag(route.key, filters)
    if keep is not None:
        return await visible_page(read, tag, first, after, HUBMIS_LARGEST_PAGE, keep)
    return await paged(read, tag, first, after, maximum=HUBMIS_LARGEST_PAGE)


# Which sources can apply each student filter (by its GraphQL name); Stellic's export takes none.
STUDENT_FILTERS: dict[str, tuple[Vendor, ...]] = {
    "classYear": (Vendor.DARTMOUTH,), "schoolId": (Vendor.DARTMOUTH,),
    "statusCode": (Vendor.DARTMOUTH, Vendor.HUBMIS), "search": (Vendor.HUBMIS,), "yearGroup": (Vendor.HUBMIS,),
    "form": (Vendor.HUBMIS,)}
HUBMIS_ENROLMENT_STATUSES = ("current", "past", "applicant")  # filter[enrolmentStatus], seed 002


def check_student_filter(source: Vendor, f: StudentFilter) -> None:
    """BAD_USER_INPUT for an empty filter value, a filter the source cannot apply (ignoring it would answer an
    unfiltered list), or a value outside the set the vendor documents for it (it would refuse the read)."""
    given = {"classYear": f.class_year, "schoolId": f.school_id, "statusCode": f.status_code, "search": f.search,
             "yearGroup": f.year_group, "form": f.form}
    for name, value in given.items():
        if isinstance(value, str):  # yearGroup and form are HUBmis ids (Int)
            check_filter(f"filter.{name}", value)
        if value is not None and source not in STUDENT_FILTERS[name]:
            takes = " or ".join(v.name for v in STUDENT_FILTERS[name])
            raise GatewayError(f"filter.{name} applies to source {takes} only, not {source.name}", "BAD_USER_INPUT",
                               argument="filter")
    if source is Vendor.HUBMIS:
        check_one_of("filter.statusCode", f.status_code, HUBMIS_ENROLMENT_STATUSES, where=" for HUBMIS")


async def check_dartmouth_student_filter(port: Port, f: StudentFilter) -> None:
    """BAD_USER_INPUT for a status or school id Dartmouth's value lists (``/api/student_statuses``,
    ``/api/schools``, cached a day) do not hold: Dartmouth would answer an empty page, which reads as "no such
    students" rather than "no such status"."""
    for name, value, read in (("statusCode", f.status_code, port.dartmouth.list_student_statuses),
                              ("schoolId", f.school_id, port.dartmouth.list_schools)):
        if value is not None:
            check_one_of(f"filter.{name}", value, tuple(known.id for known in await read()), where=" for DARTMOUTH")


async def students(port: Port, source: Vendor, f: StudentFilter, first: int, after: str | None) -> StudentConnection:
    check_student_filter(source, f)
    class_year = dartmouth_class_year(f.class_year)  # before any call, as every other filter's check
    if source is Vendor.DARTMOUTH:
        await check_dartmouth_student_filter(port, f)
    if source is Vendor.HUBMIS:

        def key_of(record: HubmisStudent) -> str:
            # The key as every other path takes it (student(hubmisId:), node(id:)): one person, one global id.
            return port.rules.norm(record.external_id) if record.external_id else f"{HUBMIS_KEY}{record.id}"

        async def visible(record: HubmisStudent) -> bool:
            return not await port.hidden(key_of(record))

        # A caller who may not see FERPA-protected people gets pages of those it may see, and hasNextPage only
        # when one follows: not a page short of them, or an empty one, with more (or none) to come.
        listed = await _hubmis_page(port, hubmis_routes.LIST_STUDENTS, _clean({
            "search": f.search, "filter[yearGroup]": f.year_group, "filter[form]": f.form,
            "filter[enrolmentStatus]": f.status_code}), first, after, HubmisStudent.from_payload,
            keep=None if port.private else visible)
        edges = []
        for i, record in enumerate(listed.records):
            port.loaders.hubmis_student_by_id.prime(record.id, record)
            edges.append(StudentEdge(cursor=listed.cursor(i), node=port.student(key_of(record), **{HUBMIS: record.id})))
        return StudentConnection(edges=edges, page_info=listed.page_info(), total_count=None)
    if source is Vendor.STELLIC:
        return await _stellic_students(port, first, after)
    page = await dartmouth_page(port.dartmouth, dartmouth_routes.LIST_STUDENTS, _clean({
        "class_year": class_year, "school_id": f.school_id, "student_status_id": f.status_code}),
        first, after, TTL_STUDENTS_S, DartmouthStudent.from_payload)
    edges = []
    for i, student in enumerate(page.records):
        port.loaders.dartmouth_student_by_netid.prime(student.netid, student)
        edges.append(StudentEdge(cursor=page.cursor(i), node=port.student(student.netid, **{DARTMOUTH: student.netid})))
    return StudentConnection(edges=edges, page_info=page.page_info(), total_count=page.total)


async def _stellic_students(port: Port, first: int, after: str | None) -> StudentConnection:
    """Stellic lists students only through its engagement export: one cached CSV, paged here. The whole list
    is at hand, so the page knows where the list ends, and a caller who may not see FERPA-protected people
    gets the list without them once the index names them: full pages, and a totalCount of whom it lists, as
    Dartmouth's own list answers such a caller. Each row carries the student's engagement score, so a listed
    student's ``stellic { engagementScore }`` (and whether Stellic knows them) costs no call of its own."""
    rows = await port.stellic_index.rows()  # normalised username -> export row
    spelled = port.stellic_index.spellings(rows)  # as Stellic spells it

    def key_of(username: str) -> str:
        return port.rules.norm(port.rules.key_for_username(spelled[username]))

    usernames = sorted(spelled)
    filtered = not port.private and port.ferpa.ready.is_set()
    if filtered:
        usernames = [u for u in usernames if not await port.hidden(key_of(u))]

    async def read(number: int, size: int) -> list[str]:
        return usernames[(number - 1) * size: number * size]

    # Positions differ between the lists with and without protected people: a cursor continues only its own.
    page = await paged(read, list_tag("stellic_students", {"ferpa_hidden": filtered}), first, after, LARGEST_PAGE,
                       total=len(usernames))
    edges = []
    for i, username in enumerate(page.records):
        key = key_of(username)
        if filtered or not await port.hidden(key):
            port.loaders.stellic_engagement_by_username.prime(spelled[username], rows[username])
            edges.append(StudentEdge(cursor=page.cursor(i), node=port.student(key, stellic=spelled[username])))
    return StudentConnection(edges=edges, page_info=page.page_info(), total_count=len(usernames))


HUBMIS_STAFF_STATUSES = ("current", "past")  # filter[status] of the staff list; HUBmis refuses any other


async def staff(port: Port, f: StaffFilter, first: int, after: str | None) -> StaffConnection:
    check_filter("filter.search", f.search)
    # Refused here: HUBmis' 422 would spend its budget and fail the whole (non-null) list as a vendor error.
    check_one_of("filter.status", f.status, HUBMIS_STAFF_STATUSES)
    page = await _hubmis_page(port, hubmis_routes.LIST_STAFF, _clean({
        "search": f.search, "filter[department]": f.department, "filter[status]": f.status}), first, after,
        HubmisStaff.from_payload)
    edges = [StaffEdge(cursor=page.cursor(i), node=port.staff_from_hubmis(record))
             for i, record in enumerate(page.records)]
    return StaffConnection(edges=edges, page_info=page.page_info(), total_count=None)


async def sections(port: Port, term: str, f: SectionFilter, first: int, after: str | None) -> SectionConnection:
    check_term("term", term)
    for name, value in (("filter.subject", f.subject), ("filter.courseNumber", f.course_number)):
        check_filter(name, value)
    page = await dartmouth_page(port.dartmouth, dartmouth_routes.LIST_SECTIONS, _clean({
        "term.sis_term_code": term, "subject_id": f.subject, "course_number": f.course_number,
        "is_in_session": None if f.is_in_session is None else str(f.is_in_session).lower()}),
        first, after, TTL_ACADEMIC_S, DartmouthSection.from_payload)
    edges = []
    for i, record in enumerate(page.records):
        port.loaders.dartmouth_section_by_id.prime(record.id, record)
        edges.append(SectionEdge(cursor=page.cursor(i), node=academic.section_from_dartmouth(record, full=record)))
    return SectionConnection(edges=edges, page_info=page.page_info(), total_count=page.total)


async def enrollment(port: Port, key: str) -> Enrollment | None:
    if blank(key):
        return None  # no enrollment has an empty id: nothing to ask Dartmouth
    record = await port.loaders.dartmouth_enrollment_by_id.load(key)
    return None if record is None else academic.enrollment_from_dartmouth(record)


async def hold(port: Port, key: str) -> Hold | None:
    if blank(key):
        return None
    record = await port.loaders.dartmouth_hold_by_id.load(key)
    return None if record is None else academic.hold_from_dartmouth(record)
