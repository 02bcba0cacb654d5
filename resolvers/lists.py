"""Connections over each vendor's own paging, and lookups of staff, enrollments and holds.

A page of records also primes this request's loaders, so fields asked of the listed objects do
not fetch again what the page already carried.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from gateway.vendors.dartmouth import routes as dartmouth_routes
from gateway.vendors.dartmouth.client import TTL_ACADEMIC_S, TTL_STUDENTS_S
from gateway.vendors.dartmouth.models import DartmouthSection, DartmouthStudent
from gateway.vendors.hubmis import routes as hubmis_routes
from gateway.vendors.hubmis.client import TTL_PEOPLE_S
from gateway.vendors.hubmis.models import HubmisStaff, HubmisStudent
from gateway.vendors.payload import envelope
from resolvers.mapping import academic
from resolvers.paging import check_first, dartmouth_page, decode_cursor, encode_cursor
from resolvers.port import DARTMOUTH, HUBMIS, Port
from schema.enums import Vendor
from schema.inputs import SectionFilter, StaffFilter, StudentFilter
from schema.node import PageInfo
from schema.types import (
    Enrollment,
    Hold,
    SectionConnection,
    SectionEdge,
    StaffConnection,
    StaffEdge,
    StudentConnection,
    StudentEdge,
)

T = TypeVar("T")


def _clean(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if v is not None}


async def _hubmis_page(port: Port, route: Any, filters: dict[str, Any], first: int,
                       after: str | None, model: Callable[[Any], T]) -> tuple[list[T], dict[str, Any]]:
    """One page of a HUBmis list, each record parsed by ``model`` (once per cached answer)."""
    state = decode_cursor(after) if after else None
    size = int(state.get("size", first)) if state else check_first(first, maximum=100)  # HUBmis' largest page
    page = state["page"] + 1 if state else 1
    query = {**filters, "page[number]": page, "page[size]": size}
    reply = await port.up.hubmis.get(route, params=query, ttl=TTL_PEOPLE_S)
    return reply.parse_each(model, envelope), {"page": page, "size": size}


def _page_info(state: dict[str, Any], count: int, total: int | None) -> tuple[PageInfo, str]:
    cursor = encode_cursor(state)
    more = count == state["size"] and (total is None or state["page"] * state["size"] < total)
    return PageInfo(has_next_page=more, end_cursor=cursor if count else None), cursor


async def students(port: Port, source: Vendor, f: StudentFilter, first: int, after: str | None) -> StudentConnection:
    if source is Vendor.HUBMIS:
        records, state = await _hubmis_page(port, hubmis_routes.LIST_STUDENTS, _clean({
            "search": f.search, "filter[yearGroup]": f.year_group, "filter[form]": f.form,
            "filter[enrolmentStatus]": f.status_code}), first, after, HubmisStudent.from_payload)
        nodes = []
        for record in records:
            port.loaders.hubmis_student_by_id.prime(record.id, record)
            key = record.external_id or f"hubmis:{record.id}"
            if not await port.hidden(key):
                nodes.append(port.student(key, **{HUBMIS: record.id}))
        info, cursor = _page_info(state, len(nodes), None)
        return StudentConnection(edges=[StudentEdge(cursor=cursor, node=n) for n in nodes], page_info=info,
                                 total_count=None)
    if source is Vendor.STELLIC:
        return await _stellic_students(port, first, after)
    students_page, state, total = await dartmouth_page(port.dartmouth, dartmouth_routes.LIST_STUDENTS, _clean({
        "class_year": f.class_year, "school_id": f.school_id, "student_status_id": f.status_code}),
        first, after, TTL_STUDENTS_S, DartmouthStudent.from_payload)
    nodes = []
    for record in students_page:
        port.loaders.dartmouth_student_by_netid.prime(record.netid, record)
        nodes.append(port.student(record.netid, **{DARTMOUTH: record.netid}))
    info, cursor = _page_info(state, len(nodes), total)
    return StudentConnection(edges=[StudentEdge(cursor=cursor, node=n) for n in nodes], page_info=info,
                             total_count=total)


async def _stellic_students(port: Port, first: int, after: str | None) -> StudentConnection:
    """Stellic lists students only through its engagement export: one cached CSV, paged here."""
    state = decode_cursor(after) if after else None
    size = int(state.get("size", first)) if state else check_first(first)
    page = state["page"] + 1 if state else 1
    usernames = sorted(await port.stellic_index.usernames())
    chunk = usernames[(page - 1) * size: page * size]
    nodes = [port.student(port.rules.key_for_username(u), stellic=u) for u in chunk
             if not await port.hidden(port.rules.key_for_username(u))]
    info, cursor = _page_info({"page": page, "size": size}, len(nodes), len(usernames))
    return StudentConnection(edges=[StudentEdge(cursor=cursor, node=n) for n in nodes], page_info=info,
                             total_count=len(usernames))


async def staff(port: Port, f: StaffFilter, first: int, after: str | None) -> StaffConnection:
    staff_page, state = await _hubmis_page(port, hubmis_routes.LIST_STAFF, _clean({
        "search": f.search, "filter[department]": f.department, "filter[status]": f.status}), first, after,
        HubmisStaff.from_payload)
    nodes = [port.staff_from_hubmis(record) for record in staff_page]
    info, cursor = _page_info(state, len(nodes), None)
    return StaffConnection(edges=[StaffEdge(cursor=cursor, node=n) for n in nodes], page_info=info, total_count=None)


async def sections(port: Port, term: str, f: SectionFilter, first: int, after: str | None) -> SectionConnection:
    sections_page, state, total = await dartmouth_page(port.dartmouth, dartmouth_routes.LIST_SECTIONS, _clean({
        "term.sis_term_code": term, "subject_id": f.subject, "course_number": f.course_number,
        "is_in_session": None if f.is_in_session is None else str(f.is_in_session).lower()}),
        first, after, TTL_ACADEMIC_S, DartmouthSection.from_payload)
    nodes = []
    for record in sections_page:
        port.loaders.dartmouth_section_by_id.prime(record.id, record)
        nodes.append(academic.section_from_dartmouth(record, full=record))
    info, cursor = _page_info(state, len(nodes), total)
    return SectionConnection(edges=[SectionEdge(cursor=cursor, node=n) for n in nodes], page_info=info,
                             total_count=total)


async def enrollment(port: Port, key: str) -> Enrollment | None:
    record = await port.loaders.dartmouth_enrollment_by_id.load(key)
    return None if record is None else academic.enrollment_from_dartmouth(record)


async def hold(port: Port, key: str) -> Hold | None:
    record = await port.loaders.dartmouth_hold_by_id.load(key)
    return None if record is None else academic.hold_from_dartmouth(record)
