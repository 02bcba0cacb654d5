"""A HUBmis student's tutor group, read the way that spends the fewest calls of HUBmis' budget.

HUBmis' student record does not carry the tutor group. One student's is in their academic structure
(``GET /api/v1/students/{id}/academic-structure``: one call per student); every student's is in the active
year's tutor groups (``GET /api/v1/academic-years``, ``.../{year}/tutor-groups``, both cached 1 h, then each
group's ``.../tutor-groups/{id}/students``: one call per tutor group, some 16-30 students each). A batch of the
request's loader (``Loaders.hubmis_tutor_group_by_id``) takes whichever of the two its cache leaves cheaper:
one student, or a handful, are read each; a page of 25-100 reads the tutor groups, and a later page is answered
from them (cached 5 min, as an academic structure is) with no call. Once a request has read the groups, its
later batches are answered from them too.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from gateway.vendors.hubmis import routes
from gateway.vendors.hubmis.client import HubmisClient
from gateway.vendors.hubmis.models import HubmisGroup
from gateway.vendors.hubmis.params import year_path
from gateway.vendors.routes import Route

Members = dict[int, HubmisGroup]


@dataclass(frozen=True)
class Rosters:
    """Every tutor group's students as read: student id -> their group. When a group's list could not be read
    (``failure``), a student found in none of the others may be in that one: their answer is the failure."""

    members: Members
    failure: Exception | None = None

    def group_of(self, student_id: int) -> HubmisGroup | Exception | None:
        found = self.members.get(student_id)
        return found if found is not None or self.failure is None else self.failure


class TutorGroupReader:
    """The batch function of one request's tutor-group loader: HUBmis student id -> tutor group (None: in none)."""

    def __init__(self, hubmis: HubmisClient) -> None:
        self.hubmis = hubmis
        self._planning = asyncio.Lock()  # batches plan one after the other: the second sees the first's choice
        self._members: asyncio.Future[Rosters] | None = None  # every tutor group's students, once read

    async def load(self, ids: list[int]) -> Sequence[HubmisGroup | BaseException | None]:
        async with self._planning:
            if self._members is None:
                self._members = await self._plan(ids)
        if self._members is None:
            return await asyncio.gather(*(self.one(i) for i in ids), return_exceptions=True)
        rosters = await asyncio.shield(self._members)
        return await self._unsure_from_cache(ids, [rosters.group_of(i) for i in ids])

    async def one(self, student_id: int) -> HubmisGroup | None:
        """``GET /api/v1/students/{id}/academic-structure``: its tutor-group row; None when it has none."""
        rows = await self.hubmis.list_student_academic_structure(student_id)
        return next((g for g in rows if g.group_type == "tutor_group"), None)

    async def _plan(self, ids: list[int]) -> asyncio.Future[Rosters] | None:
        """The tutor groups' reads, started, when they cost fewer calls than the students' own (what the cache
        holds costs none); None when reading each student is no dearer. The year and the group list (cached 1 h)
        are read only when the two of them cost fewer calls than the students' reads."""
        each = await self._uncached([(routes.LIST_STUDENT_ACADEMIC_STRUCTURE, {"id": i}) for i in ids])
        if each == 0:
            return None
        year: int | None = None
        if await self._uncached([(routes.LIST_ACADEMIC_YEARS, None)]):
            upfront = 2  # the year, then its tutor groups
        else:
            year = await self.hubmis.active_academic_year_id()
            if year is None:  # no active year to read the groups of: as the academic structure would answer
                return None
            upfront = await self._uncached([(routes.LIST_TUTOR_GROUPS, year_path(year))])
        if upfront >= each:
            return None
        if year is None:
            year = await self.hubmis.active_academic_year_id()
            if year is None:
                return None
        groups = await self.hubmis.list_tutor_groups(year)
        if await self._uncached([(routes.LIST_TUTOR_GROUP_STUDENTS, year_path(year, g.id)) for g in groups]) >= each:
            return None
        return asyncio.ensure_future(self._read_members(year, groups))

    async def _read_members(self, year: int, groups: list[HubmisGroup]) -> Rosters:
        """Each tutor group's students, read at once; a student listed in two keeps the first, as their academic
        structure names one. When a group's list fails, a student found in no other group may be in it: their
        tutor group is that failure, while everyone found keeps theirs."""
        rosters = await asyncio.gather(*(self.hubmis.list_tutor_group_students(year, g.id) for g in groups),
                                       return_exceptions=True)
        members: Members = {}
        failure: Exception | None = None
        for group, students in zip(groups, rosters, strict=True):
            if isinstance(students, Exception):
                failure = failure or students
                continue
            if isinstance(students, BaseException):  # a cancellation is not a group's failure
                raise students
            for student in students:
                members.setdefault(student.id, group)
        return Rosters(members, failure)

    async def _unsure_from_cache(self, ids: list[int], found: list[HubmisGroup | Exception | None]
                                 ) -> list[HubmisGroup | BaseException | None]:
        """A student the failing group may hold keeps that failure unless their academic structure is cached (an
        earlier request read it): then it answers, at no call."""
        unsure = [k for k, group in enumerate(found) if isinstance(group, Exception)]
        if not unsure:
            return list(found)
        held = await asyncio.gather(*(self.hubmis.cached(routes.LIST_STUDENT_ACADEMIC_STRUCTURE, path={"id": ids[k]})
                                      for k in unsure))
        cached = [k for k, is_held in zip(unsure, held, strict=True) if is_held]
        read = await asyncio.gather(*(self.one(ids[k]) for k in cached), return_exceptions=True)
        answers: list[HubmisGroup | BaseException | None] = list(found)
        for k, answer in zip(cached, read, strict=True):
            if not isinstance(answer, Exception) and isinstance(answer, BaseException):
                raise answer  # a cancellation is not the student's answer
            answers[k] = answer
        return answers

    async def _uncached(self, reads: list[tuple[Route, dict[str, int] | None]]) -> int:
        """How many of these reads the cache cannot answer now (asks the cache only, never HUBmis)."""
        held = await asyncio.gather(*(self.hubmis.cached(route, path=path) for route, path in reads))
        return held.count(False)
