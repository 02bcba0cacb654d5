"""The port's staff: a member of staff by netid or HUBmis id, their unified fields and their sections."""

from __future__ import annotations

from typing import Any

from gateway.eager import settle
from gateway.vendors.errors import VendorError
from resolvers.arguments import blank
from resolvers.loaders import MISSING, held, peek
from resolvers.mapping import academic, people
from resolvers.portbase import HUBMIS_KEY, PortBase, hubmis_key
from schema.enums import Vendor
from schema.node import encode_id
from schema.ports import MaybeAwaitable
from schema.types import Section, SourceRecord, Staff


class StaffPort(PortBase):
    """Staff from HUBmis staff, else Dartmouth people."""

    async def hubmis_staff_id(self, key: str) -> int | None:
        return await self._indexed(self.hubmis_staff_index, key)

    def staff(self, key: str, hubmis_id: int | None = None, external_id: str | None = None) -> Staff:
        """``key`` as the crosswalk takes it (``rules.norm``); ``external_id`` HUBmis' own spelling of it."""
        shared = None if key.startswith(HUBMIS_KEY) else key
        in_hubmis = hubmis_id is not None  # the external_id is HUBmis' word: only for someone HUBmis knows
        return Staff(id=encode_id("Staff", key), key=key, netid=shared, hubmis_id=hubmis_id,
                     external_id=(external_id or shared) if in_hubmis else None)

    def staff_from_hubmis(self, record: Any) -> Staff:
        """A HUBmis staff record, its external_id taken as every key is (ST5466X is st5466x: one person, one
        global id, whichever way they are reached)."""
        self.loaders.hubmis_staff_by_id.prime(record.id, record)
        key = self.rules.norm(record.external_id) if record.external_id else f"{HUBMIS_KEY}{record.id}"
        return self.staff(key, record.id, record.external_id)

    async def resolve_staff(self, *, key: str | None = None, hubmis_id: int | None = None) -> Staff | None:
        """A member of staff by netid (HUBmis staff index, else Dartmouth people) or HUBmis id. A HUBmis failure does
        not hide someone Dartmouth people knows: the fields that need HUBmis report it, the others still arrive."""
        if key is not None and blank(key):
            return None  # no one has an empty key: nothing to ask a vendor
        if key is not None and key.startswith(HUBMIS_KEY):
            hubmis_id, key = hubmis_key(key), None
        elif key is not None:
            key = self.rules.norm(key)  # as resolve_student takes it: D29054K is d29054k, one person, one global id
        if hubmis_id is None and key is not None:
            hubmis_id = await self.hubmis_staff_id(key)
        if hubmis_id is not None:
            try:
                record = await self.loaders.hubmis_staff_by_id.load(hubmis_id)
            except VendorError:
                if key is None and (external := self.hubmis_staff_index.external_id(hubmis_id)):
                    key = self.rules.norm(external)  # asked by HUBmis id: the index names them, as any key is taken
                if key is None or not await self._dartmouth_person_known(key):
                    raise  # HUBmis' failure, not one of Dartmouth's while checking
                return self.staff(key, hubmis_id, self.hubmis_staff_index.external_id(hubmis_id))
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

    async def staff_sources(self, staff: Staff, at: list[str | int]) -> list[SourceRecord]:
        out = []
        try:
            if staff.netid and await self.loaders.dartmouth_person_by_netid.load(staff.netid) is not None:
                out.append(SourceRecord(vendor=Vendor.DARTMOUTH, id=staff.netid))
        except VendorError as exc:
            self.incomplete.append((at, exc))  # HUBmis' record is still listed; the failure is reported
        if staff.hubmis_id is not None:
            out.append(SourceRecord(vendor=Vendor.HUBMIS, id=str(staff.hubmis_id)))
        return out

    def staff_field(self, staff: Staff, name: str, at: Any = None) -> Any:
        """The value, or an awaitable of it when a vendor still has to be asked (``at``: as ``student_field``)."""
        value = MISSING
        if staff.hubmis_id is not None:
            record = peek(self.loaders.hubmis_staff_by_id, staff.hubmis_id)
            value = record if record is MISSING or record is None else people.hubmis_staff_value(record, name)
        if value is MISSING or (value is None and staff.netid):
            return self._staff_field(staff, name, at)
        return value

    async def _staff_field(self, staff: Staff, name: str, at: Any) -> Any:
        """Order: HUBmis staff, then Dartmouth people."""
        hubmis_id, netid = staff.hubmis_id, staff.netid

        async def from_hubmis() -> Any:
            record = None if hubmis_id is None else await self.loaders.hubmis_staff_by_id.load(hubmis_id)
            return None if record is None else people.hubmis_staff_value(record, name)

        async def from_dartmouth() -> Any:
            person = await self.loaders.dartmouth_person_by_netid.load(netid) if netid else None
            return None if person is None else people.person_value(person, name)

        return await self._in_order((from_hubmis, from_dartmouth), at)

    async def staff_sections(self, staff: Staff) -> list[Section] | None:
        if not staff.netid or await self._known_not_in_dartmouth(staff):
            return []
        rows = await self.dartmouth.list_enrollments({"netid": staff.netid, "role": "instructor",
                                                         "is_active": "true"})
        return [academic.section_from_dartmouth(e.section, term=e.term) for e in rows if e.section]

    async def _known_not_in_dartmouth(self, staff: Staff) -> bool:
        """Whether Dartmouth is already known to have no record of this person, without asking it: this request
        read their Dartmouth person and found none, or Dartmouth's 404 for it is still cached. Only someone HUBmis
        knows can be missing from Dartmouth: a staff member reached through Dartmouth is in it."""
        if staff.hubmis_id is None or not staff.netid:
            return False
        person = held(self.loaders.dartmouth_person_by_netid, staff.netid)
        if person is not MISSING:
            return person is None
        return await self.dartmouth.person_not_found(staff.netid)
