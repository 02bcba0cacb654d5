"""Stellic sections through the real gateway: create, seat counts, timings (one and bulk), restrictions."""

from __future__ import annotations

from typing import Any

from tests.gateway.writes import USER_ERRORS, calls, codes, mutate
from tests.gatewayproc import GatewayProcess
from tests.sandboxproc import SandboxProcess

SECTION_FIELDS = f"""success sectionId section {{ id name externalId linkedSection seats {{ maxEnrollment waitlist }}
  timings {{ day start end room building }} }} seats {{ maxEnrollment availableEnrollment maxWaitlist waitlist }}
  timings {{ day start end room building startDate endDate }} {USER_ERRORS}"""
CREATE = f"mutation($input: SectionInput!) {{ createSection(input: $input) {{ {SECTION_FIELDS} }} }}"
BATCH = f"success items {{ index succeeded record }} {USER_ERRORS}"


def existing(sandbox: SandboxProcess) -> dict[str, Any]:
    section: dict[str, Any] = sandbox.records("stellic", "sections", sandbox.records("stellic", "sections")["ids"][0])
    return section


def new_section(sandbox: SandboxProcess, **overrides: Any) -> dict[str, Any]:
    model = existing(sandbox)
    return {"id": "S-NEW-1", "name": "COSC 999 01", "externalId": "99901", "course": model["course"],
            "campus": model["campus"], "term": model["term"], "type": "Lecture", "startDate": model["start_date"],
            "endDate": model["end_date"], "maxEnrollment": 30, "availableEnrollment": 30,
            "timings": [{"day": "TUESDAY", "start": "10:10", "end": "12:00", "room": "006", "building": "Kemeny"}],
            **overrides}


def test_a_section_is_created_as_sent(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    payload = mutate(gateway, CREATE, {"input": new_section(sandbox)})
    assert payload["success"] and payload["sectionId"] == "S-NEW-1" and payload["userErrors"] == []
    section = payload["section"]
    assert section["externalId"] == "99901" and section["linkedSection"].endswith("-99901")
    assert section["timings"] == [{"day": "tuesday", "start": "10:10:00", "end": "12:00:00", "room": "006",
                                   "building": "Kemeny"}]
    record = sandbox.records("stellic", "sections", "S-NEW-1")
    assert (record["name"], record["max_enrollment"], record["timings"][0]["start"]) == ("COSC 999 01", 30, "10:10")
    again = mutate(gateway, CREATE, {"input": new_section(sandbox)})
    assert not again["success"] and codes(again) == [(["input", "id"], "REFUSED")]


def test_section_input_errors_are_caught_before_any_call(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    model = existing(sandbox)
    bad = new_section(sandbox, name="", startDate=model["end_date"], endDate=model["start_date"], waitlist=-1,
                      timings=[{"day": "MONDAY", "start": "11:00", "end": "10:00", "room": "1", "building": " "}])
    sandbox.reset("stellic")  # the log starts here
    payload = mutate(gateway, CREATE, {"input": bad})
    assert sorted(codes(payload)) == sorted([
        (["input", "name"], "REQUIRED"), (["input", "endDate"], "OUT_OF_RANGE"),
        (["input", "waitlist"], "OUT_OF_RANGE"), (["input", "timings", "0", "building"], "REQUIRED"),
        (["input", "timings", "0", "end"], "OUT_OF_RANGE")])
    wrong_day = gateway.query(CREATE, {"input": {**new_section(sandbox), "timings": [
        {"day": "FUNDAY", "start": "10:00", "end": "11:00", "room": "1", "building": "B"}]}})
    assert "data" not in wrong_day and wrong_day["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert [c for c in calls(sandbox, "stellic") if c["method"] != "GET" or "section" in c["path"]] == []


def test_seat_counts_one_section_and_many(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    ids = sandbox.records("stellic", "sections")["ids"][:2]
    one = mutate(gateway, f"""mutation($id: ID!) {{ updateSectionSeats(sectionId: $id,
        seats: {{maxEnrollment: 80, waitlist: 3}}) {{ {SECTION_FIELDS} }} }}""", {"id": ids[0]})
    assert one["success"] and one["seats"]["maxEnrollment"] == 80 and one["seats"]["waitlist"] == 3
    assert sandbox.records("stellic", "sections", ids[0])["max_enrollment"] == 80
    many = mutate(gateway, f"""mutation($a: ID!, $b: ID!) {{ bulkUpdateSectionSeats(updates: [
        {{id: $a, availableEnrollment: 5}}, {{id: $b, maxWaitlist: 12}}]) {{ {BATCH} }} }}""",
                  {"a": ids[0], "b": ids[1]})
    assert many["success"] and [i["record"]["id"] for i in many["items"]] == ids
    assert sandbox.records("stellic", "sections", ids[1])["max_waitlist"] == 12


def test_a_bulk_update_is_atomic_one_unknown_section_applies_none(gateway: GatewayProcess,
                                                                  sandbox: SandboxProcess) -> None:
    first = sandbox.records("stellic", "sections")["ids"][0]
    before = sandbox.records("stellic", "sections", first)["max_enrollment"]
    payload = mutate(gateway, f"""mutation($a: ID!) {{ bulkUpdateSectionSeats(updates: [
        {{id: $a, maxEnrollment: 1}}, {{id: "no-such-section", maxEnrollment: 2}}]) {{ {BATCH} }} }}""", {"a": first})
    assert not payload["success"] and [i["succeeded"] for i in payload["items"]] == [False, False]
    assert codes(payload) == [(["updates", "1", "id"], "REFUSED")]
    assert sandbox.records("stellic", "sections", first)["max_enrollment"] == before


def test_seat_count_errors_are_caught_before_any_call(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    none = mutate(gateway, f"""mutation {{ updateSectionSeats(sectionId: "1001", seats: {{}}) {{ {SECTION_FIELDS}
        }} }}""")
    assert codes(none) == [(["seats"], "REQUIRED")]
    negative = mutate(gateway, f"""mutation {{ bulkUpdateSectionSeats(updates: [{{id: "1001", waitlist: -1}},
        {{id: "1001", maxEnrollment: 3}}, {{id: "1002"}}]) {{ {BATCH} }} }}""")
    assert sorted(codes(negative)) == sorted([(["updates", "0", "waitlist"], "OUT_OF_RANGE"),
                                              (["updates", "1", "id"], "DUPLICATE"), (["updates", "2"], "REQUIRED")])
    empty = mutate(gateway, f"mutation {{ bulkUpdateSectionSeats(updates: []) {{ {BATCH} }} }}")
    assert codes(empty) == [(["updates"], "REQUIRED")]
    assert calls(sandbox, "stellic") == []


def test_timings_one_section_and_many(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    a, b = sandbox.records("stellic", "sections")["ids"][:2]
    one = mutate(gateway, f"""mutation($id: ID!) {{ replaceSectionTimings(sectionId: $id, timings: [
        {{day: FRIDAY, start: "13:00", end: "14:05", room: "105", building: "Dartmouth Hall", startDate: "2026-01-05",
          endDate: "2026-03-10"}}]) {{ {SECTION_FIELDS} }} }}""", {"id": a})
    assert one["success"] and one["timings"] == [{"day": "friday", "start": "13:00:00", "end": "14:05:00",
                                                  "room": "105", "building": "Dartmouth Hall",
                                                  "startDate": "2026-01-05", "endDate": "2026-03-10"}]
    assert sandbox.records("stellic", "sections", a)["timings"][0]["day"] == "friday"
    many = mutate(gateway, f"""mutation($a: ID!, $b: ID!) {{ bulkReplaceSectionTimings(updates: [
        {{section: $a, timings: []}},
        {{section: $b, timings: [{{day: MONDAY, start: "09:00", end: "09:50", room: "1", building: "Baker"}}]}}]) {{
        {BATCH} }} }}""", {"a": a, "b": b})
    assert many["success"] and [i["succeeded"] for i in many["items"]] == [True, True]
    assert sandbox.records("stellic", "sections", a)["timings"] == []
    assert sandbox.records("stellic", "sections", b)["timings"][0]["building"] == "Baker"
    late = mutate(gateway, f"""mutation {{ bulkReplaceSectionTimings(updates: [{{section: "1001", timings: [
        {{day: MONDAY, start: "09:00", end: "08:00", room: "1", building: "B"}}]}}]) {{ {BATCH} }} }}""")
    assert codes(late) == [(["updates", "0", "timings", "0", "end"], "OUT_OF_RANGE")]


def test_restrictions_are_created_and_deleted(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    section = sandbox.records("stellic", "sections")["ids"][0]
    created = mutate(gateway, f"""mutation($s: String!) {{ createSectionRestriction(id: "R1", input: {{section: $s,
        type: CAMPUS, operator: EQ, studentSets: ["HAN", {{campus: "ONL"}}], action: RESERVED_SEATS,
        reserveCapacity: 5, startDate: "2026-01-01", endDate: "2026-02-01"}}) {{ success state {USER_ERRORS} }} }}""",
                     {"s": section})
    assert created["success"] and created["state"]["student_sets"] == [{"campus": "HAN"}, {"campus": "ONL"}]
    assert created["state"]["reserve_capacity"] == "5"
    record = sandbox.records("stellic", "restrictions", "R1")
    assert (record["type"], record["operator"], record["action"]) == ("campus", "eq", "reserved_seats")
    deleted = mutate(gateway, f'mutation {{ deleteSectionRestriction(id: "R1") {{ success {USER_ERRORS} }} }}')
    assert deleted["success"] and sandbox.records("stellic", "restrictions")["ids"] == []
    again = mutate(gateway, f'mutation {{ deleteSectionRestriction(id: "R1") {{ success {USER_ERRORS} }} }}')
    assert codes(again) == [(None, "NOT_FOUND")]


def test_restriction_rules_are_checked_before_any_call(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    payload = mutate(gateway, f"""mutation {{ createSectionRestriction(id: "R2", input: {{section: "{'x' * 51}",
        type: TAGS, studentSets: ["honors", {{campus: "HAN"}}, true], action: WARN, reserveCapacity: 3,
        rqrmntGroup: "G1"}}) {{ success {USER_ERRORS} }} }}""")
    assert sorted(codes(payload)) == sorted([
        (["input", "section"], "OUT_OF_RANGE"), (["input", "studentSets", "1"], "INVALID"),
        (["input", "studentSets", "2"], "INVALID"), (["input", "reserveCapacity"], "INVALID"),
        (["input", "rqrmntGroup"], "INVALID")])
    empty = mutate(gateway, f"""mutation {{ createSectionRestriction(id: "R2", input: {{section: "1001", type: TAGS,
        studentSets: []}}) {{ success {USER_ERRORS} }} }}""")
    assert codes(empty) == [(["input", "studentSets"], "REQUIRED")]
    assert calls(sandbox, "stellic") == []
