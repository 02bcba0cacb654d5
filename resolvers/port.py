"""The data port the schema's lazy fields call: loaders, the crosswalk and the pure mappings, per request."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

from gateway.eager import settle
from gateway.errors import GatewayError
from gateway.vendors.errors import VendorError
from gateway.vendors.hubmis.params import as_utc
from resolvers.academicport import AcademicPort
from resolvers.arguments import blank, check_one_of, check_term
from resolvers.loaders import MISSING, peek
from resolvers.mapping import academic, people
from resolvers.permissions import AUDITED_SCOPES, ENTITY_SCOPES, FIELD_SCOPES
from resolvers.portbase import DARTMOUTH, HUBMIS, HUBMIS_KEY, STELLIC, hubmis_key
from schema.detail import (
    AttendanceMark,
    DartmouthStudentRecord,
    GroupRef,
    HubmisStudentRecord,
    StellicStudentRecord,
    TimetablePeriod,
)
from schema.enums import Vendor
from schema.node import encode_id
from schema.ports import MaybeAwaitable
from schema.types import (
    Advisor,
    Enrollment,
    Hold,
    SourceRecord,
    Student,
)

_SIDE_FIELDS = {"netid": DARTMOUTH, "stellic_username": STELLIC, "hubmis_id": HUBMIS}
# A unified field's value from each source of people.STUDENT_FIELD_ORDER, given that source's record.
_SOURCE_VALUE = {"hubmis": people.hubmis_student_value, "dartmouth_person": people.person_value,
                 "dartmouth_student": people.dartmouth_student_value}


def _utc_bound(argument: str, moment: datetime) -> datetime:
    """The instant in UTC, as HUBmis is sent it; BAD_USER_INPUT when its offset takes it out of years 1-9999."""
    try:
        return as_utc(moment)
    except OverflowError:
        raise GatewayError(f"`{argument}` is outside the years 1 to 9999 in UTC", "BAD_USER_INPUT",
                           argument=argument) from None


T = TypeVar("T")


class Port(AcademicPort):
    """Implements ``schema.ports.DataPort`` over this request's loaders: students here, staff in
    ``StaffPort``, academic records in ``AcademicPort``, the request's state in ``PortBase``.

    Field methods answer at once when this request already holds what they need (the record a list page
    carried, a record an earlier field loaded) and return an awaitable otherwise: most fields of a listed
    object then resolve without a task of their own.
    """

    # ---- identity --------------------------------------------------------------------------------
    def student(self, key: str, **known: str | int | None) -> Student:
        return Student(id=encode_id("Student", key), key=key, known=dict(known))

    async def _hubmis_id(self, key: str) -> int | None:
        return await self._indexed(self.hubmis_index, key)

    async def _side(self, student: Student, vendor: str, spelling: str | None = None) -> str | int | None:
        """The person's id in one vendor (None when absent), looked up once and remembered on the object;
        ``spelling``: the Stellic username as the caller gave it."""
        if vendor in student.known:
            return student.known[vendor]
        if vendor == DARTMOUTH:
            # Dartmouth's student list, read for the FERPA index, names those it has: no call for them (as the HUBmis
            # index answers for HUBmis); someone it did not list (perhaps added since) is asked of Dartmouth.
            value: str | int | None = student.key if self.ferpa.lists(student.key) or (
                await self.loaders.dartmouth_student_by_netid.load(student.key)) is not None else None
        elif vendor == STELLIC:
            value = await self._stellic_username(student.key, spelling)
        else:
            value = await self._hubmis_id(student.key)
        student.known[vendor] = value
        return value

    async def _stellic_username(self, key: str, spelling: str | None = None) -> str | None:
        """The username as Stellic spells it. From the cached export when it is there (lists), which spells every
        username as Stellic does (keys compare ignoring case, Stellic's reads do not: JSmith is not jsmith);
        otherwise the student's own engagement read, which the stellic fields need anyway (404: not in Stellic),
        then, if Stellic has no such username, with the spelling the caller gave (``student(stellicUsername:)``),
        and last, where keys ignore case, the export itself (read and cached): Stellic may spell it JSmith."""
        username = self.rules.username_for(key)
        known = await self.stellic_index.cached()
        if known is not None:
            return known.get(self.rules.norm(username))
        for candidate in dict.fromkeys((username, spelling or username)):
            if await self.loaders.stellic_engagement_by_username.load(candidate) is not None:
                return candidate
        if not self.rules.case_insensitive:
            return None
        return (await self.stellic_index.usernames()).get(self.rules.norm(username))

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
            hubmis_id = hubmis_key(key)
        if hubmis_id is not None and self.hubmis_index.lists(hubmis_id):
            # The index answers the lookup (HUBmis' own list, refreshed in the background): no call is spent on
            # it; the record is read only if a field needs it.
            key = self.hubmis_index.external_id(hubmis_id) or f"{HUBMIS_KEY}{hubmis_id}"
            known[HUBMIS] = hubmis_id
        elif hubmis_id is not None:
            try:
                record = await self.loaders.hubmis_student_by_id.load(hubmis_id)
            except VendorError:
                # HUBmis cannot answer: the index still names the person, whom the other vendors may know. Their
                # HUBmis fields carry the error; someone the index does not link to a shared key is that error.
                external = self.hubmis_index.external_id(hubmis_id)
                if not external:
                    raise
                key = external
            else:
                if record is None:
                    return None
                key = record.external_id or f"{HUBMIS_KEY}{hubmis_id}"
            known[HUBMIS] = hubmis_id
        elif username is not None:
            username = username.strip()  # Stellic is asked for the username as given, not the space around it
            key = self.rules.key_for_username(username)
        else:
            key = netid if netid is not None else key
        if key is None or blank(key):
            return None  # no one has an empty key: nothing to ask a vendor
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
        if known.get(HUBMIS) is not None:
            return student  # HUBmis' record (or its index) settled it: the others only if a field needs them
        if username is None and (self.ferpa.lists(key) or self.hubmis_index.lookup(key) is not None):
            # Dartmouth's student list (read for the FERPA index) or HUBmis' index lists them: settled with no call,
            # and each field reads what it needs (asking every vendor at once spent a Stellic read, and a Dartmouth
            # one, that a query of names alone never used). A username keeps the check below: Stellic's spelling.
            return student
        # The first vendor that knows the person settles it; the others are looked up only if a field needs them,
        # so a slow or failing vendor does not hold back a person the others know.
        # A check still running when we answer goes on (its result is remembered on the student); a failure is
        # reported by the field that needs that vendor.
        checks = [self._read_ahead(self._side(student, v, username if v == STELLIC else None))
                  for v in (DARTMOUTH, HUBMIS, STELLIC)]
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

    async def student_sources(self, student: Student, at: list[str | int]) -> list[SourceRecord]:
        out = []
        for vendor, enum in ((DARTMOUTH, Vendor.DARTMOUTH), (STELLIC, Vendor.STELLIC), (HUBMIS, Vendor.HUBMIS)):
            try:
                side = await (self._dartmouth_answer(student) if vendor == DARTMOUTH else self._side(student, vendor))
            except VendorError as exc:
                self.incomplete.append((at, exc))  # the others' records are listed; the failure is reported
                continue
            if side is not None:
                out.append(SourceRecord(vendor=enum, id=str(side)))
        return out

    async def _dartmouth_answer(self, student: Student) -> str | None:
        """The person's netid as Dartmouth itself answers it in this request, not as its student list read for the
        FERPA index has it (``_side``): `sources` lists the vendors that answered, so "Dartmouth is down" still
        reads differently from "not in Dartmouth"."""
        if not self._may_be_in_dartmouth(student):
            return None
        return student.key if await self.loaders.dartmouth_student_by_netid.load(student.key) is not None else None

    # ---- unified fields ----------------------------------------------------------------------------
    def student_field(self, student: Student, name: str, at: Any = None) -> Any:
        """The value, or an awaitable of it when a vendor still has to be asked; ``at``: the field's path, where
        a vendor passed over in the field's order is reported."""
        now = self._student_field_now(student, name)
        return self._student_field(student, name, at) if now is MISSING else now

    def _student_field_now(self, student: Student, name: str) -> Any:
        side = _SIDE_FIELDS.get(name)
        if side is not None:
            return student.known.get(side, MISSING)
        if name == "external_id":
            indexed = self._indexed_external_id(student.known.get(HUBMIS))
            if indexed is not None:
                return indexed
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

    async def _student_field(self, student: Student, name: str, at: Any = None) -> Any:
        side = _SIDE_FIELDS.get(name)
        if side is not None:
            return await self._side(student, side)
        if name == "external_id":
            indexed = self._indexed_external_id(await self._side(student, HUBMIS))
            if indexed is not None:
                return indexed
            record = await self._hubmis_record(student)
            return None if record is None else record.external_id
        return await self._in_order((partial(self._student_value, student, source, name)
                                     for source in people.STUDENT_FIELD_ORDER[name]), at)

    def _indexed_external_id(self, hubmis_id: Any) -> str | None:
        """The external_id the crosswalk's HUBmis index holds for this record, read from the same list that
        linked the person to it: no HUBmis call (README: a query never spends HUBmis budget on what the
        index can answer). None when the index has none for it (not built yet, or not listed then)."""
        if hubmis_id is None or hubmis_id is MISSING:
            return None
        return self.hubmis_index.external_id(int(hubmis_id))

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

    def _unlisted_in_dartmouth(self, student: Student) -> bool:
        """Whether Dartmouth's student list, read for the FERPA index, did not hold this person, and nothing in this
        request has settled it yet: most likely a HUBmis- or Stellic-only student, perhaps one added since."""
        return DARTMOUTH not in student.known and self.ferpa.listed is not None and not self.ferpa.lists(student.key)

    async def _if_in_dartmouth(self, student: Student, read: Callable[[], Awaitable[list[T]]]) -> list[T]:
        """``read`` (holds, enrollments) only once Dartmouth has answered that it has this student: one record read
        (a 404 cached a minute, and shared by the student's other Dartmouth fields), where each list was a futile
        filtered read of its own for someone Dartmouth does not have."""
        if await self._side(student, DARTMOUTH) is None:
            return []
        return await read()

    def student_holds(self, student: Student) -> Any:
        """The holds, or an awaitable of them."""
        if not self._may_be_in_dartmouth(student):  # by netid at once: someone Dartmouth lacks has none
            return []
        if self._unlisted_in_dartmouth(student):
            return self._if_in_dartmouth(student, lambda: self._student_holds(student))
        holds = peek(self.loaders.dartmouth_holds_by_netid, student.key)
        return self._student_holds(student) if holds is MISSING else _holds(holds)

    async def _student_holds(self, student: Student) -> list[Hold]:
        return _holds(await self.loaders.dartmouth_holds_by_netid.load(student.key))

    def student_enrollments(self, student: Student, term: str | None, active_only: bool) -> Any:
        """The enrollments, or an awaitable of them."""
        check_term("term", term)
        if not self._may_be_in_dartmouth(student):
            return []
        key = (student.key, term, active_only)
        if self._unlisted_in_dartmouth(student):
            return self._if_in_dartmouth(student, lambda: self._student_enrollments(key))
        rows = peek(self.loaders.dartmouth_enrollments_by_netid, key)
        return self._student_enrollments(key) if rows is MISSING else _enrollments(rows)

    async def _student_enrollments(self, key: tuple[str, str | None, bool]) -> list[Enrollment]:
        return _enrollments(await self.loaders.dartmouth_enrollments_by_netid.load(key))

    async def student_dartmouth(self, student: Student) -> DartmouthStudentRecord | None:
        record = await self._dartmouth_record(student)
        return None if record is None else people.dartmouth_record_from(record)

    async def student_hubmis(self, student: Student, timetable: bool = False,
                             record: bool = True) -> HubmisStudentRecord | None:
        """``timetable``: the query also asks for the timetable, which needs only the id: its read starts now,
        beside the record's, and the field joins it in flight (the vendor cache coalesces them). ``record``
        false: no field asked needs the student record (only the id and the fields read by it), so an id the
        crosswalk's index lists spends no HUBmis call on the record."""
        hubmis_id = await self._side(student, HUBMIS)
        if hubmis_id is None:
            return None
        if not record and self.hubmis_index.lists(int(hubmis_id)):
            return people.hubmis_record_by_id(int(hubmis_id))
        if timetable and self.up.hubmis.cache.enabled:
            self._read_ahead(self.up.hubmis.get_student_timetable(int(hubmis_id)))
        found = await self.loaders.hubmis_student_by_id.load(int(hubmis_id))
        return None if found is None else people.hubmis_record_from(found)

    async def student_stellic(self, student: Student) -> StellicStudentRecord | None:
        username = await self._side(student, STELLIC)
        return None if username is None else StellicStudentRecord(username=str(username))

    # ---- vendor detail -----------------------------------------------------------------------------
    async def hubmis_attendance(self, hubmis_id: int, start: datetime, end: datetime) -> list[AttendanceMark] | None:
        start, end = _utc_bound("from", start), _utc_bound("to", end)
        if start > end:  # HUBmis would answer no marks, which reads as "no attendance"
            raise GatewayError("`from` is after `to`", "BAD_USER_INPUT", argument="from")
        marks = await self.up.hubmis.get_student_attendance(hubmis_id, start, end)
        return [people.attendance_from_hubmis(m) for m in marks]

    async def hubmis_tutor_group(self, hubmis_id: int) -> GroupRef | None:
        return people.tutor_group_from_hubmis(await self.loaders.hubmis_tutor_group_by_id.load(hubmis_id))

    async def hubmis_timetable(self, hubmis_id: int) -> list[TimetablePeriod] | None:
        periods = await self.up.hubmis.get_student_timetable(hubmis_id)
        return [people.period_from_hubmis(p) for p in periods]

    async def stellic_engagement_score(self, username: str) -> float | None:
        score = await self.loaders.stellic_engagement_by_username.load(username)
        return None if score is None else score.score

    async def stellic_audit(self, username: str, course_filter: str, program_filter: str | None, prop: str) -> Any:
        check_one_of("courseFilter", course_filter, ("planned", "registered"))
        check_one_of("property", prop, ("unmatched", "progress"))
        check_one_of("programFilter", program_filter, ("planned", "registered", "all"))
        return (await self.up.stellic.get_audit(username, course_filter, prop, program_filter=program_filter)).raw

    async def stellic_future_courses(self, username: str, course_filter: str) -> Any:
        check_one_of("courseFilter", course_filter, ("planned", "registered", "all"))
        return (await self.up.stellic.get_planner(username, course_filter)).raw.get("future_courses", [])

    # ---- any entity by type and key: node(id:) and federation's _entities -------------------------
    async def entity(self, type_name: str, key: str, audit: Any = None) -> Any:
        """The object ``node(id:)`` finds. Federation's ``_entities`` (added by Strawberry, so outside the
        scope table's reach) arrives here too, and needs the same scope as ``node``; a type another field guards
        (ENTITY_SCOPES: a hold, an enrollment) needs that field's scope too, and its read is audited as that
        field's (``audit``: the request's AuditTrail)."""
        from resolvers import lists  # lists builds on this module

        scope = FIELD_SCOPES[("Query", "node")]
        if self.viewer is not None and not self.viewer.has(scope):
            raise GatewayError(f"Query._entities requires the {scope} scope", "FORBIDDEN", scope=scope)
        guarded = ENTITY_SCOPES.get(type_name)
        if guarded is not None:
            scope, where = FIELD_SCOPES[guarded], ".".join(guarded)
            if self.viewer is not None and not self.viewer.has(scope):
                article = "an" if type_name[0] in "AEIOU" else "a"
                raise GatewayError(f"{article} {type_name}, as {where}, requires the {scope} scope", "FORBIDDEN",
                                   scope=scope)
            if audit is not None and scope in AUDITED_SCOPES:
                audit.touch(where, key)
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
