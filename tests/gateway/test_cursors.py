"""Relay cursors: one continues only the list (and arguments) that issued it; a forged or tampered one is refused."""

from __future__ import annotations

import base64
import dataclasses
import json
from typing import Any

import pytest

from tests.gateway.test_academic import biggest_section, current_term
from tests.gateway.test_paging import BY_NAME, LISTINGS, Listing, calls, error_code
from tests.gateway.test_students import world
from tests.gatewayproc import GatewayProcess
from tests.sandboxproc import SandboxProcess

# ---- 2. a cursor continues only the list that issued it --------------------------------------------------

def refused(gateway: GatewayProcess, sandbox: SandboxProcess, listing: Listing, cursor: str, **variables: Any) -> str:
    """The code of the error for ``cursor`` given to ``listing``, checking no vendor call was made for it."""
    before = calls(sandbox, listing)
    result = gateway.query(listing.query, {**dict(listing.variables), **variables, "first": 5, "after": cursor})
    assert calls(sandbox, listing) == before
    return error_code(result)


def test_a_sections_cursor_does_not_continue_another_term(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    sections = BY_NAME["dartmouth sections"]
    cursor = sections.page(gateway, 5)["pageInfo"]["endCursor"]  # the current term, 202609
    result = gateway.query(sections.query, {"term": "202606", "first": 5, "after": cursor})
    assert error_code(result) == "BAD_USER_INPUT"
    assert "cursor" in result["errors"][0]["message"] and "continuation_key" not in result["errors"][0]["message"]
    assert refused(gateway, sandbox, sections, cursor, term="202606") == "BAD_USER_INPUT"


def test_a_students_cursor_does_not_continue_another_filter(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    students = BY_NAME["dartmouth students"]
    cursor = students.page(gateway, 5)["pageInfo"]["endCursor"]  # class year 28
    assert refused(gateway, sandbox, students, cursor, year="29") == "BAD_USER_INPUT"
    assert refused(gateway, sandbox, students, cursor, year=None) == "BAD_USER_INPUT"


def test_a_roster_cursor_does_not_continue_another_section(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    roster = BY_NAME["dartmouth roster"]
    cursor = roster.page(gateway, 5)["pageInfo"]["endCursor"]
    other = next(s.id for s in world().sections.values()
                 if s.term.code == current_term() and s.id != biggest_section() and s.enrolled > 10)
    before = calls(sandbox, roster)
    result = gateway.query(roster.query, {"section": other, "first": 5, "after": cursor})
    assert calls(sandbox, roster) == before
    assert error_code(result) == "BAD_USER_INPUT"
    assert result["data"]["section"]["enrollments"] is None


@pytest.mark.parametrize(("issuer", "taker"), [
    ("dartmouth sections", "dartmouth students"), ("dartmouth students", "dartmouth roster"),
    ("dartmouth roster", "dartmouth sections"), ("hubmis students", "hubmis staff"),
    ("hubmis staff", "hubmis students"), ("dartmouth students", "hubmis students"),
    ("hubmis students", "dartmouth students"), ("hubmis staff", "dartmouth sections"),
])
def test_a_cursor_of_one_list_is_refused_by_another(
        gateway: GatewayProcess, sandbox: SandboxProcess, issuer: str, taker: str) -> None:
    cursor = BY_NAME[issuer].page(gateway, 5)["pageInfo"]["endCursor"]
    assert refused(gateway, sandbox, BY_NAME[taker], cursor) == "BAD_USER_INPUT"


def test_an_unfiltered_students_cursor_does_not_cross_vendors(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """Dartmouth's and HUBmis' student lists share a route name (list_students): unfiltered, their cursors
    must still be bound to their own vendor's list, not jump HUBmis to Dartmouth's position (or back)."""
    dartmouth = dataclasses.replace(BY_NAME["dartmouth students"], variables=(("year", None),))
    hubmis = BY_NAME["hubmis students"]
    from_dartmouth = dartmouth.page(gateway, 5)["pageInfo"]["endCursor"]
    from_hubmis = hubmis.page(gateway, 5)["pageInfo"]["endCursor"]
    assert refused(gateway, sandbox, hubmis, from_dartmouth) == "BAD_USER_INPUT"
    assert refused(gateway, sandbox, dartmouth, from_hubmis) == "BAD_USER_INPUT"


def test_a_staff_cursor_does_not_continue_another_filter(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    query = """query($first: Int!, $after: String, $status: String) { staff(filter: {status: $status},
        first: $first, after: $after) { pageInfo { endCursor } } }"""
    cursor = gateway.query(query, {"first": 2})["data"]["staff"]["pageInfo"]["endCursor"]
    before = calls(sandbox, BY_NAME["hubmis staff"])
    result = gateway.query(query, {"first": 2, "after": cursor, "status": "past"})
    assert error_code(result) == "BAD_USER_INPUT"
    assert calls(sandbox, BY_NAME["hubmis staff"]) == before


# ---- 3. forged cursors ---------------------------------------------------------------------------------

def encode(state: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(state).encode()).decode().rstrip("=")


def decode(cursor: str) -> dict[str, Any]:
    state: dict[str, Any] = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    return state


FORGED = [encode({"page": 999, "size": 5}), encode({"page": -1, "size": 5}), encode({"page": 1}),
          encode({"page": 1, "size": 5, "k": None}), encode({}), encode([1, 2]), encode("page"), "not a cursor",
          "eyJwYWdlIjo5OTksInNpemUiOjV9",
          "", " "]  # no cursor either: only a null (or left out) `after` starts at the top


@pytest.mark.parametrize("listing", LISTINGS, ids=lambda listing: listing.name)
def test_a_forged_cursor_is_bad_user_input(gateway: GatewayProcess, sandbox: SandboxProcess,
                                           listing: Listing) -> None:
    for cursor in FORGED:
        assert refused(gateway, sandbox, listing, cursor) == "BAD_USER_INPUT", cursor


@pytest.mark.parametrize("listing", LISTINGS, ids=lambda listing: listing.name)
def test_a_tampered_cursor_is_bad_user_input(gateway: GatewayProcess, sandbox: SandboxProcess,
                                             listing: Listing) -> None:
    """Each field of a real cursor set to what it can never hold, and each number left out."""
    state = decode(listing.page(gateway, 5)["pageInfo"]["endCursor"])
    for field, value in state.items():
        wrong: list[Any] = [None, True, 1.5, [], {}]
        if isinstance(value, int):
            wrong += [-1, -10**20, 10**30, str(value)]
            left_out = {k: v for k, v in state.items() if k != field}
            assert refused(gateway, sandbox, listing, encode(left_out)) == "BAD_USER_INPUT", field
        else:
            wrong += [5, ""]
        for bad in wrong:
            assert refused(gateway, sandbox, listing, encode({**state, field: bad})) == "BAD_USER_INPUT", (field, bad)
    assert refused(gateway, sandbox, listing, encode({**state, "extra": 1})) == "BAD_USER_INPUT"
