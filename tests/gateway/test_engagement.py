"""Stellic engagement scores: one per call, or every student's in the engagement export; proven by the sandbox's
request log."""

from __future__ import annotations

from tests.gateway.test_batching import calls
from tests.gatewayproc import GatewayProcess
from tests.sandboxproc import SandboxProcess

STELLIC_EXPORT = "GET /partnerapi/v1/students/export/{property}"
STELLIC_SCORE = "GET /partnerapi/v1/students/{student_username}/{property}"


def test_a_stellic_list_carries_each_students_engagement_score(gateway: GatewayProcess,
                                                               sandbox: SandboxProcess) -> None:
    """Stellic lists students through its engagement export, whose rows hold each score: a listed student's
    score, and whether Stellic knows them (``sources``), cost no per-student Stellic read."""
    result = gateway.query("""{ students(source: STELLIC, first: 30) { edges { node {
        stellicUsername sources { vendor } stellic { engagementScore } } } } }""")
    assert "errors" not in result, result.get("errors", [])[:2]
    nodes = [e["node"] for e in result["data"]["students"]["edges"]]
    assert len(nodes) == 30 and all({"vendor": "STELLIC"} in n["sources"] for n in nodes)
    assert calls(sandbox, "stellic") == 1  # the export alone
    assert calls(sandbox, "stellic", "GET /partnerapi/v1/students/{student_username}/{property}") == 0
    # The score each row carried is the one the student's own read gives.
    for node in nodes[:3]:
        alone = gateway.query("query($u: String) { student(stellicUsername: $u) { stellic { engagementScore } } }",
                              {"u": node["stellicUsername"]})
        assert alone["data"]["student"]["stellic"] == node["stellic"]
    assert any(n["stellic"]["engagementScore"] for n in nodes)


def test_scores_asked_together_are_read_from_stellics_export_not_a_call_each(gateway: GatewayProcess,
                                                                           sandbox: SandboxProcess) -> None:
    """Stellic reads one student's score per call, or every student's in its engagement export: a Dartmouth
    page's scores are that one export read (the crosswalk learns Stellic's usernames from it as well), where
    they were a read per student, and each is the score Stellic holds for that student."""
    result = gateway.query("""{ students(first: 25) { edges { node {
        netid stellicUsername stellic { engagementScore } } } } }""")
    assert "errors" not in result, result.get("errors", [])[:2]
    nodes = [e["node"] for e in result["data"]["students"]["edges"]]
    assert calls(sandbox, "stellic", STELLIC_EXPORT) == 1
    assert calls(sandbox, "stellic") == 1
    in_stellic = [n for n in nodes if n["stellic"]]
    assert len(nodes) == 25 and 1 < len(in_stellic) < 25  # some students Stellic does not know: null, as a 404
    for node in in_stellic:
        held = sandbox.records("stellic", "students", node["stellicUsername"])
        assert node["stellic"]["engagementScore"] == held["engagement_score"], node
    assert all(n["stellicUsername"] is None for n in nodes if not n["stellic"])


def test_a_lone_score_is_its_own_read_until_the_export_is_cached(gateway: GatewayProcess,
                                                                  sandbox: SandboxProcess) -> None:
    """One student's score is a small read of its own rather than every student's export; once the export is
    cached, it answers any score with no call."""
    query = "query($u: String) { student(stellicUsername: $u) { stellic { engagementScore } } }"
    one, another = sandbox.records("stellic", "students")["ids"][:2]
    first = gateway.query(query, {"u": one})
    assert first["data"]["student"]["stellic"]["engagementScore"] is not None, first
    assert (calls(sandbox, "stellic", STELLIC_SCORE), calls(sandbox, "stellic", STELLIC_EXPORT)) == (1, 0)
    gateway.query("{ students(source: STELLIC, first: 1) { edges { node { stellicUsername } } } }")
    assert calls(sandbox, "stellic", STELLIC_EXPORT) == 1
    other = gateway.query(query, {"u": another})
    assert other["data"]["student"]["stellic"]["engagementScore"] == (
        sandbox.records("stellic", "students", another)["engagement_score"])
    assert (calls(sandbox, "stellic", STELLIC_SCORE), calls(sandbox, "stellic", STELLIC_EXPORT)) == (1, 1)


def test_scores_are_read_one_by_one_while_stellics_export_fails(gateway: GatewayProcess,
                                                                 sandbox: SandboxProcess) -> None:
    """The export is one route; while it fails, each student's own read (another route) still gives the score."""
    sandbox.faults("stellic", route=STELLIC_EXPORT, outage=True)
    result = gateway.query("""{ students(first: 10) { edges { node {
        netid stellic { engagementScore } } } } }""")
    scores = {n["node"]["netid"]: n["node"]["stellic"] for n in result["data"]["students"]["edges"]}
    known = set(sandbox.records("stellic", "students")["ids"])
    assert {netid for netid, stellic in scores.items() if stellic} == known & set(scores)
    assert calls(sandbox, "stellic", STELLIC_SCORE) >= len(known & set(scores)) > 1


def test_a_students_write_forgets_the_export_that_holds_their_score(gateway: GatewayProcess,
                                                                    sandbox: SandboxProcess) -> None:
    """A student write forgets their score read; the export holds that score too, so it is forgotten with it and
    the next page's scores are read anew, not from a copy made before the write."""
    page = "{ students(first: 5) { edges { node { stellic { engagementScore } } } } }"
    gateway.query(page)
    gateway.query(page)
    assert calls(sandbox, "stellic", STELLIC_EXPORT) == 1  # cached
    username = sandbox.records("stellic", "students")["ids"][0]
    written = gateway.query('mutation($u: String!) { addStudentTag(username: $u, tag: "transfer") { success } }',
                            {"u": username})
    assert "errors" not in written, written
    gateway.query(page)
    assert calls(sandbox, "stellic", STELLIC_EXPORT) == 2
