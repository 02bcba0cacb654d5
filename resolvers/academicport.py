"""The port's academic records: terms, holds and their types, sections and their rosters."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from gateway.auth.viewer import Viewer
from gateway.errors import GatewayError
from gateway.upstreams import Upstreams
from gateway.vendors.dartmouth import routes as dartmouth_routes
from gateway.vendors.dartmouth.client import TTL_ACADEMIC_S
from gateway.vendors.dartmouth.models import DartmouthEnrollment
from gateway.vendors.errors import VendorError
from resolvers.arguments import blank
from resolvers.crosswalk import Crosswalk
from resolvers.mapping import academic
from resolvers.paging import Page, dartmouth_page
from resolvers.permissions import FIELD_SCOPES
from resolvers.staffport import StaffPort
from resolvers.valuelists import ValueList
from schema.connections import EnrollmentConnection, EnrollmentEdge
from schema.ports import MaybeAwaitable
from schema.types import Enrollment, HoldType, Section, Staff


class AcademicPort(StaffPort):
    """Dartmouth's terms, hold types, sections and enrollments (staff for a section's instructors)."""

    def __init__(self, upstreams: Upstreams, crosswalk: Crosswalk, batching: bool = True,
                 viewer: Viewer | None = None, read_task: Callable[[str, str], Awaitable[Any]] | None = None) -> None:
        super().__init__(upstreams, crosswalk, batching, viewer, read_task)
        self._hold_types: ValueList[str, HoldType] = ValueList(self._read_hold_types)
        self._term_offsets: ValueList[str, int | None] = ValueList(self._read_term_offsets)

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
        if blank(section_id):
            return None  # no section has an empty id: nothing to ask Dartmouth
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
        if blank(section_key) or not self.dartmouth.cache.enabled or (self.viewer is not None and not self.viewer.has(
                FIELD_SCOPES[("Section", "enrollments")])):
            return
        for first, after in pages:
            self._read_ahead(self._section_enrollments_page(section_key, first, after))

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
        return EnrollmentConnection(edges=edges, page_info=page.page_info(),
                                    total_count=page.total)

