"""Stellic simulator: course enrollments (#2, full replace) and section enrollments (#3-#6)."""

from __future__ import annotations

from typing import Any

from tests.sandbox.test_stellic_helpers import API, client, current_term, fields, ids, record, section_in, world
from tests.sandboxproc import SandboxProcess


def _a_term_with_two_courses(sandbox: SandboxProcess) -> tuple[str, str, list[dict[str, Any]]]:
    """A student and a term in which the student has at least two course enrollments."""
    by: dict[tuple[str, str], list[str]] = {}
    for key in ids(sandbox, "course_enrollments"):
        username, term, _ = key.split(":")
        by.setdefault((username, term), []).append(key)
    (username, term), keys = next((k, v) for k, v in by.items() if len(v) >= 2)
    return username, term, [record(sandbox, "course_enrollments", k) for k in keys]


def _new_section(http: Any, section_id: str, like: dict[str, Any]) -> None:
    """A second section of an existing section's course and term (a lab), through #8."""
    body = {k: like[k] for k in ("course", "campus", "term", "start_date", "end_date")}
    body.update(name=f"{like['course']} L1", external_id=f"L{section_id}", type="Laboratory")
    assert http.post(f"{API}/catalog/section/{section_id}", json=body).status_code == 201


# ---- #2 -----------------------------------------------------------------------------------------
def test_replace_course_enrollments_is_a_full_replace(sandbox: SandboxProcess) -> None:
    username, term, before = _a_term_with_two_courses(sandbox)
    keep, dropped = before[0], before[1:]
    new = section_in(sandbox, term, {c["course"] for c in before})
    items = [{"course": keep["course"], "sections": keep["sections"], "final_grade": "A-"},
             {"course": new["course"], "sections": [new["id"]], "units": 2}]
    with client(sandbox) as http:
        response = http.put(f"{API}/students/{username}/terms/{term}/course_enrollments", json=items)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["errors"] == []
    assert [s["course"] for s in body["success"]] == [keep["course"], new["course"]]
    assert record(sandbox, "course_enrollments", f"{username}:{term}:{keep['course']}")["final_grade"] == "A-"
    assert record(sandbox, "course_enrollments", f"{username}:{term}:{new['course']}")["units"] == 2
    for gone in dropped:
        assert record(sandbox, "course_enrollments", f"{username}:{term}:{gone['course']}") is None
    student_id = record(sandbox, "students", username)["id"]
    assert record(sandbox, "section_enrollments", f"{new['external_id']}-{student_id}")["section"] == new["id"]
    for gone in dropped:
        crn = record(sandbox, "sections", gone["sections"][0])["external_id"]
        assert record(sandbox, "section_enrollments", f"{crn}-{student_id}") is None


def test_replace_course_enrollments_reports_each_bad_item(sandbox: SandboxProcess) -> None:
    username, term, before = _a_term_with_two_courses(sandbox)
    other_term_section = section_in(sandbox, "20201")  # seed 004's section, years before any other
    items = [{"course": before[0]["course"]},
             {"course": "XXXX 999"},
             {"course": before[1]["course"], "sections": [other_term_section["id"]]}]
    with client(sandbox) as http:
        response = http.put(f"{API}/students/{username}/terms/{term}/course_enrollments", json=items)
    assert response.status_code == 200
    body = response.json()
    assert [s["course"] for s in body["success"]] == [before[0]["course"]]
    assert [(e["index"], e["field"]) for e in body["errors"]] == [(1, "course"), (2, "sections")]
    # the course whose item failed is left as it was, not deleted by the replace
    assert record(sandbox, "course_enrollments", f"{username}:{term}:{before[1]['course']}") == before[1]


def test_replace_course_enrollments_validation_and_404s(sandbox: SandboxProcess) -> None:
    username, term, before = _a_term_with_two_courses(sandbox)
    path = f"{API}/students/{username}/terms/{term}/course_enrollments"
    with client(sandbox) as http:
        missing = http.put(path, json=[{"course": before[0]["course"]}, {"units": 3}])
        wrong = http.put(path, json=[{"course": before[0]["course"], "is_transfer": "no"}])
        not_array = http.put(path, json={"course": before[0]["course"]})
        nobody = http.put(f"{API}/students/nobody/terms/{term}/course_enrollments", json=[])
        no_term = http.put(f"{API}/students/{username}/terms/19991/course_enrollments", json=[])
    assert missing.status_code == 400
    assert [(e["index"], e["field"]) for e in missing.json()["errors"]] == [(1, "course")]
    assert wrong.status_code == 400 and missing.json()["success"] == []
    assert wrong.json()["errors"][0] == {"index": 0, "field": "is_transfer", "message": "Must be a boolean."}
    assert not_array.status_code == 400
    assert nobody.status_code == 404 and no_term.status_code == 404
    assert record(sandbox, "course_enrollments", f"{username}:{term}:{before[1]['course']}") == before[1]


def test_empty_array_removes_the_terms_enrollments(sandbox: SandboxProcess) -> None:
    username, term, before = _a_term_with_two_courses(sandbox)
    with client(sandbox) as http:
        response = http.put(f"{API}/students/{username}/terms/{term}/course_enrollments", json=[])
    assert response.json() == {"success": [], "errors": []}
    assert all(record(sandbox, "course_enrollments", f"{username}:{term}:{c['course']}") is None for c in before)


def test_future_term_enrollment_shows_in_planner(sandbox: SandboxProcess) -> None:
    future = max(s.term.stellic_id for s in world(sandbox).sections.values())
    section = section_in(sandbox, future)
    with client(sandbox) as http:
        put = http.put(f"{API}/students/mabbott/terms/{future}/course_enrollments",
                       json=[{"course": section["course"], "sections": [section["id"]]}])
        planner = http.get(f"{API}/students/mabbott/planner/registered/future").json()
    assert put.status_code == 200 and put.json()["success"][0]["registration_status"] == "planned"
    assert [(c["course"], c["term"]) for c in planner["future_courses"]] == [(section["course"], future)]


# ---- #3-#6 ---------------------------------------------------------------------------------------
def _item(username: str, section: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"student_username": username, "course": section["course"], "section": section["id"],
            "is_enrollment_component": True, **extra}


def test_create_section_enrollment_derives_the_course_enrollment(sandbox: SandboxProcess) -> None:
    term = current_term(sandbox)
    section = section_in(sandbox, term)
    other = section_in(sandbox, term, {section["course"]})
    with client(sandbox) as http:
        response = http.post(f"{API}/section_enrollments/SE-1",
                             json=[_item("mabbott", section, final_grade="B+"),
                                   _item("mabbott", other, id="SE-2", registration_status="waitlisted")])
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["errors"] == [] and [s["id"] for s in body["success"]] == ["SE-1", "SE-2"]
    assert record(sandbox, "section_enrollments", "SE-1")["final_grade"] == "B+"
    ce = record(sandbox, "course_enrollments", f"mabbott:{term}:{section['course']}")
    assert ce["sections"] == [section["id"]] and ce["final_grade"] == "B+"
    assert record(sandbox, "course_enrollments", f"mabbott:{term}:{other['course']}")["registration_status"] == \
        "waitlisted"


def test_create_section_enrollment_item_errors(sandbox: SandboxProcess) -> None:
    term = current_term(sandbox)
    section = section_in(sandbox, term)
    other = section_in(sandbox, term, {section["course"]})
    with client(sandbox) as http:
        no_id = http.post(f"{API}/section_enrollments/SE-1", json=[_item("mabbott", section), _item("mabbott", other)])
        missing = http.post(f"{API}/section_enrollments/SE-1",
                            json=[{k: v for k, v in _item("mabbott", section).items() if k != "section"}])
        mixed = http.post(f"{API}/section_enrollments/SE-1", json=[
            _item("mabbott", section),
            _item("nobody", other, id="SE-2"),
            {**_item("mabbott", other, id="SE-3"), "course": section["course"]},
            _item("mabbott", section, id="SE-4"),
        ])
        again = http.post(f"{API}/section_enrollments/SE-1", json=[_item("mabbott", other)])
    assert no_id.status_code == 400 and no_id.json()["errors"] == [
        {"index": 1, "field": "id", "message": "Items after the first must give the section enrollment id."}]
    assert missing.status_code == 400 and fields(missing) == {"section"}
    assert mixed.status_code == 201
    errors = mixed.json()["errors"]
    assert [(e["index"], e["field"]) for e in errors] == [(1, "student_username"), (2, "course"), (3, "section")]
    assert [s["id"] for s in mixed.json()["success"]] == ["SE-1"]
    assert again.status_code == 200 and again.json()["errors"][0]["field"] == "id"


def test_update_and_patch_section_enrollment(sandbox: SandboxProcess) -> None:
    se_id = ids(sandbox, "section_enrollments")[0]
    before = record(sandbox, "section_enrollments", se_id)
    section = record(sandbox, "sections", before["section"])
    full = _item(before["student_username"], section, final_grade="A", units=1)
    with client(sandbox) as http:
        put = http.put(f"{API}/section_enrollments/{se_id}", json=[full])
        patch = http.patch(f"{API}/section_enrollments/{se_id}", json=[{"mid_semester_grade": "B"}])
        missing = http.put(f"{API}/section_enrollments/NOPE", json=[full])
        bad_patch = http.patch(f"{API}/section_enrollments/{se_id}", json=[{"units": "three"}])
    assert put.status_code == 200 and put.json()["success"][0]["final_grade"] == "A"
    assert patch.status_code == 200
    after = record(sandbox, "section_enrollments", se_id)
    assert (after["final_grade"], after["mid_semester_grade"], after["section"]) == ("A", "B", before["section"])
    assert missing.status_code == 404
    assert bad_patch.status_code == 400 and bad_patch.json()["errors"][0]["field"] == "units"


def test_patch_moves_a_section_enrollment_to_another_section(sandbox: SandboxProcess) -> None:
    se_id = ids(sandbox, "section_enrollments")[0]
    before = record(sandbox, "section_enrollments", se_id)
    with client(sandbox) as http:
        _new_section(http, "90001", record(sandbox, "sections", before["section"]))
        moved = http.patch(f"{API}/section_enrollments/{se_id}", json=[{"section": "90001"}])
    assert moved.status_code == 200 and moved.json()["errors"] == []
    ce = record(sandbox, "course_enrollments", f"{before['student_username']}:{before['term']}:{before['course']}")
    assert ce["sections"] == ["90001"]


def test_delete_section_enrollment_and_last_section_deletes_the_course(sandbox: SandboxProcess) -> None:
    term = current_term(sandbox)
    lecture = section_in(sandbox, term)
    key = f"mabbott:{term}:{lecture['course']}"
    with client(sandbox) as http:
        _new_section(http, "90002", record(sandbox, "sections", lecture["id"]))
        lab = record(sandbox, "sections", "90002")
        created = http.post(f"{API}/section_enrollments/SE-L",
                            json=[_item("mabbott", lecture),
                                  _item("mabbott", lab, id="SE-B", is_enrollment_component=False)])
        assert created.status_code == 201 and record(sandbox, "course_enrollments", key)["sections"] == [
            lecture["id"], "90002"]
        first = http.delete(f"{API}/section_enrollments/SE-B")
        assert first.json() == {"success": True}
        assert record(sandbox, "course_enrollments", key)["sections"] == [lecture["id"]]
        last = http.delete(f"{API}/section_enrollments/SE-L")
        again = http.delete(f"{API}/section_enrollments/SE-L")
    assert last.status_code == 200 and last.json() == {"success": True}
    assert record(sandbox, "course_enrollments", key) is None
    assert record(sandbox, "section_enrollments", "SE-L") is None
    assert again.status_code == 404
