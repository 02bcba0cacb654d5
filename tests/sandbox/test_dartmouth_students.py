"""Dartmouth simulator: students (seed 003), student terms and people, with scopes and FERPA (contracts 3.6-3.7)."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.sandbox import credentials as creds
from tests.sandbox.test_dartmouth import ALL, ENROLL_READ, GPA, PRIVATE, STUDENTS, Dartmouth
from tests.sandboxproc import SandboxProcess

STUDENT_FIELDS = {
    "netid", "cache_date", "term_code_eff", "is_future_status", "school_id", "school_code", "class_year",
    "student_type_id", "admission_type_id", "current_admit_term_code", "grad_term", "student_status_id",
    "academic_history", "advisors", "other_attributes", "status_history", "dplans", "gpa_history",
    "is_fysep_participant", "is_firstgen_student", "varsity_sports", "class", "curriculum",
}
PERSON_FIELDS = {"netid", "name", "prefix", "first_name", "middle_name", "last_name", "suffix", "email",
                 "campus_address", "affiliations", "dartmouth_affiliation", "department_class", "telephone_numbers",
                 "cache_date"}
NO_PRIVATE = [s for s in ALL if s != PRIVATE]


def everyone(api: Dartmouth, path: str, **filters: Any) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = api.json(path, pagesize=1000, **filters)
    return records


def ferpa_netids(sandbox: SandboxProcess) -> list[str]:
    """Students the private scope reveals: those are the FERPA-protected ones."""
    private = {s["netid"] for s in everyone(Dartmouth(sandbox), "/api/students")}
    public = {s["netid"] for s in everyone(Dartmouth(sandbox, NO_PRIVATE), "/api/students")}
    assert public < private
    return sorted(private - public)


def test_seed_student_d59951y_is_seed_003s_first_sample(sandbox: SandboxProcess) -> None:
    student = Dartmouth(sandbox).json("/api/students/d59951y")
    assert set(student) == STUDENT_FIELDS
    assert student["netid"] == "d59951y"
    assert (student["term_code_eff"], student["class_year"], student["grad_term"], student["school_id"],
            student["student_type_id"], student["admission_type_id"], student["current_admit_term_code"]) == (
        "201909", "19", "202103", "UG", "C", "ST", "201503")
    assert student["class"] == {"code": "JR", "name": "Junior (UG)"}
    assert student["advisors"][1] == {"is_primary": True, "netid": "d13279t", "term_code_effective": "201609",
                                      "type": "Faculty Advisor (first year)"}
    assert student["gpa_history"]["cumulative_gpa"][0] == {"gpa_type_ind": "I", "gpa_value": "3.14",
                                                           "school_id": "UG"}
    assert [t["sis_term_code"] for t in student["gpa_history"]["term_gpa"]] == ["202003", "202001", "202001"]
    assert [s["term_code_eff"] for s in student["status_history"]][-1] == "201906"
    assert student["academic_history"][0]["institution"]["name"] == "Our Lady Of Good Counsel Hs"
    assert student["other_attributes"] == [{"code": "EABE", "description": "Thayer AB/BE Students",
                                            "term_code_effective": "201903"}]
    assert student["cache_date"].endswith("Z")


def test_generated_students_have_the_seed_shape(sandbox: SandboxProcess) -> None:
    students = everyone(Dartmouth(sandbox), "/api/students")
    assert len(students) > 200
    assert all(set(s) == STUDENT_FIELDS for s in students)
    assert all(s["school_code"] == s["school_id"] for s in students)
    assert all(isinstance(s["gpa_history"], dict) and set(s["gpa_history"]) == {"cumulative_gpa", "term_gpa"}
               for s in students)
    kinds = {type(g["gpa_value"]) for s in students for g in s["gpa_history"]["cumulative_gpa"]}
    assert str in kinds and (float in kinds or int in kinds)  # the seed's string-or-number anomaly
    advisors = [a for s in students for a in s["advisors"]]
    assert advisors and all(set(a) == {"netid", "term_code_effective", "is_primary", "type"} for a in advisors)


def test_gpa_only_with_the_highly_sensitive_scope(sandbox: SandboxProcess) -> None:
    assert "gpa_history" in Dartmouth(sandbox, [STUDENTS, GPA]).json("/api/students/f002qt1")
    basic = Dartmouth(sandbox, ALL, creds.DARTMOUTH_BASIC_KEY)
    assert "gpa_history" not in basic.json("/api/students/f002qt1")
    assert all("gpa_history" not in s for s in basic.json("/api/students"))


def test_students_need_their_scope(sandbox: SandboxProcess) -> None:
    api = Dartmouth(sandbox, [ENROLL_READ])
    for path in ("/api/students/f002qt1", "/api/students", "/api/students/f002qt1/terms"):
        answer = api.get(path)
        assert answer.status_code == 403 and answer.json()["message"], path


def test_unknown_student_is_404(sandbox: SandboxProcess) -> None:
    answer = Dartmouth(sandbox).get("/api/students/zz99999")
    assert answer.status_code == 404 and answer.json() == {"message": "Not Found"}


def test_ferpa_people_are_hidden_without_the_private_scope(sandbox: SandboxProcess) -> None:
    netid = ferpa_netids(sandbox)[0]
    public, private = Dartmouth(sandbox, NO_PRIVATE), Dartmouth(sandbox)
    for path in (f"/api/students/{netid}", f"/api/people/{netid}", f"/api/students/{netid}/terms"):
        assert public.get(path).status_code == 404, path
        assert private.get(path).status_code == 200, path
    assert netid not in {p["netid"] for p in everyone(public, "/api/people")}
    assert public.json("/api/academic/enrollments", netid=netid) == []
    assert private.json("/api/academic/enrollments", netid=netid)


def test_filters_dot_path_wildcard_and_operators(sandbox: SandboxProcess) -> None:
    api = Dartmouth(sandbox)
    students = everyone(api, "/api/students")

    def netids(records: list[dict[str, Any]]) -> list[str]:
        return [r["netid"] for r in records]

    juniors = everyone(api, "/api/students", **{"class.code": "JR"})
    assert netids(juniors) == netids([s for s in students if (s["class"] or {}).get("code") == "JR"])
    assert "d59951y" in netids(juniors)
    prefix = students[0]["netid"][:4]
    assert netids(everyone(api, "/api/students", netid=prefix + "*")) == netids(
        [s for s in students if s["netid"].startswith(prefix)])
    later = everyone(api, "/api/students", class_year=">18")
    assert netids(later) == netids([s for s in students if s["class_year"].isdigit() and int(s["class_year"]) > 18])
    assert "d59951y" in netids(later)
    window = api.json("/api/students", pagesize=1000, grad_term=[">=202103", "<=202706"])
    assert netids(window) == netids([s for s in students if "202103" <= s["grad_term"] <= "202706"])
    assert {"d59951y", "f002qt1"} <= set(netids(window))
    advised = everyone(api, "/api/students", **{"advisors.netid": "d13279t"})
    assert netids(advised) == ["d59951y"]


def test_a_thayer_students_class_year_is_th_as_in_seed_003(sandbox: SandboxProcess) -> None:
    """Seed 003's Thayer sample has "class_year": "TH", no class and a curriculum of college TH; the simulator gave
    Thayer students two-digit years, so `class_year=TH` (which the README offers) found no one."""
    api = Dartmouth(sandbox)
    thayer = [s for s in everyone(api, "/api/students") if s["school_id"] == "TH"]
    assert thayer and all(s["class_year"] == "TH" and s["class"] is None for s in thayer)
    assert all(c["college_id"] == "TH" for s in thayer for c in s["curriculum"])
    found = everyone(api, "/api/students", class_year="TH")
    assert sorted(s["netid"] for s in found) == sorted(s["netid"] for s in thayer)
    assert not {s["netid"] for s in thayer} & {s["netid"] for s in everyone(api, "/api/students", class_year=">=18")}


def test_unknown_and_not_permitted_filters_are_ignored(sandbox: SandboxProcess) -> None:
    api = Dartmouth(sandbox)
    total = api.get("/api/students").headers["X-Total-Count"]
    assert api.get("/api/students", no_such_attribute="x").headers["X-Total-Count"] == total
    basic = Dartmouth(sandbox, ALL, creds.DARTMOUTH_BASIC_KEY)
    basic_total = basic.get("/api/students").headers["X-Total-Count"]
    # gpa_history is not visible to this caller, so filtering on it is dropped, not applied
    assert basic.get("/api/students", **{"gpa_history.cumulative_gpa.gpa_value": ">3.99"}).headers[
        "X-Total-Count"] == basic_total
    assert api.json("/api/students", netid="nobody") == []


def test_student_terms(sandbox: SandboxProcess) -> None:
    api = Dartmouth(sandbox)
    terms = api.json("/api/students/d59951y/terms")
    assert terms and all(t["netid"] == "d59951y" for t in terms)
    first = terms[0]
    assert set(first) >= {"netid", "term_id", "school_id", "is_active", "start_date", "end_date", "lms_term",
                          "quarterly_term"}
    assert first["term_id"] == f"{first['quarterly_term']['id']}-U"
    assert "current_term_offset" in first["quarterly_term"]
    assert [t["quarterly_term"]["id"] for t in terms] == sorted(t["quarterly_term"]["id"] for t in terms)
    assert terms[-1]["quarterly_term"]["id"] <= "202103"
    assert api.get("/api/students/zz99999/terms").status_code == 404


def test_people_one_and_filtered(sandbox: SandboxProcess) -> None:
    api = Dartmouth(sandbox, [])  # the directory needs no scope
    quinn = api.json("/api/people/f002qt1")
    assert set(quinn) >= PERSON_FIELDS
    assert (quinn["first_name"], quinn["last_name"], quinn["department_class"]) == ("Quinn", "Tamura", "'27")
    assert quinn["affiliations"] == [{"name": "Student"}]
    assert api.json("/api/people", last_name="Tam*", first_name="Quinn")[0]["netid"] == "f002qt1"
    staff = api.json("/api/people", **{"affiliations.name": "Faculty"})
    assert staff and all({"name": "Faculty"} in p["affiliations"] for p in staff)
    assert api.get("/api/people/zz99999").status_code == 404


@pytest.mark.parametrize("path", ["/api/students", "/api/people"])
def test_collections_are_arrays_with_cache_dates(sandbox: SandboxProcess, path: str) -> None:
    records = Dartmouth(sandbox).json(path, pagesize=3)
    assert isinstance(records, list) and len(records) == 3
    assert all(r["cache_date"].endswith("Z") for r in records)
