"""Empty and whitespace-only text arguments, one rule for the whole read schema (resolvers/arguments.py): a filter
is refused as BAD_USER_INPUT naming it, and a lookup key names no one; neither reaches a vendor, as the sandbox's
request log shows."""

from __future__ import annotations

from typing import Any

import pytest

from schema.node import encode_id
from tests.gateway.test_academic import current_term
from tests.gateway.test_students import linked_student
from tests.gatewayproc import GatewayProcess
from tests.sandboxproc import SandboxProcess

BLANKS = ["", " ", "  \t "]


def data_calls(sandbox: SandboxProcess) -> dict[str, dict[str, int]]:
    """Each vendor's reads in the sandbox's log (token exchanges are not data calls)."""
    out = {}
    for vendor in ("stellic", "hubmis", "dartmouth"):
        reads = {r: n for r, n in sandbox.requests(vendor)["by_route"].items() if not r.startswith("POST")}
        if reads:
            out[vendor] = reads
    return out


# (query taking $v, the argument extensions.argument names, the name the message gives it)
ROOT_FILTERS = [
    ("query($v: String!) { sections(term: $v) { totalCount } }", "term", "term"),
    ("query($v: String) { sections(term: \"%s\", filter: {subject: $v}) { totalCount } }", "filter", "filter.subject"),
    ("query($v: String) { sections(term: \"%s\", filter: {courseNumber: $v}) { totalCount } }", "filter",
     "filter.courseNumber"),
    ("query($v: String) { students(filter: {classYear: $v}) { totalCount } }", "filter", "filter.classYear"),
    ("query($v: String) { students(filter: {schoolId: $v}) { totalCount } }", "filter", "filter.schoolId"),
    ("query($v: String) { students(filter: {statusCode: $v}) { totalCount } }", "filter", "filter.statusCode"),
    ("query($v: String) { students(source: HUBMIS, filter: {statusCode: $v}) { edges { cursor } } }", "filter",
     "filter.statusCode"),
    ("query($v: String) { students(source: HUBMIS, filter: {search: $v}) { edges { cursor } } }", "filter",
     "filter.search"),
    ("query($v: String) { staff(filter: {search: $v}) { edges { cursor } } }", "filter", "filter.search"),
    ("query($v: String) { staff(filter: {status: $v}) { edges { cursor } } }", "filter", "filter.status"),
]


def refusal(result: dict[str, Any]) -> dict[str, Any]:
    (error,) = result["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", result
    return dict(error)


@pytest.mark.parametrize(("query", "argument", "name"), ROOT_FILTERS,
                         ids=[f"{q.split('{')[1].split('(')[0].strip()}-{'HUBMIS-' if 'HUBMIS' in q else ''}{n}"
                              for q, _, n in ROOT_FILTERS])
def test_an_empty_filter_of_a_list_is_refused_naming_it_before_any_call(
        gateway: GatewayProcess, sandbox: SandboxProcess, query: str, argument: str, name: str) -> None:
    """Before, Dartmouth's lists answered nothing for an empty value (sections(term: "") had no results) and
    HUBmis' answered everything for an empty search: a filter that filters nothing is the caller's mistake."""
    query = query.replace("%s", current_term())
    for blank in BLANKS:
        result = gateway.query(query, {"v": blank})
        error = refusal(result)
        assert error["extensions"]["argument"] == argument and f"`{name}`" in error["message"], (blank, error)
        assert next(iter(result["data"].values())) is None
    assert data_calls(sandbox) == {}


def test_an_empty_term_of_a_students_enrollments_is_refused_not_read_as_every_term(
        gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """Student.enrollments(term: "") answered every term's enrollments (and "  " none): now, as sections(term: "")
    is, it is refused, with no enrollment read."""
    query = """query($netid: String!, $term: String) { student(netid: $netid) {
        netid enrollments(term: $term) { id } } }"""
    netid = linked_student()
    every = gateway.query(query, {"netid": netid})["data"]["student"]["enrollments"]
    assert every, "the test needs a student with enrollments"
    sandbox.reset()
    for blank in BLANKS:
        result = gateway.query(query, {"netid": netid, "term": blank})
        error = refusal(result)
        assert error["extensions"]["argument"] == "term" and error["path"] == ["student", "enrollments"], error
        assert result["data"]["student"] == {"netid": netid, "enrollments": None}
    assert "GET /api/academic/enrollments" not in data_calls(sandbox).get("dartmouth", {})


def test_a_term_that_is_no_dartmouth_term_code_is_refused_not_answered_as_no_results(
        gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """`sections(term: "202609-U")` (Dartmouth's term id, not its code) and `"2026"` matched no term: an empty list
    and no error, read as "nothing that term". Refused naming the form, for a student's enrollments too; a code, a
    comparison and a wildcard prefix, which Dartmouth's filter takes, go on."""
    sections = "query($v: String!) { sections(term: $v, first: 1) { totalCount } }"
    netid = linked_student()
    enrollments = f'query($v: String) {{ student(netid: "{netid}") {{ enrollments(term: $v) {{ id }} }} }}'
    for wrong in ("202609-U", "2026", "Fall 2026", "20260"):
        for query in (sections, enrollments):
            error = refusal(gateway.query(query, {"v": wrong}))
            assert error["extensions"]["argument"] == "term", error
            assert error["message"].startswith("`term` must be a Dartmouth term code, six digits"), error
    assert data_calls(sandbox).get("dartmouth", {}).keys() <= {"GET /api/students/{netid}"}
    term = current_term()
    for right in (term, f">={term}", f"{term[:4]}*"):
        result = gateway.query(sections, {"v": right})
        assert "errors" not in result and result["data"]["sections"]["totalCount"] > 0, (right, result)


def test_an_empty_stellic_filter_is_refused_naming_it_before_its_call(gateway: GatewayProcess,
                                                                      sandbox: SandboxProcess) -> None:
    """The degree audit's and planner's filters take a documented set; an empty one is refused by the same rule."""
    stellic = 'query(%s) { student(stellicUsername: "sstanton") { stellic { %s } } }'
    audit = stellic % ("$course: String!, $program: String",
                       'audit(courseFilter: $course, property: "progress", programFilter: $program)')
    planner = stellic % ("$course: String!", "futureCourses(courseFilter: $course)")
    gateway.query('{ student(stellicUsername: "sstanton") { stellic { engagementScore } } }')  # now cached
    sandbox.reset("stellic")
    for blank in BLANKS:
        for query, variables, argument in ((audit, {"course": blank}, "courseFilter"),
                                           (audit, {"course": "registered", "program": blank}, "programFilter"),
                                           (planner, {"course": blank}, "courseFilter")):
            error = refusal(gateway.query(query, variables))
            assert error["extensions"]["argument"] == argument and f"`{argument}`" in error["message"], error
    assert "stellic" not in data_calls(sandbox)


LOOKUPS = """query($v: String, $id: ID, $sid: ID!) {
  byNetid: student(netid: $v) { id } byUsername: student(stellicUsername: $v) { id } byId: student(id: $id) { id }
  staffByNetid: staffMember(netid: $v) { id } staffById: staffMember(id: $id) { id }
  section(id: $sid) { code enrollments(first: 5) { totalCount } } enrollment(id: $sid) { id }
}"""
NODES = "query($a: ID!, $b: ID!, $c: ID!, $d: ID!, $e: ID!) { a: node(id: $a) { id } b: node(id: $b) { id } " \
        "c: node(id: $c) { id } d: node(id: $d) { id } e: node(id: $e) { id } }"


def test_an_empty_lookup_key_names_no_one_without_a_call(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """No one has an empty key, so a lookup by one is null, as for any key no one has, and costs no vendor call:
    "" already was; whitespace only asked Dartmouth (students, people, sections, enrollments) and Stellic."""
    for blank in BLANKS:
        result = gateway.query(LOOKUPS, {"v": blank, "id": blank, "sid": blank})
        assert "errors" not in result, (blank, result["errors"])
        assert set(result["data"].values()) == {None}, (blank, result)
        # The same keys inside this gateway's global ids: node(id:) and federation's _entities take that path.
        ids = {name: encode_id(type_name, blank or " ") for name, type_name in zip(
            "abcde", ("Student", "Staff", "Section", "Enrollment", "Hold"), strict=True)}
        assert gateway.query(NODES, ids) == {"data": {name: None for name in ids}}, blank
    assert data_calls(sandbox) == {}


def test_node_and_task_take_only_ids_this_gateway_issued(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """An empty ID is not one the gateway issued: refused like any other malformed ID, before any call (the
    lookups that also take a vendor's own key answer null instead, above)."""
    for blank in BLANKS:
        for query in ("query($id: ID!) { node(id: $id) { id } }", "query($id: ID!) { task(id: $id) { id } }"):
            error = refusal(gateway.query(query, {"id": blank}))
            assert error["extensions"]["argument"] == "id", error
    assert data_calls(sandbox) == {}
