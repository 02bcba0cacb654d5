"""The data port the schema's lazy fields call: loaders, the crosswalk and the pure mappings, per request."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import UTC, datetime
from typing import Any

from gateway.auth.viewer import Viewer
from gateway.eager import settle
from gateway.errors import GatewayError
from gateway.upstreams import Upstreams
from gateway.vendors.dartmouth import routes as dartmouth_routes
from gateway.vendors.dartmouth.client import TTL_ACADEMIC_S
from gateway.vendors.dartmouth.models import DartmouthEnrollment
from gateway.vendors.errors import VendorError
from resolvers.crosswalk import Crosswalk, HubmisIndex
from resolvers.loaders import MISSING, Loaders, peek
from resolvers.mapping import academic, people
from resolvers.paging import Page, dartmouth_page
from resolvers.permissions import FIELD_SCOPES
from resolvers.valuelists import ValueList
from schema.detail import (
    AttendanceMark,
    DartmouthStudentRecord,
    GroupRef,
    HubmisStudentRecord,
    StellicStudentRecord,
    TimetablePeriod,
)
from schema.enums import Vendor
from schema.node import PageInfo, encode_id
from schema.ports import MaybeAwaitable
from schema.types import (
    Advisor,
    Enrollment,
    EnrollmentConnection,
    EnrollmentEdge,
    Hold,
    HoldType,
    Section,
    SourceRecord,
    Staff,
    Student,
)

DARTMOUTH, HUBMIS, STELLIC = "dartmouth", "hubmis", "stellic"
_SIDE_FIELDS = {"netid": DARTMOUTH, "stellic_username": STELLIC, "hubmis_id": HUBMIS}
# A unified field's value from each source of people.STUDENT_FIELD_ORDER, given that source's record.
_SOURCE_VALUE = {"hubmis": people.hubmis_student_value, "dartmouth_person": people.person_value,
                 "dartmouth_student": people.dartmouth_student_value}


HUBMIS_KEY = "hubmis:"  # the key of a HUBmis record without an external_id: its HUBmis id after this prefix


def _hubmis_key(key: str) -> int:
    """The HUBmis id a ``hubmis:{id}`` key names; any other suffix is no key this gateway issued."""
    number = key.removeprefix(HUBMIS_KEY)
    if not (number.isascii() and number.isdigit()):
        raise GatewayError("not an ID this gateway issued", "BAD_USER_INPUT", argument="id")
    return int(number)


def _one_of_values(argument: str, value: str, allowed: tuple[str, ...]) -> None:
    """Refuse a value the vendor documents no meaning for, before any call."""
    if value not in allowed:
        raise GatewayError(f"{argument} must be one of {', '.join(allowed)}", "BAD_USER_INPUT", argument=argument)


class Port:
    """Implements ``schema.ports.DataPort`` over this request's loaders.

    Field methods answer at once when this request already holds what they need (the record a list page
    carried, a record an earlier field loaded) and return an awaitable otherwise: most fields of a listed
    object then resolve without a task of their own.
    """

    def __init__(self, upstreams: Upstreams, crosswalk: Crosswalk, batching: bool = True,
                 viewer: Viewer | None = None) -> None:
        self.up, self.rules, self.viewer = upstreams, crosswalk.rules, viewer
        # Without people:private, Dartmouth is read as such a caller would read it, and FERPA-protected
        # people are hidden entirely (not blanked), as Dartmouth hides them.
        self.private = viewer is None or viewer.has("people:private")
        self.dartmouth = upstreams.dartmouth_for(self.private)
        self.ferpa = crosswalk.ferpa
        self.hubmis_index, self.hubmis_staff_index = crosswalk.hubmis_students, crosswalk.hubmis_staff
        self.stellic_index = crosswalk.stellic
        self.loaders = Loaders(upstreams, self.dartmouth, batching)
        self._reads_ahead: set[asyncio.Future[Any]] = set()
        self._hold_types: ValueList[str, HoldType] = ValueList(self._read_hold_types)
        self._term_offsets: ValueList[str, int | None] = ValueList(self._read_term_offsets)

    # ---- identity --------------------------------------------------------------------------------
    def student(self, key: str, **known: str | int | None) -> Student:
        return Student(id=encode_id("Student", key), key=key, known=dict(known))

    @staticmethod
    async def _indexed(index: HubmisIndex, key: str) -> int | None:
        found = index.lookup(key)
        if found is not None or index.ready.is_set():
            return found
        return await index.search(key)

    async def _hubmis_id(self, key: str) -> int | None:
        return await self._indexed(self.hubmis_index, key)

    async def hubmis_staff_id(self, key: str) -> int | None:
        return await self._indexed(self.hubmis_staff_index, key)

    async def _side(self, student: Student, vendor: str) -> str | int | None:
        """The person's id in one vendor (None when absent), looked up once and remembered on the object."""
        if vendor in student.known:
            return student.known[vendor]
        if vendor == DARTMOUTH:
            value: str | int | None = student.key if await self.loaders.dartmouth_student_by_netid.load(
                student.key) is not None else None
        elif vendor == STELLIC:
            value = await self._stellic_username(student.key)
        else:
            value = await self._hubmis_id(student.key)
        student.known[vendor] = value
        return value

    async def _stellic_username(self, key: str) -> str | None:
        """From the cached export when it is there (lists); otherwise the student's own engagement read, which
        the stellic fields need anyway (404: not in Stellic)."""
        username = self.rules.username_for(key)
        known = await self.stellic_index.cached()
        if known is not None:
            return username if self.rules.norm(username) in known else None
        return username if await self.loaders.stellic_engagement_by_username.load(username) is not None else None

    def enrollment_student(self, enrollment: Enrollment) -> MaybeAwaitable[Student | None]:
        return settle(self._enrollment_student(enrollment))

    async def _enrollment_student(self, enrollment: Enrollment) -> Student | None:
        """The enrolled person; a student row is Dartmouth's own word that the netid is one of its students."""
        if await self.hidden(enrollment.netid):
            return None
        # An instructor's row names a student only if Dartmouth has them as one.
        if enrollment.role != "student" and await self.loaders.dartmouth_student_by_netid.load(
                enrollment.netid) is None:
            return None
        return self.student(enrollment.netid, **{DARTMOUTH: enrollment.netid})

    async def resolve_student(self, *, netid: str | None = None, username: str | None = None,
                              hubmis_id: int | None = None, key: str | None = None) -> Student | None:
        """A person by any of their keys; None when no vendor knows them. A vendor that fails while
        checking does not hide the person the others know; it fails only if no vendor could answer."""
        known: dict[str, str | int | None] = {}
        if key is not None and key.startswith(HUBMIS_KEY):
            # The global id of a HUBmis record without an external_id: it is that record or no one.
            hubmis_id = _hubmis_key(key)
        if hubmis_id is not None:
            record = await self.loaders.hubmis_student_by_id.load(hubmis_id)
            if record is None:
                return None
            known[HUBMIS] = hubmis_id
            key = record.external_id or f"{HUBMIS_KEY}{hubmis_id}"
        elif username is not None:
            key = self.rules.key_for_username(username)
        else:
            key = netid or key
        if key is None:
            return None
        # One person, one key: keys match across vendors as the rules compare them (ignoring case by default), so
        # F009XK3 is f009xk3, with the same global id, the same vendor records and the same FERPA check.
        key = self.rules.norm(key)
        if key.startswith(HUBMIS_KEY) and HUBMIS not in known:
            return None  # a netid or username never names a HUBmis record without an external_id
        if await self.hidden(key):
            return None
        student = self.student(key, **known)
        if key.startswith(HUBMIS_KEY):
            student.known.update({DARTMOUTH: None, STELLIC: None})
            return student
        # The first vendor that knows the person settles it; the others are looked up only if a field needs them,
        # so a slow or failing vendor does not hold back a person the others know.
        # A check still running when we answer goes on (its result is remembered on the student); a failure is
        # reported by the field that needs that vendor.
        checks = [self._read_ahead(self._side(student, v)) for v in (DARTMOUTH, HUBMIS, STELLIC)]
        failures: list[BaseException] = []
        for check in asyncio.as_completed(checks):
            try:
                if await check is not None:
                    return student
            except VendorError as exc:
                failures.append(exc)
        if failures:
            raise failures[0]
        return None

    async def hidden(self, key: str) -> bool:
        """Whether this caller may not see the person at all (FERPA, without people:private)."""
        return not self.private and await self.ferpa.is_protected(key)

    def student_by_netid(self, netid: str) -> MaybeAwaitable[Student | None]:
        return settle(self._student_by_netid(netid))

    async def _student_by_netid(self, netid: str) -> Student | None:
        return None if await self.hidden(netid) else self.student(netid)

    async def student_sources(self, student: Student) -> list[SourceRecord]:
        out = []
        for vendor, enum in ((DARTMOUTH, Vendor.DARTMOUTH), (STELLIC, Vendor.STELLIC), (HUBMIS, Vendor.HUBMIS)):
            try:
                side = await self._side(student, vendor)
            except VendorError:
                continue  # an unavailable vendor's records are not listed; its fields carry the error
            if side is not None:
                out.append(SourceRecord(vendor=enum, id=str(side)))
        return out

    # ---- unified fields ----------------------------------------------------------------------------
    def student_field(self, student: Student, name: str) -> Any:
        """The value, or an awaitable of it when a vendor still has to be asked."""
        now = self._student_field_now(student, name)
        return self._student_field(student, name) if now is MISSING else now

    def _student_field_now(self, student: Student, name: str) -> Any:
        side = _SIDE_FIELDS.get(name)
        if side is not None:
            return student.known.get(side, MISSING)
        if name == "external_id":
            record = self._hubmis_record_now(student)
            return record if record is MISSING or record is None else record.external_id
        for source in people.STUDENT_FIELD_ORDER[name]:
            value = self._student_value_now(student, source, name)
            if value is not None:
                return value  # a value, or MISSING: an earlier vendor in the order is not known yet
        return None

    def _student_value_now(self, student: Student, source: str, name: str) -> Any:
        record = self._source_record_now(student, source)
        return record if record is MISSING or record is None else _SOURCE_VALUE[source](record, name)

    async def _student_value(self, student: Student, source: str, name: str) -> Any:
        record = await self._source_record(student, source)
        return None if record is None else _SOURCE_VALUE[source](record, name)

    def _source_record_now(self, student: Student, source: str) -> Any:
        """The person's record in one source of the field order if this request holds it: the record, None
        (absent) or MISSING."""
        if source == "hubmis":
            return self._hubmis_record_now(student)
        if not self._may_be_in_dartmouth(student):
            return None
        return peek(self._dartmouth_loader(source), student.key)

    async def _source_record(self, student: Student, source: str) -> Any:
        if source == "hubmis":
            return await self._hubmis_record(student)
        if not self._may_be_in_dartmouth(student):
            return None
        # The person is asked at once, not after the presence check: one Dartmouth does not know answers 404.
        return await self._dartmouth_loader(source).load(student.key)

    def _dartmouth_loader(self, source: str) -> Any:
        return (self.loaders.dartmouth_person_by_netid if source == "dartmouth_person"
                else self.loaders.dartmouth_student_by_netid)

    def _hubmis_record_now(self, student: Student) -> Any:
        hubmis_id = student.known.get(HUBMIS, MISSING)
        if hubmis_id is MISSING or hubmis_id is None:
            return hubmis_id
        return peek(self.loaders.hubmis_student_by_id, int(hubmis_id))

    async def _student_field(self, student: Student, name: str) -> Any:
        side = _SIDE_FIELDS.get(name)
        if side is not None:
            return await self._side(student, side)
        if name == "external_id":
            record = await self._hubmis_record(student)
            return None if record is None else record.external_id
        for source in people.STUDENT_FIELD_ORDER[name]:
            value = await self._student_value(student, source, name)
            if value is not None:
                return value
        return None

    def _may_be_in_dartmouth(self, student: Student) -> bool:
        return student.known.get(DARTMOUTH, student.key) is not None and not student.key.startswith(HUBMIS_KEY)

    async def _dartmouth_record(self, student: Student) -> Any:
        return await self._source_record(student, "dartmouth_student")

    async def _hubmis_record(self, student: Student) -> Any:
        hubmis_id = await self._side(student, HUBMIS)
        return None if hubmis_id is None else await self.loaders.hubmis_student_by_id.load(int(hubmis_id))

    def student_advisors(self, student: Student) -> Any:
        """The advisors, or an awaitable of them."""
        if not self._may_be_in_dartmouth(student):
            return []
        record = peek(self.loaders.dartmouth_student_by_netid, student.key)
        return self._student_advisors(student) if record is MISSING else _advisors(record)

    async def _student_advisors(self, student: Student) -> list[Advisor]:
        return _advisors(await self._dartmouth_record(student))

    def student_holds(self, student: Student) -> Any:
        """The holds, or an awaitable of them."""
        if not self._may_be_in_dartmouth(student):  # by netid at once: someone Dartmouth lacks has none
            return []
        holds = peek(self.loaders.dartmouth_holds_by_netid, student.key)
        return self._student_holds(student) if holds is MISSING else _holds(holds)

    async def _student_holds(self, student: Student) -> list[Hold]:
        return _holds(await self.loaders.dartmouth_holds_by_netid.load(student.key))

    def student_enrollments(self, student: Student, term: str | None, active_only: bool) -> Any:
        """The enrollments, or an awaitable of them."""
        if not self._may_be_in_dartmouth(student):
            return []
        key = (student.key, term, active_only)
        rows = peek(self.loaders.dartmouth_enrollments_by_netid, key)
        return self._student_enrollments(key) if rows is MISSING else _enrollments(rows)

    async def _student_enrollments(self, key: tuple[str, str | None, bool]) -> list[Enrollment]:
        return _enrollments(await self.loaders.dartmouth_enrollments_by_netid.load(key))

    async def student_dartmouth(self, student: Student) -> DartmouthStudentRecord | None:
        record = await self._dartmouth_record(student)
        return None if record is None else people.dartmouth_record_from(record)

    async def student_hubmis(self, student: Student, timetable: bool = False) -> HubmisStudentRecord | None:
        """``timetable``: the query also asks for the timetable, which needs only the id: its read starts now,
        beside the record's, and the field joins it in flight (the vendor cache coalesces them)."""
        hubmis_id = await self._side(student, HUBMIS)
        if hubmis_id is None:
            return None
        if timetable and self.up.hubmis.cache.enabled:
            self._read_ahead(self.up.hubmis.get_student_timetable(int(hubmis_id)))
        record = await self.loaders.hubmis_student_by_id.load(int(hubmis_id))
        return None if record is None else people.hubmis_record_from(record)

    async def student_stellic(self, student: Student) -> StellicStudentRecord | None:
        username = await self._side(student, STELLIC)
        return None if username is None else StellicStudentRecord(username=str(username))

    # ---- vendor detail -----------------------------------------------------------------------------
    async def hubmis_attendance(self, hubmis_id: int, start: datetime, end: datetime) -> list[AttendanceMark] | None:
        if _as_utc(start) > _as_utc(end):  # HUBmis would answer no marks, which reads as "no attendance"
            raise GatewayError("`from` is after `to`", "BAD_USER_INPUT", argument="from")
        marks = await self.up.hubmis.get_student_attendance(hubmis_id, start, end)
        return [people.attendance_from_hubmis(m) for m in marks]

    async def hubmis_tutor_group(self, hubmis_id: int) -> GroupRef | None:
        return people.tutor_group_from_hubmis(await self.up.hubmis.list_student_academic_structure(hubmis_id))

    async def hubmis_timetable(self, hubmis_id: int) -> list[TimetablePeriod] | None:
        periods = await self.up.hubmis.get_student_timetable(hubmis_id)
        return [people.period_from_hubmis(p) for p in periods]

    async def stellic_engagement_score(self, username: str) -> float | None:
        score = await self.loaders.stellic_engagement_by_username.load(username)
        return None if score is None else score.score

    async def stellic_audit(self, username: str, course_filter: str, program_filter: str | None, prop: str) -> Any:
        _one_of_values("courseFilter", course_filter, ("planned", "registered"))
        _one_of_values("property", prop, ("unmatched", "progress"))
        if program_filter is not None:
            _one_of_values("programFilter", program_filter, ("planned", "registered", "all"))
        return (await self.up.stellic.get_audit(username, course_filter, prop, program_filter=program_filter)).raw

    async def stellic_future_courses(self, username: str, course_filter: str) -> Any:
        _one_of_values("courseFilter", course_filter, ("planned", "registered", "all"))
        return (await self.up.stellic.get_planner(username, course_filter)).raw.get("future_courses", [])

    # ---- staff ---------------------------------------------------------------------------------------
    def staff(self, key: str, **known: str | int | None) -> Staff:
        hubmis_id = known.get(HUBMIS)
        shared = None if key.startswith(HUBMIS_KEY) else key
        in_hubmis = isinstance(hubmis_id, int)  # the external_id is HUBmis' word: only from a HUBmis record
        return Staff(id=encode_id("Staff", key), key=key, netid=shared, hubmis_id=hubmis_id if in_hubmis else None,
                     external_id=shared if in_hubmis else None)

    def staff_from_hubmis(self, record: Any) -> Staff:
        self.loaders.hubmis_staff_by_id.prime(record.id, record)
        return self.staff(record.external_id or f"{HUBMIS_KEY}{record.id}", **{HUBMIS: record.id})

    async def resolve_staff(self, *, key: str | None = None, hubmis_id: int | None = None) -> Staff | None:
        """A member of staff by netid (HUBmis staff index, else Dartmouth people) or HUBmis id. A HUBmis failure does
        not hide someone Dartmouth people knows: the fields that need HUBmis report it, the others still arrive."""
        if key is not None and key.startswith(HUBMIS_KEY):
            hubmis_id, key = _hubmis_key(key), None
        if hubmis_id is None and key is not None:
            hubmis_id = await self.hubmis_staff_id(key)
        if hubmis_id is not None:
            try:
                record = await self.loaders.hubmis_staff_by_id.load(hubmis_id)
            except VendorError:
                if key is None or not await self._dartmouth_person_known(key):
                    raise  # HUBmis' failure, not one of Dartmouth's while checking
                return self.staff(key, **{HUBMIS: hubmis_id})
            if record is not None:
                return self.staff_from_hubmis(record)
        if key is not None:
            person = await self.loaders.dartmouth_person_by_netid.load(key)
            if person is not None and people.is_staff_person(person):  # a student is no member of staff
                return self.staff(key)
        return None

    async def _dartmouth_person_known(self, netid: str) -> bool:
        try:
            person = await self.loaders.dartmouth_person_by_netid.load(netid)
        except VendorError:
            return False
        return person is not None and people.is_staff_person(person)

    def staff_by_netid(self, netid: str) -> MaybeAwaitable[Staff | None]:
        return settle(self.resolve_staff(key=netid))

    async def staff_sources(self, staff: Staff) -> list[SourceRecord]:
        out = []
        if staff.netid and await self.loaders.dartmouth_person_by_netid.load(staff.netid) is not None:
            out.append(SourceRecord(vendor=Vendor.DARTMOUTH, id=staff.netid))
        if staff.hubmis_id is not None:
            out.append(SourceRecord(vendor=Vendor.HUBMIS, id=str(staff.hubmis_id)))
        return out

    def staff_field(self, staff: Staff, name: str) -> Any:
        """The value, or an awaitable of it when a vendor still has to be asked."""
        value = MISSING
        if staff.hubmis_id is not None:
            record = peek(self.loaders.hubmis_staff_by_id, staff.hubmis_id)
            value = record if record is MISSING or record is None else people.hubmis_staff_value(record, name)
        if value is MISSING or (value is None and staff.netid):
            return self._staff_field(staff, name)
        return value

    async def _staff_field(self, staff: Staff, name: str) -> Any:
        if staff.hubmis_id is not None:
            record = await self.loaders.hubmis_staff_by_id.load(staff.hubmis_id)
            value = None if record is None else people.hubmis_staff_value(record, name)
            if value is not None:
                return value
        if staff.netid:
            person = await self.loaders.dartmouth_person_by_netid.load(staff.netid)
            return None if person is None else people.person_value(person, name)
        return None

    async def staff_sections(self, staff: Staff) -> list[Section] | None:
        if not staff.netid:
            return []
        rows = await self.dartmouth.list_enrollments({"netid": staff.netid, "role": "instructor",
                                                         "is_active": "true"})
        return [academic.section_from_dartmouth(e.section, term=e.term) for e in rows if e.section]

    # ---- terms --------------------------------------------------------------------------------------
    def term_offset(self, term_code: str) -> MaybeAwaitable[int | None]:
        """A term's current_term_offset from Dartmouth's terms (cached for a day, read at most once per request),
        for a term named by a payload that does not carry it (a section's or an enrollment's term)."""
        return self._term_offsets.get(term_code, None)

    async def _read_term_offsets(self) -> dict[str, int | None]:
        """Each term's offset under the id ``terms`` gives it (the one mapping of a Dartmouth term)."""
        terms = map(academic.term_from_dartmouth, await self.up.dartmouth.list_terms())
        return {str(term.id): term.offset for term in terms}

    # ---- holds --------------------------------------------------------------------------------------
    def hold_type(self, ref: HoldType | None) -> MaybeAwaitable[HoldType | None]:
        """The hold's type as ``holdTypes`` gives it: Dartmouth's hold types, read once per request (a value list,
        cached for hours). A code the list lacks, or a list that cannot be read, keeps what the hold itself
        says of its type rather than losing it."""
        return None if ref is None else self._hold_types.get(str(ref.id), ref)

    async def _read_hold_types(self) -> dict[str, HoldType]:
        try:
            rows = await self.up.dartmouth.list_hold_types()
        except (VendorError, GatewayError):
            return {}
        return {t.id: academic.hold_type_from_dartmouth(t) for t in rows}

    # ---- sections and enrollments ---------------------------------------------------------------------
    async def section_by_id(self, section_id: str) -> Section | None:
        record = await self.loaders.dartmouth_section_by_id.load(section_id)
        return None if record is None else academic.section_from_dartmouth(record, full=record)

    def section_of(self, enrollment: Enrollment) -> Any:
        """The enrollment's section from its own reference (the full record is read only if a detail is asked),
        or an awaitable of it when the enrollment carries none."""
        if enrollment.section_ref is None:
            return self.section_by_id(enrollment.section_id)
        return academic.section_from_dartmouth(enrollment.section_ref, term=enrollment.section_term)

    def section_field(self, section: Section, name: str) -> Any:
        """The value, or an awaitable of it while the section's full record is not loaded."""
        if section.full is not None:
            return academic.section_value(section.full, name)
        return self._section_field(section, name)

    async def _section_field(self, section: Section, name: str) -> Any:
        if section.full is None:
            section.full = await self.loaders.dartmouth_section_by_id.load(section.key)
        return None if section.full is None else academic.section_value(section.full, name)

    async def section_instructors(self, section: Section) -> list[Staff] | None:
        """Each instructor linked to their HUBmis staff record as staffMember(netid:) links them: the same global
        id must carry the same fields. Someone neither vendor lists is still the section's instructor."""
        netids = await self._section_field(section, "instructors") or []
        found = await asyncio.gather(*(self.resolve_staff(key=netid) for netid in netids))
        return [staff or self.staff(netid) for netid, staff in zip(netids, found, strict=True)]

    def prefetch_section_enrollments(self, section_key: str, pages: list[tuple[Any, Any]]) -> None:
        """Start reading these pages of a section's enrollments now; ``section_enrollments`` then joins the
        read in flight (the vendor cache coalesces them), so the section and its roster cost one round trip,
        not two. Only where the cache can coalesce, and only for a caller who may read them; a failure here
        is reported by the field itself."""
        if not self.dartmouth.cache.enabled or (self.viewer is not None and not self.viewer.has(
                FIELD_SCOPES[("Section", "enrollments")])):
            return
        for first, after in pages:
            self._read_ahead(self._section_enrollments_page(section_key, first, after))

    def _read_ahead(self, read: Awaitable[Any]) -> asyncio.Future[Any]:
        """Start a read now that may outlive its caller: one a field joins in flight later (the vendor cache
        coalesces them), or a check left running once another answered. Kept referenced until it ends; a
        failure is reported where the read is joined, so here it is only marked retrieved."""
        task = asyncio.ensure_future(read)
        self._reads_ahead.add(task)  # a strong reference until it ends
        task.add_done_callback(self._read_ahead_done)
        return task

    def _read_ahead_done(self, task: asyncio.Future[Any]) -> None:
        self._reads_ahead.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved here, reported by the field that joins the read

    async def _section_enrollments_page(self, section_key: str, first: int,
                                        after: str | None) -> Page[DartmouthEnrollment]:
        return await dartmouth_page(self.dartmouth, dartmouth_routes.LIST_ENROLLMENTS, {"section.id": section_key},
                                    first, after, TTL_ACADEMIC_S, DartmouthEnrollment.from_payload)

    async def section_enrollments(self, section: Section, first: int,
                                  after: str | None) -> EnrollmentConnection | None:
        page = await self._section_enrollments_page(section.key, first, after)
        edges = []
        for i, record in enumerate(page.records):
            self.loaders.dartmouth_enrollment_by_id.prime(record.id, record)
            edges.append(EnrollmentEdge(cursor=page.cursor(i), node=academic.enrollment_from_dartmouth(record)))
        return EnrollmentConnection(edges=edges, page_info=PageInfo(
            has_next_page=page.has_next, end_cursor=page.end_cursor), total_count=page.total)

    # ---- any entity by type and key: node(id:) and federation's _entities -------------------------
    async def entity(self, type_name: str, key: str) -> Any:
        """The object ``node(id:)`` finds. Federation's ``_entities`` (added by Strawberry, so outside the
        scope table's reach) arrives here too, and needs the same scope as ``node``."""
        from resolvers import lists  # lists builds on this module

        scope = FIELD_SCOPES[("Query", "node")]
        if self.viewer is not None and not self.viewer.has(scope):
            raise GatewayError(f"Query._entities requires the {scope} scope", "FORBIDDEN", scope=scope)
        if type_name == "Student":
            return await self.resolve_student(key=key)
        if type_name == "Staff":
            return await self.resolve_staff(key=key)
        if type_name == "Section":
            return await self.section_by_id(key)
        if type_name == "Enrollment":
            return await lists.enrollment(self, key)
        if type_name == "Hold":
            return await lists.hold(self, key)
        raise GatewayError(f"unknown type {type_name}", "BAD_USER_INPUT", argument="id")


def _advisors(record: Any) -> list[Advisor]:
    return [] if record is None else [people.advisor_from_dartmouth(a) for a in record.advisors]


def _holds(rows: Any) -> list[Hold]:
    return [academic.hold_from_dartmouth(h) for h in rows or []]


def _enrollments(rows: Any) -> list[Enrollment]:
    return [academic.enrollment_from_dartmouth(e) for e in rows or []]


def _as_utc(moment: datetime) -> datetime:
    """A moment comparable with any other: a naive one is taken as UTC, as the HUBmis client sends it."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
