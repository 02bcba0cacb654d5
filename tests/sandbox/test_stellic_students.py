"""Stellic simulator: student profile (#19), programs (#1), tags, schools, departments (#20-#25), reads (#14-#18)."""

from __future__ import annotations

from typing import Any

from tests.sandbox.test_stellic_helpers import API, client, csv_lines, fields, record
from tests.sandboxproc import SandboxProcess

PROFILE = {"first_name": "Rowan", "last_name": "Vance", "email": "rowan.vance@dartmouth.edu", "class_level_id": "FR",
           "term_joined": "20264", "school_ids": ["UG"], "department_ids": ["COSC"], "cgpa": 3.1}
PROGRAM = {"concentration_ids": ["COSC-MAJ-GEN"], "certification_status": False, "certification_date": "2028-06-10",
           "order": 0, "catalog_term": "20264"}


def _student_with_courses(sandbox: SandboxProcess) -> str:
    key: str = sandbox.records("stellic", "course_enrollments")["ids"][0]
    return key.split(":")[0]


# ---- reads --------------------------------------------------------------------------------------
def test_seed_students_engagement_scores(sandbox: SandboxProcess) -> None:
    with client(sandbox) as http:
        mabbott = http.get(f"{API}/students/mabbott/engagement_score")
        sstanton = http.get(f"{API}/students/sstanton/engagement_score")
    assert mabbott.status_code == 200 and mabbott.json()["success"] is True
    assert mabbott.json()["engagement_score"]["score"] == 3 and mabbott.json()["engagement_score"]["id"] == 12
    assert sstanton.json()["engagement_score"]["score"] == 5


def test_property_read_errors(sandbox: SandboxProcess) -> None:
    with client(sandbox) as http:
        assert http.get(f"{API}/students/nobody/engagement_score").status_code == 404
        bad = http.get(f"{API}/students/mabbott/gpa")
    assert bad.status_code == 400 and fields(bad) == {"property"}


def test_bulk_export_by_property_has_the_seed_rows(sandbox: SandboxProcess) -> None:
    with client(sandbox) as http:
        lines = csv_lines(http.get(f"{API}/students/export/engagement_score",
                                   params={"output_format": "csv", "delivery_channel": "http_file"}))
        no_format = http.get(f"{API}/students/export/engagement_score", params={"delivery_channel": "http_file"})
        s3 = http.get(f"{API}/students/export/engagement_score",
                      params={"output_format": "csv", "delivery_channel": "s3"})
        bad_property = http.get(f"{API}/students/export/gpa",
                                params={"output_format": "csv", "delivery_channel": "http_file"})
    assert lines[0] == "Username, ID, Engagement Score"
    assert "sstanton, 11, 5" in lines and "mabbott, 12, 3" in lines
    assert len(lines) - 1 == sandbox.records("stellic", "students")["count"]
    assert no_format.status_code == 400 and fields(no_format) == {"output_format"}
    assert s3.status_code == 400 and fields(s3) == {"delivery_channel"}
    assert bad_property.status_code == 400 and fields(bad_property) == {"property"}


def test_audit_splits_courses_into_unmatched_and_counting(sandbox: SandboxProcess) -> None:
    username = _student_with_courses(sandbox)
    student = record(sandbox, "students", username)
    with client(sandbox) as http:
        audit = http.get(f"{API}/students/{username}/audit/registered/unmatched").json()
        custom = http.get(f"{API}/students/{username}/audit/registered/registered/unmatched").json()
        progress = http.get(f"{API}/students/{username}/audit/planned/registered/progress").json()
    assert audit["success"] is True and set(audit) == {"unmatched_courses", "counts_for", "success"}
    assert audit["unmatched_courses"] or audit["counts_for"]
    for entry in custom["counts_for"]:
        assert entry["program"] in student["programs"]
        assert entry["course"].split()[0] == entry["program"].split("-")[0]
    for course in custom["unmatched_courses"]:
        assert course["course"].split()[0] not in {p.split("-")[0] for p in student["programs"]}
    assert [p["program"] for p in progress["counts_for"]] == student["programs"]


def test_audit_and_planner_validate_path_enums(sandbox: SandboxProcess) -> None:
    with client(sandbox) as http:
        cases = {
            "course_filter": http.get(f"{API}/students/mabbott/audit/all/unmatched"),
            "property": http.get(f"{API}/students/mabbott/audit/planned/everything"),
            "program_filter": http.get(f"{API}/students/mabbott/audit/planned/some/unmatched"),
        }
        planner_bad = http.get(f"{API}/students/mabbott/planner/all/past")
        missing = http.get(f"{API}/students/nobody/planner/all/future")
    for name, response in cases.items():
        assert response.status_code == 400 and fields(response) == {name}
    assert planner_bad.status_code == 400 and fields(planner_bad) == {"property"}
    assert missing.status_code == 404


def test_planner_lists_future_courses(sandbox: SandboxProcess) -> None:
    with client(sandbox) as http:
        planned = http.get(f"{API}/students/mabbott/planner/planned/future").json()
        registered = http.get(f"{API}/students/mabbott/planner/registered/future").json()
    assert planned["success"] is True and planned["future_courses"]
    assert all(c["status"] == "planned" for c in planned["future_courses"])
    assert registered["future_courses"] == []


# ---- profile ------------------------------------------------------------------------------------
def test_create_profile_then_reads_and_export_show_it(sandbox: SandboxProcess) -> None:
    with client(sandbox) as http:
        response = http.post(f"{API}/students/rvance", json=[PROFILE])
        score = http.get(f"{API}/students/rvance/engagement_score").json()
        lines = csv_lines(http.get("/exports/export_data/engagement_score", params={"output_format": "csv"}))
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "success" and body["errors"] == []
    state = body["state"]
    assert state["username"] == "rvance" and state["first_name"] == "Rowan" and state["department_ids"] == ["COSC"]
    assert score["engagement_score"]["score"] == 0
    assert f"rvance, {state['id']}, 0" in lines
    assert record(sandbox, "students", "rvance")["email"] == "rowan.vance@dartmouth.edu"


def test_create_profile_validation(sandbox: SandboxProcess) -> None:
    incomplete = {k: v for k, v in PROFILE.items() if k not in ("first_name", "term_joined")}
    with client(sandbox) as http:
        missing = http.post(f"{API}/students/rvance", json=[incomplete])
        wrong_type = http.post(f"{API}/students/rvance", json=[{**PROFILE, "cgpa": "high"}])
        existing = http.post(f"{API}/students/mabbott", json=[PROFILE])
        level = http.post(f"{API}/students/rvance", json=[{**PROFILE, "class_level_id": "XX"}])
        school = http.post(f"{API}/students/rvance", json=[{**PROFILE, "school_ids": ["UG", "NOPE"]}])
        two = http.post(f"{API}/students/rvance", json=[PROFILE, PROFILE])
        bare = http.post(f"{API}/students/rvance", json=PROFILE)  # seed 000: the body is an array
    assert missing.status_code == 400 and fields(missing) == {"first_name", "term_joined"}
    assert wrong_type.status_code == 400 and fields(wrong_type) == {"cgpa"}
    assert existing.status_code == 400 and fields(existing) == {"student_username"}
    assert level.status_code == 404 and fields(level) == {"class_level_id"}
    assert school.status_code == 404 and fields(school) == {"school_ids"}
    assert two.status_code == 400
    assert bare.status_code == 400 and "JSON array" in bare.json()["message"]
    assert record(sandbox, "students", "rvance") is None


# ---- program enrollments --------------------------------------------------------------------------
def test_create_program_enrollment(sandbox: SandboxProcess) -> None:
    with client(sandbox) as http:
        created = http.post(f"{API}/students/mabbott/programs/COSC-MAJ", json=PROGRAM)
        again = http.post(f"{API}/students/mabbott/programs/COSC-MAJ", json={**PROGRAM, "order": 2})
        audit = http.get(f"{API}/students/mabbott/audit/planned/registered/progress").json()
    assert created.status_code == 201
    assert created.json()["status"] == "success" and created.json()["errors"] == []
    assert created.json()["state"]["program_id"] == "COSC-MAJ"
    assert again.status_code == 200 and again.json()["state"]["order"] == 2
    stored = record(sandbox, "program_enrollments", "mabbott:COSC-MAJ")
    assert stored["concentration_ids"] == ["COSC-MAJ-GEN"] and stored["order"] == 2
    assert "COSC-MAJ" in record(sandbox, "students", "mabbott")["programs"]
    assert "COSC-MAJ" in [p["program"] for p in audit["counts_for"]]


def test_program_enrollment_errors(sandbox: SandboxProcess) -> None:
    with client(sandbox) as http:
        missing = http.post(f"{API}/students/mabbott/programs/COSC-MAJ",
                            json={k: v for k, v in PROGRAM.items() if k != "order"})
        bad_date = http.post(f"{API}/students/mabbott/programs/COSC-MAJ",
                             json={**PROGRAM, "certification_date": "June 2028"})
        program = http.post(f"{API}/students/mabbott/programs/NOPE-MAJ", json=PROGRAM)
        student = http.post(f"{API}/students/nobody/programs/COSC-MAJ", json=PROGRAM)
        concentration = http.post(f"{API}/students/mabbott/programs/COSC-MAJ",
                                  json={**PROGRAM, "concentration_ids": ["HIST-MAJ-GEN"]})
    assert missing.status_code == 400 and fields(missing) == {"order"}
    assert bad_date.status_code == 400 and fields(bad_date) == {"certification_date"}
    assert program.status_code == 404 and student.status_code == 404
    assert concentration.status_code == 404 and fields(concentration) == {"concentration_ids"}
    assert record(sandbox, "program_enrollments", "mabbott:COSC-MAJ") is None


# ---- tags, schools, departments ----------------------------------------------------------------------
def _membership(sandbox: SandboxProcess, segment: str, value: str, field: str) -> dict[str, Any]:
    with client(sandbox) as http:
        added = http.post(f"{API}/students/mabbott/{segment}/{value}")
        twice = http.post(f"{API}/students/mabbott/{segment}/{value}")
        after_add = record(sandbox, "students", "mabbott")[field]
        removed = http.delete(f"{API}/students/mabbott/{segment}/{value}")
        not_there = http.delete(f"{API}/students/mabbott/{segment}/{value}")
        unknown = http.post(f"{API}/students/mabbott/{segment}/NOPE")
        nobody = http.post(f"{API}/students/nobody/{segment}/{value}")
    assert added.status_code == 201 and added.json()["status"] == "success"
    assert value in added.json()["state"][field] and value in after_add
    assert twice.status_code == 400
    assert removed.status_code == 200 and value not in removed.json()["state"][field]
    assert value not in record(sandbox, "students", "mabbott")[field]
    assert not_there.status_code == 400
    assert unknown.status_code == 404 and nobody.status_code == 404
    return added.json()


def test_student_tags(sandbox: SandboxProcess) -> None:
    body = _membership(sandbox, "tags", "honors", "tags")
    assert set(body) == {"status", "state"}


def test_student_school_enrollments(sandbox: SandboxProcess) -> None:
    _membership(sandbox, "schools", "TH", "school_ids")


def test_student_department_enrollments(sandbox: SandboxProcess) -> None:
    _membership(sandbox, "departments", "MATH", "department_ids")
