"""Stellic engagement scores, read the way that spends the fewest calls.

Stellic answers one student's score per call (``GET .../students/{username}/engagement_score``, #15) and every
student's in its engagement export (``GET .../students/export/engagement_score``, #14): one CSV, cached as any
Stellic read (5 min), which the crosswalk reads too, for Stellic's usernames. A batch of the request's loader
(``Loaders.stellic_engagement_by_username``) is answered from the export when it holds two usernames or more, or
when the export is cached (no call at all); a lone username, with the export not cached, is read on its own (a
small answer, where the export is every student's). Once a request has read the export, its later batches are
answered from it. If the export cannot be read, the scores are read one by one: another route, which may answer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

from gateway.eager import start
from gateway.vendors.errors import VendorError
from gateway.vendors.stellic.models import StellicEngagementScore
from resolvers.crosswalk import StellicIndex

Rows = dict[str, StellicEngagementScore]
Scores = Sequence[StellicEngagementScore | BaseException | None]


class EngagementReader:
    """The batch function of one request's engagement-score loader: username as Stellic spells it -> its score
    (None: Stellic has no such student)."""

    def __init__(self, index: StellicIndex, each: Callable[[list[str]], Awaitable[Scores]]) -> None:
        self.index, self.each = index, each  # ``each``: the scores read one by one (#15)
        self._export: asyncio.Future[Rows] | None = None  # the export's rows, once this request reads them

    async def load(self, usernames: list[str]) -> Scores:
        if self._export is None and (len(usernames) > 1 or await self.index.in_cache()):
            self._export = start(self.index.rows())
        if self._export is None:
            return await self.each(usernames)
        try:
            rows = await asyncio.shield(self._export)
        except VendorError:
            return await self.each(usernames)
        return [self._score(rows, username) for username in usernames]

    def _score(self, rows: Rows, username: str) -> StellicEngagementScore | None:
        """The export's row for ``username`` spelled exactly so: Stellic's own read of jsmith finds no JSmith."""
        row = rows.get(self.index.rules.norm(username))
        return row if row is not None and row.username == username else None
