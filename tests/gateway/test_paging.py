"""Relay paging over each vendor's own paging: `first: null` and `0`, `first` after a cursor, the end of a list.

Cursors bound to their list and forged cursors are in test_cursors.py; the listings are shared."""

from __future__ import annotations

import asyncio
import dataclasses
from dataclasses import dataclass
from typing import Any

import pytest
import redis as redis_sync

from resolvers.paging import plan_reads, read_range
from tests.gateway.test_academic import biggest_section, current_term
from tests.gateway.test_students import world
from tests.gatewayproc import GatewayProcess
from tests.redisproc import RedisProcess
from tests.sandboxproc import SandboxProcess


@dataclass(frozen=True)
class Listing:
    """One kind of connection: how to ask for a page of it and what identifies each node."""

    name: str
    vendor: str
    route: str
    query: str  # takes $first and $after; `conn` is the connection
    ident: str
    variables: tuple[tuple[str, Any], ...] = ()

    def page(self, gateway: GatewayProcess, first: int, after: str | None = None,
             **variables: Any) -> dict[str, Any]:
        result = gateway.query(self.query, {**dict(self.variables), **variables, "first": first, "after": after})
        assert "errors" not in result, result["errors"]
        return connection(result)

    def ids(self, page: dict[str, Any]) -> list[Any]:
        return [edge["node"][self.ident] for edge in page["edges"]]


def connection(result: dict[str, Any]) -> dict[str, Any]:
    data = result["data"]
    conn: dict[str, Any] = data["section"]["enrollments"] if "section" in data else next(iter(data.values()))
    return conn


CONNECTION = "edges { cursor node { %s } } pageInfo { hasNextPage endCursor }"

LISTINGS = [
    Listing("dartmouth students", "dartmouth", "GET /api/students",
            "query($first: Int!, $after: String, $year: String) { students(filter: {classYear: $year}, first: $first,"
            " after: $after) { %s } }" % (CONNECTION % "netid"), "netid", (("year", "28"),)),
    Listing("dartmouth sections", "dartmouth", "GET /api/academic/sections",
            "query($first: Int!, $after: String, $term: String!) { sections(term: $term, first: $first,"
            " after: $after) { %s } }" % (CONNECTION % "id"), "id", (("term", current_term()),)),
    Listing("dartmouth roster", "dartmouth", "GET /api/academic/enrollments",
            "query($first: Int!, $after: String, $section: ID!) { section(id: $section) {"
            " enrollments(first: $first, after: $after) { %s } } }" % (CONNECTION % "id"), "id",
            (("section", biggest_section()),)),
    Listing("hubmis students", "hubmis", "GET /api/v1/students",
            "query($first: Int!, $after: String) { students(source: HUBMIS, first: $first, after: $after) { %s } }"
            % (CONNECTION % "hubmisId"), "hubmisId"),
    Listing("hubmis staff", "hubmis", "GET /api/v1/staff",
            "query($first: Int!, $after: String) { staff(first: $first, after: $after) { %s } }"
            % (CONNECTION % "hubmisId"), "hubmisId"),
]
BY_NAME = {listing.name: listing for listing in LISTINGS}


def calls(sandbox: SandboxProcess, listing: Listing) -> int:
    return int(sandbox.requests(listing.vendor)["by_route"].get(listing.route, 0))


def error_code(result: dict[str, Any]) -> str:
    assert result.get("errors"), result
    code: str = result["errors"][0]["extensions"]["code"]
    return code


# ---- 0. `first: null` ------------------------------------------------------------------------------------

@pytest.mark.parametrize("listing", LISTINGS, ids=lambda listing: listing.name)
def test_first_null_is_the_default_page(gateway: GatewayProcess, listing: Listing) -> None:
    """As in the sketch (`first: Int = 25`), null is the default, as leaving `first` out is."""
    default = 50 if listing.name == "dartmouth roster" else 25
    nullable = dataclasses.replace(listing, query=listing.query.replace("$first: Int!", "$first: Int"))
    null_page = nullable.page(gateway, None)  # type: ignore[arg-type]
    assert listing.ids(null_page) == listing.ids(listing.page(gateway, default))


@pytest.mark.parametrize("listing", LISTINGS, ids=lambda listing: listing.name)
def test_first_zero_has_no_edges_and_says_whether_any_follow(gateway: GatewayProcess, listing: Listing) -> None:
    """Relay allows `first: 0` (a count, or whether a list is empty): no edges, and hasNextPage answered."""
    empty = listing.page(gateway, 0)
    assert empty["edges"] == [] and empty["pageInfo"] == {"hasNextPage": True, "endCursor": None}
    one = listing.page(gateway, 1)
    after = listing.page(gateway, 0, one["pageInfo"]["endCursor"])
    assert after["edges"] == [] and after["pageInfo"]["hasNextPage"]


def test_first_zero_still_counts(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    result = gateway.query("{ all: students(first: 0) { totalCount edges { cursor } } "
                           "some: students(first: 3) { totalCount } }")
    assert result["data"]["all"] == {"totalCount": result["data"]["some"]["totalCount"], "edges": []}
    assert result["data"]["all"]["totalCount"] > 3


@pytest.mark.parametrize("listing", LISTINGS, ids=lambda listing: listing.name)
def test_page_info_says_where_a_page_starts_as_the_connections_spec_asks(gateway: GatewayProcess,
                                                                       listing: Listing) -> None:
    """Relay's PageInfo has `hasPreviousPage` and `startCursor` besides: tools checking a schema against the
    Connections spec (and clients normalising pageInfo) found only the two the sketch names."""
    full = dataclasses.replace(listing, query=listing.query.replace(
        "pageInfo { hasNextPage endCursor }", "pageInfo { hasNextPage endCursor hasPreviousPage startCursor }"))
    top = full.page(gateway, 3)
    assert top["pageInfo"]["hasPreviousPage"] is False
    assert top["pageInfo"]["startCursor"] == top["edges"][0]["cursor"]
    on = full.page(gateway, 3, top["pageInfo"]["endCursor"])
    assert on["pageInfo"]["hasPreviousPage"] is True
    assert on["pageInfo"]["startCursor"] == on["edges"][0]["cursor"]
    assert full.page(gateway, 0)["pageInfo"]["startCursor"] is None


def test_stellic_students_page_info_says_where_a_page_starts(gateway: GatewayProcess) -> None:
    query = """query($after: String) { students(source: STELLIC, first: 2, after: $after) {
        edges { cursor } pageInfo { hasPreviousPage startCursor endCursor } } }"""
    top = gateway.query(query, {"after": None})["data"]["students"]
    assert top["pageInfo"]["hasPreviousPage"] is False and top["pageInfo"]["startCursor"] == top["edges"][0]["cursor"]
    on = gateway.query(query, {"after": top["pageInfo"]["endCursor"]})["data"]["students"]
    assert on["pageInfo"]["hasPreviousPage"] is True and on["pageInfo"]["startCursor"] == on["edges"][0]["cursor"]


# ---- 1. `first` after a cursor -------------------------------------------------------------------------

@pytest.mark.parametrize("listing", LISTINGS, ids=lambda listing: listing.name)
def test_a_page_after_a_cursor_has_first_items_whatever_the_first_page_size(
        gateway: GatewayProcess, listing: Listing) -> None:
    whole = listing.ids(listing.page(gateway, 40))
    assert len(whole) >= 20 and len(set(whole)) == len(whole)
    start = listing.page(gateway, 5)
    assert listing.ids(start) == whole[:5] and start["pageInfo"]["hasNextPage"]
    cursor = start["pageInfo"]["endCursor"]
    for first in (10, 3, 7, 5, 1):
        after = listing.page(gateway, first, cursor)
        assert listing.ids(after) == whole[5:5 + first], first
        assert after["pageInfo"]["hasNextPage"]
    # and on from there at yet another size: no gap, no repeat
    ten = listing.page(gateway, 10, cursor)
    on = listing.page(gateway, 4, ten["pageInfo"]["endCursor"])
    assert listing.ids(on) == whole[15:19]


@pytest.mark.parametrize("listing", LISTINGS, ids=lambda listing: listing.name)
def test_each_edge_cursor_continues_right_after_its_edge(gateway: GatewayProcess, listing: Listing) -> None:
    whole = listing.ids(listing.page(gateway, 20))
    start = listing.page(gateway, 6)
    after_third = listing.page(gateway, 6, start["edges"][2]["cursor"])
    assert listing.ids(after_third) == whole[3:9]
    assert start["pageInfo"]["endCursor"] == start["edges"][-1]["cursor"]


@pytest.mark.parametrize("listing", LISTINGS, ids=lambda listing: listing.name)
def test_the_next_page_of_the_same_size_is_one_vendor_call(
        gateway: GatewayProcess, sandbox: SandboxProcess, listing: Listing) -> None:
    start = listing.page(gateway, 5)
    before = calls(sandbox, listing)
    listing.page(gateway, 5, start["pageInfo"]["endCursor"])
    assert calls(sandbox, listing) == before + 1


def test_a_cursor_whose_found_set_dartmouth_forgot_continues_from_the_same_filter(
        gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    listing = BY_NAME["dartmouth students"]
    whole = listing.ids(listing.page(gateway, 26))
    start = listing.page(gateway, 13)
    sandbox.reset("dartmouth")  # Dartmouth keeps a found set 12 hours; a reset forgets every one at once
    rest = listing.page(gateway, 13, start["pageInfo"]["endCursor"])
    assert listing.ids(start) + listing.ids(rest) == whole
    answered = [r["status"] for r in sandbox.requests("dartmouth")["requests"] if r["route"] == listing.route]
    assert answered == [400, 200]  # the forgotten key, then the same filter again at the cursor's page
    more = listing.page(gateway, 13, rest["pageInfo"]["endCursor"])  # the new found set goes on
    assert listing.ids(more) and calls(sandbox, listing) == 3


def test_a_larger_page_after_a_cursor_stops_at_the_end_of_the_list(gateway: GatewayProcess) -> None:
    listing = BY_NAME["dartmouth sections"]
    size = len([s for s in world().sections.values() if s.term.code == current_term()])
    start = listing.page(gateway, size - 4)
    rest = listing.page(gateway, 50, start["pageInfo"]["endCursor"])
    assert len(rest["edges"]) == 4 and rest["pageInfo"]["hasNextPage"] is False
    everything = listing.ids(listing.page(gateway, size))
    assert listing.ids(start) + listing.ids(rest) == everything


def test_stellic_students_page_after_a_cursor_at_another_size(gateway: GatewayProcess) -> None:
    query = """query($first: Int!, $after: String) { students(source: STELLIC, first: $first, after: $after) {
        edges { node { stellicUsername } } pageInfo { endCursor } } }"""

    def names(first: int, after: str | None = None) -> tuple[list[str], str]:
        page = gateway.query(query, {"first": first, "after": after})["data"]["students"]
        return [e["node"]["stellicUsername"] for e in page["edges"]], page["pageInfo"]["endCursor"]

    whole, _ = names(30)
    cursor = names(5)[1]
    assert names(12, cursor)[0] == whole[5:17] and names(2, cursor)[0] == whole[5:7]


def test_a_stellic_students_page_reaching_the_end_of_the_list_says_no_page_follows(gateway: GatewayProcess) -> None:
    query = """query($first: Int!, $after: String) { students(source: STELLIC, first: $first, after: $after) {
        totalCount edges { node { stellicUsername } } pageInfo { hasNextPage endCursor } } }"""

    def page(first: int, after: str | None = None) -> dict[str, Any]:
        result = gateway.query(query, {"first": first, "after": after})
        assert "errors" not in result, result["errors"]
        return result["data"]["students"]  # type: ignore[no-any-return]

    total = page(0)["totalCount"]
    start = page(total - 3)
    assert start["pageInfo"]["hasNextPage"] is True
    rest = page(3, start["pageInfo"]["endCursor"])  # exactly the last three
    assert len(rest["edges"]) == 3 and rest["pageInfo"]["hasNextPage"] is False
    assert page(total)["pageInfo"]["hasNextPage"] is False


def test_reads_cover_the_range_in_one_call_when_a_page_can_hold_it() -> None:
    for maximum in (100, 1000):
        for offset in range(1, 400):
            for first in range(1, min(120, maximum) + 1):
                size, pages = plan_reads(offset, first, maximum)
                assert first <= size <= maximum
                start, end = (pages[0] - 1) * size, pages[-1] * size
                assert start <= offset and offset + first <= end, (offset, first)
                assert pages == list(range(pages[0], pages[0] + len(pages)))
                if offset % first == 0 or offset + first <= maximum:
                    assert len(pages) == 1, (offset, first)
                if offset % first == 0:
                    assert size == first  # the next page at the cursor's own size reads exactly that
                assert len(pages) <= 2


# ---- 1b. the end of a list that carries no total ------------------------------------------------------

HUBMIS_LISTINGS = [listing for listing in LISTINGS if listing.vendor == "hubmis"]


def walk(gateway: GatewayProcess, listing: Listing, first: int = 40) -> tuple[list[Any], list[str]]:
    """Every node's id and the cursor after it, page by page (stopping at an empty page too)."""
    ids: list[Any] = []
    cursors: list[str] = []
    after = None
    for _ in range(100):
        page = listing.page(gateway, first, after)
        ids += listing.ids(page)
        cursors += [edge["cursor"] for edge in page["edges"]]
        if not page["edges"] or not page["pageInfo"]["hasNextPage"]:
            return ids, cursors
        after = page["pageInfo"]["endCursor"]
    raise AssertionError("the list never ended")


@pytest.mark.parametrize("listing", HUBMIS_LISTINGS, ids=lambda listing: listing.name)
def test_has_next_page_is_false_on_a_page_that_ends_exactly_at_the_end(
        gateway: GatewayProcess, sandbox: SandboxProcess, gateway_redis: RedisProcess, listing: Listing) -> None:
    """HUBmis' list answers carry no total: a page that merely ends full must not promise an empty next page.
    Still one HUBmis call per page (its bucket refills one call per 5 s), each asked with a cold cache."""
    ids, cursors = walk(gateway, listing)
    n = len(ids)
    assert n > 20 and len(set(ids)) == n

    def cold_page(first: int, after: str | None = None) -> dict[str, Any]:
        redis_sync.Redis.from_url(gateway_redis.url).flushdb()
        before = calls(sandbox, listing)
        page = listing.page(gateway, first, after)
        assert calls(sandbox, listing) == before + 1, (first, after)
        return page

    # Paging through at a size that divides the list: its last page ends exactly at the end.
    size = max(d for d in range(2, 50) if n % d == 0)
    pages = [cold_page(size)]
    while pages[-1]["pageInfo"]["hasNextPage"]:
        assert len(pages) < n // size, "hasNextPage promised a page after the last"
        pages.append(cold_page(size, pages[-1]["pageInfo"]["endCursor"]))
    assert [i for page in pages for i in listing.ids(page)] == ids and len(pages) == n // size
    # The last few from any edge's cursor, and the first page asked for exactly the whole list (when one HUBmis
    # page can hold it and one record more).
    last = cold_page(7, cursors[n - 8])
    assert listing.ids(last) == ids[n - 7:] and last["pageInfo"]["hasNextPage"] is False
    if n < 100:
        whole = cold_page(n)
        assert listing.ids(whole) == ids and whole["pageInfo"]["hasNextPage"] is False
        assert cold_page(n - 1)["pageInfo"]["hasNextPage"] is True


def test_stellic_students_has_next_page_is_false_at_the_exact_end(gateway: GatewayProcess) -> None:
    query = """query($first: Int!, $after: String) { students(source: STELLIC, first: $first, after: $after) {
        totalCount edges { cursor } pageInfo { hasNextPage } } }"""
    total = gateway.query(query, {"first": 0})["data"]["students"]["totalCount"]
    cursor = gateway.query(query, {"first": total - 3})["data"]["students"]["edges"][-1]["cursor"]
    last = gateway.query(query, {"first": 3, "after": cursor})["data"]["students"]
    assert len(last["edges"]) == 3 and last["pageInfo"]["hasNextPage"] is False


def test_has_next_page_reads_one_record_ahead_without_another_call() -> None:
    """Over lists of every length: the records are right, no more vendor reads than the range alone needs, and
    hasNextPage is exact wherever one more record fits those reads (always while `first` is under half the
    largest page); elsewhere it is true only after a full page, never false while records follow."""
    maximum = 100

    def reader(length: int, log: list[tuple[int, int]]) -> Any:
        async def read(number: int, size: int) -> list[int]:
            assert 1 <= size <= maximum
            log.append((number, size))
            return list(range(length))[(number - 1) * size: number * size]
        return read

    async def check() -> None:
        for length in (0, 1, 49, 50, 51, 99, 100, 101, 150, 199, 200, 201, 250):
            for offset in range(0, length + 2, 7):
                for first in (*range(0, 52), 60, 75, 98, 99, 100):
                    log: list[tuple[int, int]] = []
                    records, more = await read_range(reader(length, log), offset, first, maximum, look_ahead=True)
                    assert records == list(range(length))[offset:offset + first], (length, offset, first)
                    assert len(log) <= (1 if first == 0 else len(plan_reads(offset, first, maximum)[1]))
                    if offset + first < length:
                        assert more, (length, offset, first)
                    elif first < maximum // 2:
                        assert more is False, (length, offset, first)

    asyncio.run(check())


# ---- 1c. a HUBmis list for a caller who may not see FERPA-protected people --------------------------------

RESTRICTED = ["students:read"]  # no people:private: FERPA-protected people are hidden
HUBMIS_SEARCH = """query($first: Int!, $after: String, $filter: StudentFilter) {
    students(source: HUBMIS, first: $first, after: $after, filter: $filter) {
        edges { cursor node { hubmisId } } pageInfo { hasNextPage endCursor startCursor } } }"""


def restricted_walk(gateway: GatewayProcess, first: int, where: dict[str, Any] | None = None,
                    enough: int = 10_000) -> list[int]:
    """The ids a caller without people:private reads page by page (until it has ``enough``), checking each page as
    a Relay client would rely on it: `first` edges but on the last page, the end and start cursors those of its
    last and first edges, and no page promised after the last. Each walk is its own caller (60 requests at once)."""
    ids: list[int] = []
    after = None
    walker = gateway.bearer(RESTRICTED, subject=f"walker-{first}-{where}-{enough}")
    for _ in range(55):
        response = gateway.post(HUBMIS_SEARCH, {"first": first, "after": after, "filter": where}, walker)
        result = response.json()
        assert response.status_code == 200 and "errors" not in result, result
        page = result["data"]["students"]
        edges, info = page["edges"], page["pageInfo"]
        ids += [edge["node"]["hubmisId"] for edge in edges]
        if info["hasNextPage"]:
            assert len(edges) == first, (after, page)
        assert info["endCursor"] == (edges[-1]["cursor"] if edges else None), page
        assert info["startCursor"] == (edges[0]["cursor"] if edges else None), page
        if not info["hasNextPage"] or len(ids) >= enough:
            return ids
        after = info["endCursor"]
    raise AssertionError("the list never ended")


def test_a_hubmis_page_without_people_private_is_full_and_says_when_it_is_the_last(
        gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """A HUBmis page dropped the FERPA-protected people it held: a page one short, an empty page with
    hasNextPage true (first: 1 at a hidden student), and hasNextPage true before a last page of nothing when
    the list ended with one. Now each page holds `first` people the caller may see, from the same HUBmis call."""
    everyone: list[int] = []
    after = None
    while after != "end":  # as a caller seeing everyone reads it
        page = gateway.query(HUBMIS_SEARCH, {"first": 100, "after": after})["data"]["students"]
        everyone += [e["node"]["hubmisId"] for e in page["edges"]]
        after = page["pageInfo"]["endCursor"] if page["pageInfo"]["hasNextPage"] else "end"
    walked = restricted_walk(gateway, 40)
    assert len(set(walked)) == len(walked)
    hidden = [i for i in everyone if i not in walked]
    assert hidden and hidden[0] in everyone[:60], "the sandbox hides no one early in HUBmis' list"
    visible = [i for i in everyone if i not in hidden]
    assert walked[:len(visible)] == visible
    shown = visible[:everyone.index(hidden[0]) + 5]
    assert restricted_walk(gateway, 1, enough=len(shown)) == shown  # one by one, straight past the hidden one
    sandbox.reset("hubmis")
    assert restricted_walk(gateway, 7) == walked
    assert calls(sandbox, BY_NAME["hubmis students"]) <= -(-len(walked) // 7)  # one HUBmis call a page at most
    # A list that ends with a hidden student (their form's, year group's or surname's): the page before it is
    # the last, whatever its size.
    ending = None
    for student in hidden:
        record = gateway.query("query($id: Int!) { student(hubmisId: $id) { lastName hubmis { form { id }"
                               " yearGroup { id } } } }", {"id": student})["data"]["student"]
        for where in ({"search": record["lastName"]}, {"form": record["hubmis"]["form"]["id"]},
                      {"yearGroup": record["hubmis"]["yearGroup"]["id"]}):
            listed = [e["node"]["hubmisId"] for e in gateway.query(
                HUBMIS_SEARCH, {"first": 100, "filter": where})["data"]["students"]["edges"]]
            if listed[-1] == student and 1 < len(listed) < 40:
                ending = where, [i for i in listed if i not in hidden]
                break
        if ending:
            break
    assert ending, "no list here ends with a hidden student"
    where, expected = ending
    for first in (1, len(expected), 3):
        assert restricted_walk(gateway, first, where) == expected, (first, where)
