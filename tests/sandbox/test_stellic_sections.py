"""Stellic simulator: sections (#8), seat counts (#7, #9), restrictions (#10, #11), timings (#12, #13)."""

from __future__ import annotations

from typing import Any

from tests.sandbox.test_stellic_helpers import API, client, current_term, fields, record, section_in
from tests.sandboxproc import SandboxProcess

TIMING = {"start": "09:00", "end": "10:05", "day": "tuesday", "room": "008", "building": "Kemeny Hall"}
RESTRICTION = {"section": "", "type": "program", "operator": "eq", "student_sets": [{"program": "COSC-MAJ"}],
               "action": "reserved_seats", "note": "Reserved for majors", "reserve_capacity": "10"}


def _new_section(sandbox: SandboxProcess) -> dict[str, Any]:
    like = section_in(sandbox, current_term(sandbox))
    stored = record(sandbox, "sections", like["id"])
    return {"name": "COSC 001 99", "external_id": "19999", "course": stored["course"], "campus": "HAN",
            "term": stored["term"], "type": "Seminar", "start_date": stored["start_date"],
            "end_date": stored["end_date"], "max_enrollment": 16, "available_enrollment": 16, "timings": [TIMING]}


# ---- #8 ------------------------------------------------------------------------------------------
def test_create_section_answers_the_request_plus_id_and_linked_section(sandbox: SandboxProcess) -> None:
    body = _new_section(sandbox)
    with client(sandbox) as http:
        response = http.post(f"{API}/catalog/section/90010", json=body)
    assert response.status_code == 201, response.text
    answer = response.json()
    assert {k: answer[k] for k in body} == {**body, "timings": [{**TIMING, "start_date": None, "end_date": None}]}
    assert answer["id"] == "90010" and answer["linked_section"].endswith("-19999")
    assert answer["linked_sections"] == [] and answer["waitlist"] == 0
    assert record(sandbox, "sections", "90010") == answer


def test_create_section_validation(sandbox: SandboxProcess) -> None:
    body = _new_section(sandbox)
    with client(sandbox) as http:
        missing = http.post(f"{API}/catalog/section/90010",
                            json={k: v for k, v in body.items() if k not in ("name", "end_date")})
        bad_day = http.post(f"{API}/catalog/section/90010", json={**body, "timings": [{**TIMING, "day": "funday"}]})
        bad_time = http.post(f"{API}/catalog/section/90010", json={**body, "timings": [{**TIMING, "end": "10:05\n"}]})
        backwards = http.post(f"{API}/catalog/section/90010", json={**body, "end_date": "2001-01-01"})
        course = http.post(f"{API}/catalog/section/90010", json={**body, "course": "XXXX 999"})
        term = http.post(f"{API}/catalog/section/90010", json={**body, "term": "19991"})
        existing = http.post(f"{API}/catalog/section/{section_in(sandbox, body['term'])['id']}", json=body)
    assert missing.status_code == 400 and fields(missing) == {"name", "end_date"}
    assert bad_day.status_code == 400 and fields(bad_day) == {"timings[0].day"}
    assert bad_time.status_code == 400 and fields(bad_time) == {"timings[0].end"}
    assert backwards.status_code == 400 and fields(backwards) == {"end_date"}
    assert course.status_code == 404 and fields(course) == {"course"}
    assert term.status_code == 404 and fields(term) == {"term"}
    assert existing.status_code == 400 and fields(existing) == {"id"}
    assert record(sandbox, "sections", "90010") is None


# ---- #7, #9 --------------------------------------------------------------------------------------
def test_update_section_enrollment_info(sandbox: SandboxProcess) -> None:
    section = section_in(sandbox, current_term(sandbox))["id"]
    before = record(sandbox, "sections", section)
    with client(sandbox) as http:
        response = http.patch(f"{API}/catalog/section/{section}/enrollment_info",
                              json={"available_enrollment": 3, "waitlist": 2})
        negative = http.patch(f"{API}/catalog/section/{section}/enrollment_info", json={"waitlist": -1})
        text = http.patch(f"{API}/catalog/section/{section}/enrollment_info", json={"max_waitlist": "5"})
        missing = http.patch(f"{API}/catalog/section/0/enrollment_info", json={"waitlist": 1})
    assert response.status_code == 200
    assert response.json() == {"id": section, "max_enrollment": before["max_enrollment"], "available_enrollment": 3,
                               "max_waitlist": before["max_waitlist"], "waitlist": 2}
    assert record(sandbox, "sections", section)["available_enrollment"] == 3
    assert negative.status_code == 400 and fields(negative) == {"waitlist"}
    assert text.status_code == 400 and fields(text) == {"max_waitlist"}
    assert missing.status_code == 404


def test_bulk_seat_counts_apply_all_or_nothing(sandbox: SandboxProcess) -> None:
    term = current_term(sandbox)
    first = section_in(sandbox, term)["id"]
    second = section_in(sandbox, term, {section_in(sandbox, term)["course"]})["id"]
    before = record(sandbox, "sections", first)
    with client(sandbox) as http:
        refused = http.patch(f"{API}/catalog/sections/enrollment_info",
                             json=[{"id": first, "waitlist": 4}, {"id": "0", "waitlist": 1}])
        no_id = http.patch(f"{API}/catalog/sections/enrollment_info", json=[{"id": first}, {"waitlist": 1}])
        assert record(sandbox, "sections", first) == before
        applied = http.patch(f"{API}/catalog/sections/enrollment_info",
                             json=[{"id": first, "waitlist": 4}, {"id": second, "max_enrollment": 99}])
    assert refused.status_code == 400 and refused.json()["success"] == []
    assert [(e["index"], e["field"]) for e in refused.json()["errors"]] == [(1, "id")]
    assert no_id.status_code == 400 and [(e["index"], e["field"]) for e in no_id.json()["errors"]] == [(1, "id")]
    assert applied.status_code == 200 and applied.json()["errors"] == []
    assert [s["id"] for s in applied.json()["success"]] == [first, second]
    assert record(sandbox, "sections", first)["waitlist"] == 4
    assert record(sandbox, "sections", second)["max_enrollment"] == 99


# ---- #10, #11 ------------------------------------------------------------------------------------
def test_section_restriction_create_and_delete(sandbox: SandboxProcess) -> None:
    body = {**RESTRICTION, "section": section_in(sandbox, current_term(sandbox))["id"]}
    with client(sandbox) as http:
        created = http.post(f"{API}/catalog/section_restriction/R-1", json=body)
        again = http.post(f"{API}/catalog/section_restriction/R-1", json=body)
        stored = record(sandbox, "restrictions", "R-1")
        deleted = http.delete(f"{API}/catalog/section_restriction/R-1")
        gone = http.delete(f"{API}/catalog/section_restriction/R-1")
    assert created.status_code == 201
    assert created.json() == {**body, "start_date": None, "end_date": None, "rqrmnt_group": None}
    assert stored["id"] == "R-1" and stored["action"] == "reserved_seats"
    assert again.status_code == 400
    assert deleted.status_code == 200 and deleted.json() == {"success": True}
    assert gone.status_code == 404 and record(sandbox, "restrictions", "R-1") is None


def test_section_restriction_enums_and_references(sandbox: SandboxProcess) -> None:
    body = {**RESTRICTION, "section": section_in(sandbox, current_term(sandbox))["id"]}
    cases = {
        "type": {**body, "type": "gpa"}, "operator": {**body, "operator": "gt"}, "action": {**body, "action": "ban"},
        "student_sets[0]": {**body, "student_sets": [{"campus": "HAN"}]},
        "student_sets": {k: v for k, v in body.items() if k != "student_sets"},
        "start_date": {**body, "start_date": "soon"}, "section": {**body, "section": "x" * 51},
    }
    with client(sandbox) as http:
        for field, payload in cases.items():
            response = http.post(f"{API}/catalog/section_restriction/R-2", json=payload)
            assert response.status_code == 400 and fields(response) == {field}, (field, response.text)
        unknown = http.post(f"{API}/catalog/section_restriction/R-2", json={**body, "section": "0"})
    assert unknown.status_code == 404 and fields(unknown) == {"section"}
    assert record(sandbox, "restrictions", "R-2") is None


# ---- #12, #13 ------------------------------------------------------------------------------------
def test_update_section_timings_replaces_them(sandbox: SandboxProcess) -> None:
    section = section_in(sandbox, current_term(sandbox))["id"]
    timings = [TIMING, {**TIMING, "day": "thursday", "start_date": "2026-01-05", "end_date": "2026-02-05"}]
    with client(sandbox) as http:
        response = http.put(f"{API}/catalog/section/{section}/timings", json=timings)
        bad = http.put(f"{API}/catalog/section/{section}/timings", json=[TIMING, {**TIMING, "day": "Thu"}])
        backwards = http.put(f"{API}/catalog/section/{section}/timings", json=[{**TIMING, "end": "08:00"}])
        missing = http.put(f"{API}/catalog/section/0/timings", json=[TIMING])
    assert response.status_code == 200
    assert response.json()["section"] == section
    assert [t["day"] for t in response.json()["timings"]] == ["tuesday", "thursday"]
    assert record(sandbox, "sections", section)["timings"] == response.json()["timings"]
    assert bad.status_code == 400 and bad.json()["errors"][0]["index"] == 1 and fields(bad) == {"day"}
    assert backwards.status_code == 400 and fields(backwards) == {"end"}
    assert missing.status_code == 404
    assert record(sandbox, "sections", section)["timings"] == response.json()["timings"]


def test_bulk_timings_apply_all_or_nothing(sandbox: SandboxProcess) -> None:
    term = current_term(sandbox)
    first = section_in(sandbox, term)
    second = section_in(sandbox, term, {first["course"]})
    before = record(sandbox, "sections", first["id"])["timings"]
    with client(sandbox) as http:
        refused = http.put(f"{API}/catalog/sections/timings", json=[
            {"section": first["id"], "timings": [TIMING]},
            {"section": second["id"], "timings": [{**TIMING, "room": None}]},
            {"section": "0", "timings": []},
        ])
        assert record(sandbox, "sections", first["id"])["timings"] == before
        applied = http.put(f"{API}/catalog/sections/timings", json=[
            {"section": first["id"], "timings": [TIMING]}, {"section": second["id"], "timings": []}])
    assert refused.status_code == 400 and refused.json()["success"] == []
    assert [(e["index"], e["field"]) for e in refused.json()["errors"]] == [(1, "timings[0].room"), (2, "section")]
    assert applied.status_code == 200 and applied.json()["errors"] == []
    assert applied.json()["success"][1] == {"section": second["id"], "timings": []}
    assert record(sandbox, "sections", first["id"])["timings"][0]["building"] == "Kemeny Hall"
    assert record(sandbox, "sections", second["id"])["timings"] == []
