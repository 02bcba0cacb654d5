"""Stellic student writes through the real gateway: profile, program enrollment, tags, schools and departments."""

from __future__ import annotations

from typing import Any

import pytest

from tests.gateway.writes import USER_ERRORS, calls, codes, mutate, writes
from tests.gatewayproc import GatewayProcess
from tests.sandboxproc import SandboxProcess

PROFILE = f"""mutation($u: String!, $input: StudentProfileInput!) {{
  createStudentProfile(username: $u, input: $input) {{ success username state student {{ stellicUsername
    stellic {{ engagementScore }} }} {USER_ERRORS} }} }}"""
NEW_PROFILE: dict[str, Any] = {"firstName": "Ada", "lastName": "Quill", "email": "ada.quill@example.edu",
                               "classLevelId": "FR", "termJoined": "20263", "schoolIds": ["UG"],
                               "departmentIds": ["COSC"], "cgpa": 3.5}
TAG = f"""mutation($u: String!, $t: String!) {{ addStudentTag(username: $u, tag: $t) {{
  success status state {USER_ERRORS} }} }}"""


def test_a_new_profile_is_created_and_the_crosswalk_finds_it(gateway: GatewayProcess,
                                                             sandbox: SandboxProcess) -> None:
    # The crosswalk's username list is cached before the write; the new student must still be found after it.
    before = gateway.query('{ student(stellicUsername: "qada1") { stellicUsername } }')
    assert before["data"]["student"] is None
    payload = mutate(gateway, PROFILE, {"u": "qada1", "input": NEW_PROFILE})
    assert payload["success"] and payload["userErrors"] == []
    assert payload["state"]["username"] == "qada1" and payload["state"]["school_ids"] == ["UG"]
    assert payload["student"] == {"stellicUsername": "qada1", "stellic": {"engagementScore": 0.0}}
    record = sandbox.records("stellic", "students", "qada1")
    assert (record["first_name"], record["email"], record["cgpa"]) == ("Ada", "ada.quill@example.edu", 3.5)
    after = gateway.query('{ student(stellicUsername: "qada1") { stellicUsername sources { vendor id } } }')
    assert after["data"]["student"]["sources"] == [{"vendor": "STELLIC", "id": "qada1"}]


def test_a_username_stellic_spells_in_capitals_is_one_person_under_every_key(gateway: GatewayProcess) -> None:
    """Keys compare ignoring case (the README's crosswalk), Stellic's reads do not: a profile created as QAda4 has
    one global id (the payload's, a lookup's, the Stellic list's) and is read under Stellic's own spelling."""
    payload = mutate(gateway, PROFILE.replace("student {", "student { id"), {"u": "QAda4", "input": NEW_PROFILE})
    assert payload["success"], payload
    query = """query($u: String) { student(stellicUsername: $u) { id stellicUsername sources { vendor id }
        stellic { engagementScore } } }"""
    expected = {"id": payload["student"]["id"], "stellicUsername": "QAda4",
                "sources": [{"vendor": "STELLIC", "id": "QAda4"}], "stellic": {"engagementScore": 0.0}}
    # The id the write answered finds the record at once: Stellic has no qada4, so its export says how it spells it.
    node = gateway.query("query($id: ID!) { node(id: $id) { ... on Student { stellicUsername } } }",
                         {"id": expected["id"]})
    assert node["data"]["node"] == {"stellicUsername": "QAda4"}, node
    for spelling in ("QAda4", "qada4", "QADA4"):
        again = gateway.query(query, {"u": spelling})
        assert "errors" not in again and again["data"]["student"] == expected, (spelling, again)
    listed = gateway.query("{ students(source: STELLIC, first: 500) { edges { node { id stellicUsername } } } }")
    rows = [e["node"] for e in listed["data"]["students"]["edges"] if e["node"]["id"] == expected["id"]]
    assert rows == [{"id": expected["id"], "stellicUsername": "QAda4"}]


def test_profile_input_errors_are_caught_before_any_call(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    bad = {**NEW_PROFILE, "firstName": " ", "email": "not-an-address", "cgpa": -1.0}
    payload = mutate(gateway, PROFILE, {"u": "", "input": bad})
    assert not payload["success"]
    assert sorted(codes(payload)) == sorted([(["username"], "REQUIRED"), (["input", "firstName"], "REQUIRED"),
                                             (["input", "email"], "INVALID"), (["input", "cgpa"], "OUT_OF_RANGE")])
    assert calls(sandbox, "stellic") == []


def test_a_missing_required_field_fails_graphql_validation_before_any_call(gateway: GatewayProcess,
                                                                          sandbox: SandboxProcess) -> None:
    partial = {k: v for k, v in NEW_PROFILE.items() if k != "lastName"}
    result = gateway.query(PROFILE, {"u": "qada2", "input": partial})
    assert "data" not in result and "lastName" in result["errors"][0]["message"]
    assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert calls(sandbox, "stellic") == []


def test_a_profile_stellic_refuses_is_a_user_error(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    taken = mutate(gateway, PROFILE, {"u": "mabbott", "input": NEW_PROFILE})
    assert not taken["success"]
    assert codes(taken) == [(["username"], "REFUSED")] and "already exists" in taken["userErrors"][0]["message"]
    unknown = mutate(gateway, PROFILE, {"u": "qada3", "input": {**NEW_PROFILE, "classLevelId": "ZZ"}})
    assert codes(unknown) == [(["input", "classLevelId"], "NOT_FOUND")]
    assert len(writes(sandbox, "stellic")) == 2


def test_tags_are_added_and_removed_and_a_repeat_is_refused(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    added = mutate(gateway, TAG, {"u": "mabbott", "t": "honors"})
    assert added["success"] and added["status"] == "success" and added["state"]["tags"] == ["honors"]
    assert sandbox.records("stellic", "students", "mabbott")["tags"] == ["honors"]
    again = mutate(gateway, TAG, {"u": "mabbott", "t": "honors"})
    assert not again["success"] and codes(again) == [(["tag"], "REFUSED")]
    removed = mutate(gateway, TAG.replace("addStudentTag", "removeStudentTag"), {"u": "mabbott", "t": "honors"})
    assert removed["success"] and sandbox.records("stellic", "students", "mabbott")["tags"] == []
    nobody = mutate(gateway, TAG, {"u": "no-such-user", "t": "honors"})
    assert codes(nobody) == [(None, "NOT_FOUND")] and "no-such-user" in nobody["userErrors"][0]["message"]


def test_schools_and_departments(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    school = mutate(gateway, f"""mutation {{ addStudentSchool(username: "mabbott", schoolId: "TH") {{
        success {USER_ERRORS} }} }}""")
    assert school["success"] and sandbox.records("stellic", "students", "mabbott")["school_ids"] == ["UG", "TH"]
    dropped = mutate(gateway, f"""mutation {{ removeStudentSchool(username: "mabbott", schoolId: "UG") {{
        success {USER_ERRORS} }} }}""")
    assert dropped["success"] and sandbox.records("stellic", "students", "mabbott")["school_ids"] == ["TH"]
    department = mutate(gateway, f"""mutation {{ addStudentDepartment(username: "mabbott", departmentId: "MATH") {{
        success {USER_ERRORS} }} }}""")
    assert department["success"]
    gone = mutate(gateway, f"""mutation {{ removeStudentDepartment(username: "mabbott", departmentId: "AAAS") {{
        success {USER_ERRORS} }} }}""")
    assert gone["success"] and sandbox.records("stellic", "students", "mabbott")["department_ids"] == ["MATH"]
    unknown = mutate(gateway, f"""mutation {{ addStudentDepartment(username: "mabbott", departmentId: "XXXX") {{
        success {USER_ERRORS} }} }}""")
    assert codes(unknown) == [(None, "NOT_FOUND")]


def test_a_program_enrollment_changes_the_audit_read_at_once(gateway: GatewayProcess,
                                                             sandbox: SandboxProcess) -> None:
    audit = """{ student(stellicUsername: "mabbott") { stellic {
        audit(courseFilter: "registered", property: "progress") } } }"""
    before = gateway.query(audit)["data"]["student"]["stellic"]["audit"]  # cached from here on
    assert "COSC-MAJ" not in [p["program"] for p in before["counts_for"]]
    payload = mutate(gateway, f"""mutation($input: ProgramEnrollmentInput!) {{
        createProgramEnrollment(username: "mabbott", programId: "COSC-MAJ", input: $input) {{
          success status state {USER_ERRORS} }} }}""",
                     {"input": {"concentrationIds": ["COSC-MAJ-GEN"], "certificationStatus": False,
                                "certificationDate": "2027-06-01", "order": 2, "catalogTerm": "20263"}})
    assert payload["success"] and payload["state"]["program_id"] == "COSC-MAJ"
    assert "COSC-MAJ" in sandbox.records("stellic", "students", "mabbott")["programs"]
    after = gateway.query(audit)["data"]["student"]["stellic"]["audit"]
    assert "COSC-MAJ" in [p["program"] for p in after["counts_for"]]  # the cached answer was forgotten


PROGRAM_ROUTE = "POST /partnerapi/v1/students/{username}/programs/{program_id}"


@pytest.mark.parametrize(("fault", "code"), [({"malformed": True}, "WRITE_ANSWER_UNREADABLE"),
                                             ({"lose_answer_next": 1}, "WRITE_OUTCOME_UNKNOWN")])
def test_a_write_stellic_may_have_applied_says_so_and_its_cached_reads_are_forgotten(
        gateway: GatewayProcess, sandbox: SandboxProcess, fault: dict[str, Any], code: str) -> None:
    """A write answered 201 with a body that is not JSON was applied: it is not reported as a plain protocol error
    (a failure to send again). Whether its answer is unreadable or lost, the reads it changes are forgotten as after
    a success, so reading the record back, as the error advises, shows what Stellic holds."""
    audit = """{ student(stellicUsername: "mabbott") { stellic {
        audit(courseFilter: "registered", property: "progress") } } }"""
    before = gateway.query(audit)["data"]["student"]["stellic"]["audit"]  # cached from here on
    assert "COSC-MAJ" not in [p["program"] for p in before["counts_for"]]
    sandbox.faults("stellic", route=PROGRAM_ROUTE, **fault)
    result = gateway.query("""mutation { createProgramEnrollment(username: "mabbott", programId: "COSC-MAJ",
        input: {concentrationIds: [], certificationStatus: false, certificationDate: "2027-06-01", order: 2,
               catalogTerm: "20263"}) { success } }""")
    assert result["data"] is None
    (error,) = result["errors"]
    assert error["extensions"]["code"] == code and error["extensions"]["vendor"] == "stellic", error
    if code == "WRITE_ANSWER_UNREADABLE":
        assert error["extensions"]["status"] == 201 and "most likely applied" in error["message"], error
    assert "COSC-MAJ" in sandbox.records("stellic", "students", "mabbott")["programs"]  # applied
    after = gateway.query(audit)["data"]["student"]["stellic"]["audit"]
    assert "COSC-MAJ" in [p["program"] for p in after["counts_for"]]
    assert [r["route"] for r in sandbox.requests("stellic")["requests"]].count(PROGRAM_ROUTE) == 1  # sent once


def test_a_program_enrollment_with_an_unknown_concentration(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    payload = mutate(gateway, f"""mutation {{ createProgramEnrollment(username: "mabbott", programId: "COSC-MAJ",
        input: {{concentrationIds: ["NOPE"], certificationStatus: false, certificationDate: "2027-06-01", order: 1,
                 catalogTerm: "20263"}}) {{ success {USER_ERRORS} }} }}""")
    assert codes(payload) == [(["input", "concentrationIds"], "NOT_FOUND")]
    bad = mutate(gateway, f"""mutation {{ createProgramEnrollment(username: "mabbott", programId: " ",
        input: {{concentrationIds: [], certificationStatus: false, certificationDate: "2027-06-01", order: -1,
                 catalogTerm: "20263"}}) {{ success {USER_ERRORS} }} }}""")
    assert sorted(codes(bad)) == [(["input", "order"], "OUT_OF_RANGE"), (["programId"], "REQUIRED")]
    assert len(calls(sandbox, "stellic")) == 1


def test_a_write_stellic_answers_but_does_not_apply_says_why() -> None:
    """A 2xx answer whose status is not success (or success false, or with errors) is `success: false` with
    Stellic's reason as a NOT_APPLIED userError, or with what it answered when it gave none: never a bare false."""
    from gateway.vendors.stellic.models import StellicDeleteResult, StellicStatusResult
    from resolvers.mutations.common import not_applied

    assert not_applied(StellicStatusResult.from_payload({"status": "success", "state": {}})) == []
    assert not_applied(StellicDeleteResult.from_payload({"success": True})) == []
    assert not_applied(None) == []
    (listed,) = not_applied(StellicStatusResult.from_payload(
        {"status": "success", "state": {}, "errors": [{"field": "tag_name", "message": "tag is locked"}]}))
    assert (listed.code, listed.message, listed.field) == ("NOT_APPLIED", "tag is locked", ["tagName"])
    (bare,) = not_applied(StellicStatusResult.from_payload({"status": "pending", "state": {}}))
    assert bare.code == "NOT_APPLIED" and "'pending'" in bare.message and bare.field is None
    (deleted,) = not_applied(StellicDeleteResult.from_payload({"success": False}))
    assert deleted.code == "NOT_APPLIED" and "success false" in deleted.message
