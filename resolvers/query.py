"""Root query fields."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import strawberry
from strawberry.types import Info
from strawberry.utils.str_converters import to_camel_case

from gateway.errors import GatewayError
from resolvers import lists
from resolvers.ids import OtherTypesId, key_of
from resolvers.mapping import academic
from resolvers.port import Port
from resolvers.tasks import TaskTracker, parse_task_id, require_scope, task_from_record
from schema.arguments import AFTER, TASK_ID, arg
from schema.connections import SectionConnection, StaffConnection, StudentConnection
from schema.detail import asked
from schema.enums import Vendor
from schema.inputs import SectionFilter, StaffFilter, StudentFilter
from schema.node import Node, decode_id
from schema.tasks import Task
from schema.types import (
    SECTION_ENROLLMENTS_FIRST,
    Enrollment,
    HoldType,
    Section,
    Staff,
    Student,
    Term,
    VendorFailure,
    VendorStatus,
)

# What each root argument is, and whose key or filter it is (GraphiQL shows these beside the fields').
NODE_ID = arg("A global ID this gateway issued: any record's `id` (the gateway).")
STUDENT_ID = arg("The student's global ID, `Student.id`, issued by the gateway (a bare netid is also taken).")
NETID = arg("Dartmouth netid, the crosswalk's shared key (HUBmis `external_id`).")
STELLIC_USERNAME = arg("Stellic username (the crosswalk's `CAMPUSGRAPH_CROSSWALK_STELLIC_USERNAME` of the netid).")
HUBMIS_STUDENT_ID = arg("HUBmis student `id`.")
SOURCE = arg("Whose list to page: DARTMOUTH (Dartmouth students, the default), HUBMIS (HUBmis students) or STELLIC "
              "(Stellic's engagement export).")
STUDENT_FILTER = arg("Filters the source's vendor applies: `classYear`, `schoolId` Dartmouth; `search`, "
                      "`yearGroup`, `form` HUBmis; `statusCode` either. One the source cannot apply is refused.")
STUDENTS_FIRST = arg("Page size, 0-1000 (HUBMIS source: 0-100); null or left out: 25. The gateway pages over the "
                      "vendor's own paging.")
STAFF_ID = arg("The staff member's global ID, `Staff.id`, issued by the gateway.")
STAFF_NETID = arg("Dartmouth netid, or the HUBmis staff `external_id` (crosswalk).")
HUBMIS_STAFF_ID = arg("HUBmis staff `id`.")
STAFF_FILTER = arg("HUBmis staff filters.")
STAFF_FIRST = arg("Page size, 0-100 (HUBmis' largest page); null or left out: 25. The gateway pages over HUBmis'.")
SECTION_ID = arg("Global ID (`Section.id`, the gateway's) or Dartmouth section id, e.g. COSC.010.01-202609-U-10275.")
TERM = arg("Dartmouth term code, e.g. 202609 (see `terms`), or a comparison or prefix Dartmouth's filter takes "
           "(`>=202601`, `2026*`); anything else (a term id `202609-U`, a year) is refused as BAD_USER_INPUT.")
SECTION_FILTER = arg("Dartmouth section attribute filters.")
SECTIONS_FIRST = arg("Page size, 0-1000; null or left out: 25. The gateway pages over Dartmouth's.")
ENROLLMENT_ID = arg("Global ID (`Enrollment.id`, the gateway's) or Dartmouth enrollment id.")
TERM_OFFSET = arg("Dartmouth `current_term_offset`: 0 the current term, -1 the one before, 1 the next; null: every "
                   "term.")


def _port(info: Info[Any, Any]) -> Port:
    port: Port = info.context.port
    return port


def _one_of(**args: object) -> tuple[str, Any]:
    given = [(k, v) for k, v in args.items() if v is not None]
    if len(given) != 1:
        # The arguments as the caller wrote them (hubmisId), not as Python names them (hubmis_id).
        raise GatewayError(f"give exactly one of {', '.join(map(to_camel_case, args))}", "BAD_USER_INPUT")
    return given[0]


def _key(global_or_raw: str, type_name: str) -> str:
    """Accept the opaque global ID or the vendor's own id; another type's global ID is refused, not looked up."""
    try:
        return key_of(global_or_raw, type_name)
    except OtherTypesId as exc:
        raise GatewayError(f"`id` is {exc}", "BAD_USER_INPUT", argument="id") from None


PAGE = 25  # a list's `first` when the caller leaves it out or gives null (the sketch's `first: Int = 25`)


def _first(first: int | None) -> int:
    """``first`` as given; an explicit null means the default, as leaving it out does."""
    return PAGE if first is None else first


def _asked_pages(info: Info[Any, Any], name: str, default_first: int) -> list[tuple[int, Any]]:
    """(first, after) of each page of the connection field ``name`` the query asks below this field."""
    pages = []
    for field in asked(info, name):
        first = field.arguments.get("first", default_first)  # a literal arrives as its source text
        if str(first).isdigit():
            pages.append((int(first), field.arguments.get("after")))
    return pages


def _failure(error: dict[str, Any] | None) -> VendorFailure | None:
    if error is None:
        return None
    return VendorFailure(code=error["code"], status=error["status"], message=error["message"], route=error["route"],
                         at=datetime.fromtimestamp(error["at"], UTC))


async def _task(info: Info[Any, Any], global_id: str) -> Task | None:
    tracker: TaskTracker = info.context.tasks
    kind, vendor_id = parse_task_id(global_id)
    require_scope(info, kind)
    loader = _port(info).loaders.task
    record = await (tracker.get(kind, vendor_id) if loader is None else loader.load((kind, vendor_id)))
    return None if record is None else task_from_record(record)


# Root fields that read a vendor are nullable (the sketch had the lists non-null): one vendor's failure nulls its
# own field, and the other root fields of the request, other vendors' among them, still arrive.
@strawberry.type(description="Reads. Each field says where its data comes from: a vendor (Dartmouth, HUBmis, "
                             "Stellic), the identity crosswalk, or the gateway itself.")
class Query:
    @strawberry.field(description="Any object by its global ID, read from the vendor its type comes from "
                                  "(Student: crosswalk; Staff: HUBmis, Dartmouth; the others: Dartmouth; Task: "
                                  "Dartmouth tasks, Stellic exports).")
    async def node(self, info: Info[Any, Any], id: Annotated[strawberry.ID, NODE_ID]) -> Node | None:
        decoded = decode_id(id)
        if decoded is None:
            raise GatewayError("not an ID this gateway issued", "BAD_USER_INPUT", argument="id")
        if decoded[0] == "Task":
            return await _task(info, id)
        result: Node | None = await _port(info).entity(*decoded, audit=info.context.audit)
        return result

    @strawberry.field(description="A student by exactly one of: global id, Dartmouth netid, Stellic username or "
                                  "HUBmis id; all reach the same person through the crosswalk.")
    async def student(self, info: Info[Any, Any], id: Annotated[strawberry.ID | None, STUDENT_ID] = None,
                      netid: Annotated[str | None, NETID] = None,
                      stellic_username: Annotated[str | None, STELLIC_USERNAME] = None,
                      hubmis_id: Annotated[int | None, HUBMIS_STUDENT_ID] = None) -> Student | None:
        name, value = _one_of(id=id, netid=netid, stellic_username=stellic_username, hubmis_id=hubmis_id)
        port = _port(info)
        if name == "id":
            return await port.resolve_student(key=_key(value, "Student"))
        if name == "netid":
            return await port.resolve_student(netid=value)
        if name == "stellic_username":
            return await port.resolve_student(username=value)
        return await port.resolve_student(hubmis_id=value)

    @strawberry.field(description="Students as one vendor lists them (its own paging and filters), linked to "
                                  "their other records. Sources: Dartmouth students, HUBmis students, or Stellic's "
                                  "engagement export (every username; it takes no filter).")
    async def students(self, info: Info[Any, Any], source: Annotated[Vendor | None, SOURCE] = Vendor.DARTMOUTH,
                       filter: Annotated[StudentFilter | None, STUDENT_FILTER] = None,
                       first: Annotated[int | None, STUDENTS_FIRST] = PAGE,
                       after: Annotated[str | None, AFTER] = None) -> StudentConnection | None:
        return await lists.students(_port(info), source or Vendor.DARTMOUTH, filter or StudentFilter(),
                                    _first(first), after)

    @strawberry.field(description="A member of staff by global id, netid or HUBmis id. Sources: HUBmis staff, else "
                                  "Dartmouth people with an affiliation other than Student or Alum (a student's "
                                  "netid is null here).")
    async def staff_member(self, info: Info[Any, Any], id: Annotated[strawberry.ID | None, STAFF_ID] = None,
                           netid: Annotated[str | None, STAFF_NETID] = None,
                           hubmis_id: Annotated[int | None, HUBMIS_STAFF_ID] = None) -> Staff | None:
        name, value = _one_of(id=id, netid=netid, hubmis_id=hubmis_id)
        port = _port(info)
        if name == "hubmis_id":
            return await port.resolve_staff(hubmis_id=value)
        return await port.resolve_staff(key=_key(value, "Staff") if name == "id" else value)

    @strawberry.field(description="The staff directory, paged. Source: HUBmis staff.")
    async def staff(self, info: Info[Any, Any], filter: Annotated[StaffFilter | None, STAFF_FILTER] = None,
                    first: Annotated[int | None, STAFF_FIRST] = PAGE,
                    after: Annotated[str | None, AFTER] = None) -> StaffConnection | None:
        return await lists.staff(_port(info), filter or StaffFilter(), _first(first), after)

    @strawberry.field(description="A section by global id or Dartmouth section id. Source: Dartmouth.")
    async def section(self, info: Info[Any, Any], id: Annotated[strawberry.ID, SECTION_ID]) -> Section | None:
        port, key = _port(info), _key(id, "Section")
        # The section's enrollments need only its id: asked now, beside the section, not after it.
        port.prefetch_section_enrollments(key, _asked_pages(info, "enrollments", SECTION_ENROLLMENTS_FIRST))
        return await port.section_by_id(key)

    @strawberry.field(description="Sections of one term (term code, e.g. 202609), paged. Source: Dartmouth.")
    async def sections(self, info: Info[Any, Any], term: Annotated[str, TERM],
                       filter: Annotated[SectionFilter | None, SECTION_FILTER] = None,
                       first: Annotated[int | None, SECTIONS_FIRST] = PAGE,
                       after: Annotated[str | None, AFTER] = None) -> SectionConnection | None:
        return await lists.sections(_port(info), term, filter or SectionFilter(), _first(first), after)

    @strawberry.field(description="An enrollment by global id or Dartmouth enrollment id. Source: Dartmouth.")
    async def enrollment(self, info: Info[Any, Any], id: Annotated[strawberry.ID, ENROLLMENT_ID]) -> Enrollment | None:
        return await lists.enrollment(_port(info), _key(id, "Enrollment"))

    @strawberry.field(description="Every kind of hold. Source: Dartmouth hold types.")
    async def hold_types(self, info: Info[Any, Any]) -> list[HoldType] | None:
        return [academic.hold_type_from_dartmouth(t) for t in await _port(info).up.dartmouth.list_hold_types()]

    @strawberry.field(description="Terms; `currentTermOffset` 0 is the current term, -1/1 its neighbours. "
                                  "Source: Dartmouth terms.")
    async def terms(self, info: Info[Any, Any],
                    current_term_offset: Annotated[int | None, TERM_OFFSET] = None) -> list[Term] | None:
        rows = await _port(info).up.dartmouth.list_terms(current_term_offset=current_term_offset)
        return [academic.term_from_dartmouth(t) for t in rows]

    @strawberry.field(description="A task started by a mutation (setCourseAssessment, startExport), as it stands "
                                  "now; null when no vendor knows it. Sources: Dartmouth tasks, Stellic exports.")
    async def task(self, info: Info[Any, Any], id: Annotated[strawberry.ID, TASK_ID]) -> Task | None:
        return await _task(info, id)

    @strawberry.field(description="Health of each upstream as this gateway sees it: circuit state, rate budget, last "
                                  "error. Source: gateway.")
    async def vendors(self, info: Info[Any, Any]) -> list[VendorStatus]:
        return [VendorStatus(vendor=Vendor(s["vendor"]), session_open=s["session_open"],
                             credentials_ready=s["credentials_ready"], circuit=s["breaker"],
                             open_circuits=list(s["circuits"]),
                             rate_remaining=s["rate_remaining"], last_error=_failure(s["last_error"]))
                for s in await _port(info).up.status()]
