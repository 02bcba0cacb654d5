"""The identity crosswalk: which records in Dartmouth, Stellic and HUBmis are the same person.

Rules (configurable, ``IdentityRules``): a person's shared key is their Dartmouth netid; their
Stellic username is the key put through a template (``{key}`` by default) and their HUBmis
``external_id`` equals the key; keys compare case-insensitively unless told otherwise.

HUBmis has no lookup by ``external_id`` and allows one request per 5 s once its burst of 500 is
spent, so its side is an index built from the paged student list at start-up and refreshed in the
background at a pace that spends only a fixed share of the refill rate. A query never spends the
budget on a lookup the index can answer; only before the first build completes does a lookup
fall back to one ``search`` call. With Redis, replicas share the index (``resolvers.indexstore``): a
build is stored there, one replica at a time rebuilds it, the others take it. Stellic's side is its
engagement export (one CSV listing every username), cached like any read.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

from redis.asyncio import Redis

from gateway.vendors.dartmouth import routes as dartmouth_routes
from gateway.vendors.dartmouth.client import DartmouthClient
from gateway.vendors.errors import VendorError, VendorNotFound
from gateway.vendors.hubmis import routes as hubmis_routes
from gateway.vendors.hubmis.client import LIST_PAGE, HubmisClient
from gateway.vendors.redislink import RedisLink, RedisUnavailable
from gateway.vendors.routes import Route
from gateway.vendors.stellic.client import StellicClient
from gateway.vendors.stellic.models import StellicEngagementScore
from resolvers.indexstore import IndexStore, StoredIndex

log = logging.getLogger("campusgraph.crosswalk")


@dataclass(frozen=True)
class IdentityRules:
    stellic_username: str = "{key}"  # template from the shared key
    case_insensitive: bool = True

    def norm(self, key: str) -> str:
        """The key as the crosswalk compares it: without the whitespace around it (no key has any: a pasted
        ``f009xk3\\n`` is f009xk3), and in lower case unless case matters."""
        return self._fold(key.strip())

    def _fold(self, text: str) -> str:
        return text.lower() if self.case_insensitive else text

    def username_for(self, key: str) -> str:
        return self.stellic_username.format(key=key)

    def key_for_username(self, username: str) -> str:
        username = username.strip()
        prefix, _, suffix = self.stellic_username.partition("{key}")
        # The template's own text compares as keys do: F009XK3@Dartmouth.EDU is f009xk3@dartmouth.edu's username.
        spelled, prefix, suffix = self._fold(username), self._fold(prefix), self._fold(suffix)
        if len(username) >= len(prefix) + len(suffix) and spelled.startswith(prefix) and spelled.endswith(suffix):
            return username[len(prefix): len(username) - len(suffix) if suffix else None]
        return username


@dataclass
class _Pass:
    """A pass over HUBmis' list so far: what it has read, in the list's order, and the page it reads next."""

    by_id: dict[int, str | None]
    next_page: int


class HubmisIndex:
    """external_id -> HUBmis id (and back), from a paged list: students, or staff."""

    def __init__(self, client: HubmisClient, rules: IdentityRules, *, refill_s: float,
                 route: Route = hubmis_routes.LIST_STUDENTS, budget_share: float = 0.25,
                 refresh_s: float = 900.0, store: IndexStore | None = None, check_s: float | None = None) -> None:
        self.client, self.rules, self.refill_s, self.route = client, rules, refill_s, route
        self.budget_share, self.refresh_s = budget_share, refresh_s
        self.store = store  # shared with the other replicas through Redis; None: this process's own
        self.check_s = check_s if check_s is not None else min(30.0, refresh_s / 10)
        self._by_key: dict[str, int] = {}
        self._by_id: dict[int, str | None] = {}
        self._position: dict[int, int] = {}
        self._cut_off: _Pass | None = None  # a pass a failure stopped: the next one goes on from its page
        self.ready = asyncio.Event()
        self.built_at: float | None = None
        self.pages_fetched = 0
        self._shared = True  # Redis answered last time (a warning when it stops, a note when it is back)

    def lookup(self, key: str) -> int | None:
        return self._by_key.get(self.rules.norm(key))

    def lists(self, hubmis_id: int) -> bool:
        """Whether the last build saw this HUBmis record (before the first build, no record is listed)."""
        return hubmis_id in self._by_id

    def external_id(self, hubmis_id: int) -> str | None:
        """The external_id the last build saw on this HUBmis record; None when it had none or was not listed."""
        return self._by_id.get(hubmis_id)

    def page_of(self, hubmis_id: int) -> int | None:
        """The page of the list (in pages of ``LIST_PAGE``, as the last build read it) this record was on; None
        when it was not listed. The list may have moved since: a reader checks the page it reads."""
        position = self._position.get(hubmis_id)
        return None if position is None else position // LIST_PAGE + 1

    def __len__(self) -> int:
        return len(self._by_id)

    async def build(self, paced: bool = False) -> None:
        """One pass over the list; ``paced`` spaces pages so the pass spends ``budget_share`` of the refill. A pass
        a failure stopped is taken up at the page that failed, not begun again: at HUBmis' paced rate a pass over a
        large list takes an hour, and starting over after each failure would spend its budget and never finish."""
        cut_off, self._cut_off = self._cut_off, None
        this_pass = _Pass({}, 1) if cut_off is None else cut_off
        pause = self.refill_s / self.budget_share if paced else 0.0
        try:
            async for page in self.client.pages(self.route, page_size=LIST_PAGE, ttl=0, first_page=this_pass.next_page):
                self.pages_fetched += 1
                for item in page:
                    external = item.get("external_id")
                    this_pass.by_id[int(item["id"])] = None if external is None else str(external)
                this_pass.next_page += 1
                if pause:
                    await asyncio.sleep(pause)
        except VendorError:
            self._cut_off = this_pass
            raise
        self._install(this_pass.by_id, time.time())
        log.info("hubmis index built: %s %d", self.route.path, len(this_pass.by_id),
                 extra={"index": {"vendor": "hubmis", "route": self.route.key, "size": len(this_pass.by_id),
                                  "resumed_at_page": None if cut_off is None else cut_off.next_page}})

    def _install(self, by_id: dict[int, str | None], built_at: float) -> None:
        self._cut_off = None  # a whole build (ours, or another replica's) supersedes a pass cut off
        self._by_key = {self.rules.norm(external): hubmis_id for hubmis_id, external in by_id.items() if external}
        self._by_id, self.built_at = by_id, built_at
        self._position = {hubmis_id: i for i, hubmis_id in enumerate(by_id)}  # the list's order, kept by the store
        self.ready.set()

    async def run(self) -> None:
        """Build now (using the burst), then refresh in the background at the paced rate, forever; with a store,
        take the replicas' shared index instead and rebuild it only when due and this replica holds the lock."""
        while True:
            try:
                if self.store is None:
                    await self.build(paced=self.ready.is_set())
                    pause = self.refresh_s
                else:
                    await self._sync(self.store)
                    pause = self.check_s if self.ready.is_set() else min(1.0, self.check_s)
            except VendorError as exc:
                resumes = f" (the next pass goes on from page {self._cut_off.next_page})" if self._cut_off else ""
                log.warning("hubmis index refresh failed: %s%s", exc, resumes)
                pause = min(60.0, self.refresh_s)
            await asyncio.sleep(pause)

    def _due(self, built_at: float | None = None) -> bool:
        built_at = self.built_at if built_at is None else built_at
        return built_at is None or time.time() - built_at >= self.refresh_s

    async def _sync(self, store: IndexStore) -> None:
        """One look at the shared index: take a newer build, or rebuild and store it if due and the lock is ours.
        Redis unreachable: this replica keeps its index fresh on its own until Redis answers again."""
        try:
            stored_at = await store.built_at()
            newer = stored_at is not None and (self.built_at is None or stored_at > self.built_at)
            # At start-up a stale build is not taken: rebuilding it is due, and the lock may be ours.
            if newer and (self.ready.is_set() or not self._due(stored_at)):
                await self._adopt(store)
            if self._due():
                async with store.rebuilding() as ours:
                    if not ours:  # another replica is rebuilding; meanwhile serve what it serves
                        if newer and not self.ready.is_set():
                            await self._adopt(store)
                    elif not await self._stored_since(store):
                        await self.build(paced=self.ready.is_set())
                        assert self.built_at is not None
                        await store.save(StoredIndex(self.built_at, self.route.key, self._by_id))
            if not self._shared:
                self._shared = True
                log.info("hubmis index %s shared through redis again", self.route.key)
        except RedisUnavailable:  # the process's RedisLink has said so (once for the process)
            if self._shared:
                self._shared = False
                log.info("hubmis index %s kept by this process until redis answers", self.route.key)
            if self._due():
                await self.build(paced=self.ready.is_set())

    async def _stored_since(self, store: IndexStore) -> bool:
        """Whether another replica stored a fresh build between our look and taking the lock (then it is taken)."""
        stored_at = await store.built_at()
        if stored_at is None or self._due(stored_at) or (self.built_at is not None and stored_at <= self.built_at):
            return False
        return await self._adopt(store)

    async def _adopt(self, store: IndexStore) -> bool:
        stored = await store.load()
        if stored is None:
            return False
        self._install(stored.by_id, stored.built_at)
        log.info("hubmis index taken from redis: %s %d", self.route.path, len(stored.by_id),
                 extra={"index": {"vendor": "hubmis", "route": self.route.key, "size": len(stored.by_id),
                                  "built_at": stored.built_at}})
        return True

    async def search(self, key: str) -> int | None:
        """Before the first build: one ``search`` call for this key (the only time a lookup spends budget)."""
        items = await self.client.fetch(self.route, params={"search": key, "page[size]": hubmis_routes.MAX_PAGE_SIZE})
        for item in items if isinstance(items, list) else []:
            if item.get("external_id") and self.rules.norm(str(item["external_id"])) == self.rules.norm(key):
                return int(item["id"])
        return None


class StellicIndex:
    """Stellic usernames (and Stellic IDs) from the engagement export, cached like any Stellic read."""

    def __init__(self, client: StellicClient, rules: IdentityRules) -> None:
        self.client, self.rules = client, rules
        # The export's rows as last read, and the two lookups built from them: rebuilt only when the rows change.
        self._built: tuple[Sequence[StellicEngagementScore], dict[str, StellicEngagementScore],
                           dict[str, str]] | None = None

    async def rows(self) -> dict[str, StellicEngagementScore]:
        """Normalised username -> its row of the engagement export (a cached read): the username as Stellic
        spells it (JSmith for jsmith: its reads take only that spelling), its Stellic ID and its score.
        Shared by every caller until the export changes: read it, never change it."""
        return (await self._lookups())[0]

    async def usernames(self) -> dict[str, str]:
        """Normalised username -> the username as Stellic spells it, from the engagement export."""
        return (await self._lookups())[1]

    async def _lookups(self) -> tuple[dict[str, StellicEngagementScore], dict[str, str]]:
        export = await self.client.export_students_by_property()
        if self._built is None or self._built[0] is not export:
            rows = {self.rules.norm(row.username): row for row in export if row.username and row.id is not None}
            self._built = (export, rows, self.spellings(rows))
        return self._built[1], self._built[2]

    @staticmethod
    def spellings(rows: dict[str, StellicEngagementScore]) -> dict[str, str]:
        """Normalised username -> the username as Stellic spells it, from ``rows``."""
        return {key: row.username for key, row in rows.items() if row.username}

    async def in_cache(self) -> bool:
        """Whether the export is in the cache now (asks the cache only, never Stellic)."""
        return await self.client.students_export_cached()

    async def cached(self) -> dict[str, str] | None:
        """The usernames if the export is in the cache now; None without asking Stellic."""
        return await self.usernames() if await self.in_cache() else None


class FerpaIndex:
    """Netids Dartmouth shows only to callers holding ``people:private``: the students its private view
    lists minus those its public view lists (both paged lists; Dartmouth documents no rate limit)."""

    def __init__(self, private: DartmouthClient, public: DartmouthClient, refresh_s: float = 300.0,
                 rules: IdentityRules | None = None) -> None:
        self.private, self.public, self.refresh_s = private, public, refresh_s
        self.rules = rules or IdentityRules()
        self.protected: frozenset[str] = frozenset()
        # Every student the private view listed at the last build (None: not read, one view only): Dartmouth has them
        self.listed: frozenset[str] | None = None
        self.ready = asyncio.Event()

    async def _netids(self, client: DartmouthClient) -> set[str]:
        found: set[str] = set()
        async for page in client.pages(dartmouth_routes.LIST_STUDENTS, ttl=0):
            found.update(str(item.get("netid")) for item in page if item.get("netid"))
        return found

    async def build(self) -> None:
        if self.private is self.public:
            self.protected = frozenset()
        else:
            every, visible = await asyncio.gather(self._netids(self.private), self._netids(self.public))
            self.protected = frozenset(self.rules.norm(netid) for netid in every - visible)
            self.listed = frozenset(self.rules.norm(netid) for netid in every)
        self.ready.set()
        log.info("ferpa index built: %d protected", len(self.protected),
                 extra={"index": {"vendor": "dartmouth", "route": "ferpa", "size": len(self.protected)}})

    async def run(self) -> None:
        while True:
            try:
                await self.build()
            except asyncio.CancelledError:
                raise
            except VendorError as exc:
                log.warning("ferpa index refresh failed: %s", exc)
            await asyncio.sleep(self.refresh_s)

    def lists(self, netid: str) -> bool:
        """Whether Dartmouth's student list held this netid at the last build, read for the FERPA index anyway: then
        Dartmouth has this student and no call need ask it. False when the lists were not read (one Dartmouth view
        only) or did not hold them then (perhaps added since: Dartmouth is asked)."""
        return self.listed is not None and self.rules.norm(netid) in self.listed

    async def is_protected(self, netid: str) -> bool:
        """From the index; before its first build, by asking both views (two cached reads)."""
        if self.ready.is_set():  # compared as the crosswalk compares keys: F00DYF9 is as protected as f00dyf9
            return self.rules.norm(netid) in self.protected
        if self.private is self.public:
            return False
        try:
            await self.public.get_student(netid)
            return False
        except VendorNotFound:
            pass
        try:
            await self.private.get_student(netid)
            return True
        except VendorNotFound:
            return False


@dataclass
class Crosswalk:
    """The rules and the indexes built from them; one per process, shared by every request."""

    rules: IdentityRules
    hubmis_students: HubmisIndex
    hubmis_staff: HubmisIndex
    stellic: StellicIndex
    ferpa: FerpaIndex

    @classmethod
    def create(cls, hubmis: HubmisClient, stellic: StellicClient, dartmouth: DartmouthClient,
               dartmouth_public: DartmouthClient, rules: IdentityRules, *, refill_s: float,
               refresh_s: float = 900.0, share: float = 0.25, redis: Redis | None = None,
               redis_link: RedisLink | None = None) -> Crosswalk:
        def hubmis_index(route: Route) -> HubmisIndex:
            store = IndexStore(redis, f"cg:index:hubmis:{hubmis.variant}:{route.name}",
                               link=redis_link) if redis is not None else None
            return HubmisIndex(hubmis, rules, route=route, refill_s=refill_s, refresh_s=refresh_s, budget_share=share,
                               store=store)

        return cls(rules=rules,
                   hubmis_students=hubmis_index(hubmis_routes.LIST_STUDENTS),
                   hubmis_staff=hubmis_index(hubmis_routes.LIST_STAFF),
                   stellic=StellicIndex(stellic, rules), ferpa=FerpaIndex(dartmouth, dartmouth_public, rules=rules))

    async def run(self) -> None:
        """Keep both HUBmis indexes fresh (students first: most lookups are of students)."""

        async def staff_after_students() -> None:
            await self.hubmis_students.ready.wait()
            await self.hubmis_staff.run()

        await asyncio.gather(self.hubmis_students.run(), staff_after_students(), self.ferpa.run())
