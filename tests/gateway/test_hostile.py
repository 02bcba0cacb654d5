"""Hostile requests are refused before execution, with a code, and reach no vendor."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.gatewayproc import GatewayProcess, sandbox_env
from tests.sandboxproc import SandboxProcess


def vendor_calls(sandbox: SandboxProcess) -> int:
    return sum(sandbox.requests(v)["total"] for v in ("stellic", "hubmis", "dartmouth"))


def settled(sandbox: SandboxProcess) -> int:
    """The call count once a newly started gateway has finished building its indexes."""
    last, stable_since = vendor_calls(sandbox), time.monotonic()
    while time.monotonic() - stable_since < 0.5:
        time.sleep(0.1)
        now = vendor_calls(sandbox)
        if now != last:
            last, stable_since = now, time.monotonic()
    return last


def refused(gateway: GatewayProcess, sandbox: SandboxProcess, query: str, code: str,
            variables: dict[str, object] | None = None) -> None:
    result = gateway.query(query, variables)
    assert result.get("data") is None, result
    assert code in {e["extensions"]["code"] for e in result["errors"]}, result["errors"]
    assert vendor_calls(sandbox) == 0


DEEP_THROUGH_FRAGMENTS = """
query { student(netid: "d59951y") { ...A } }
fragment A on Student { advisors { staff { sections { ...B } } } }
fragment B on Section { enrollments { edges { node { student { advisors { staff { sections { code } } } } } } } }"""


def test_depth_is_counted_through_fragments(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    refused(gateway, sandbox, DEEP_THROUGH_FRAGMENTS, "QUERY_TOO_DEEP")


def test_graphiqls_introspection_is_answered_and_only_abusive_introspection_refused(
        gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """The standard introspection query (GraphiQL's docs and completion, code generators) is 15 levels deep:
    introspection is answered from the schema, never a vendor, so the depth and cost limits leave it out and
    graphql-core's MaxIntrospectionDepthRule refuses the nesting that would make it expensive."""
    from graphql import get_introspection_query

    full = get_introspection_query(descriptions=True, specified_by_url=True, directive_is_repeatable=True,
                                   schema_description=True, input_value_deprecation=True)
    result = gateway.query(full)
    assert "errors" not in result, result["errors"]
    names = {t["name"] for t in result["data"]["__schema"]["types"]}
    assert {"Student", "Staff", "Section", "Enrollment", "Hold"} <= names
    abusive = "{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }"
    refused(gateway, sandbox, abusive, "GRAPHQL_VALIDATION_FAILED")
    # Outside introspection the depth limit holds as before, also beside an introspection field.
    beside = DEEP_THROUGH_FRAGMENTS.replace("query { student", "query { __schema { queryType { name } } student")
    refused(gateway, sandbox, beside, "QUERY_TOO_DEEP")


def test_fragment_cycles_are_refused(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    cycle = """query { student(netid: "x") { ...A } }
               fragment A on Student { advisors { staff { sources { id } } } ...B }
               fragment B on Student { ...A }"""
    refused(gateway, sandbox, cycle, "GRAPHQL_VALIDATION_FAILED")
    refused(gateway, sandbox, cycle, "GRAPHQL_VALIDATION_FAILED")  # an invalid text is judged anew, never kept


def test_alias_bombs_are_refused_even_inside_fragments(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    aliases = " ".join(f"a{i}: netid" for i in range(9))
    bomb = f"""query {{ student(netid: "d59951y") {{ ...F ...G }} }}
               fragment F on Student {{ {aliases} }} fragment G on Student {{ {aliases.replace('a', 'b')} }}"""
    refused(gateway, sandbox, bomb, "TOO_MANY_ALIASES")


def test_directive_floods_are_refused(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    # Valid but for its number of directives (one directive repeated on one field is a validation error).
    flood = ('{ student(netid: "d59951y") { ' + "...F @include(if: true) " * 51
             + "} } fragment F on Student { netid }")
    refused(gateway, sandbox, flood, "TOO_MANY_DIRECTIVES")


def test_token_floods_are_refused(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    flood = '{ student(netid: "d59951y") { ' + " ".join(["netid"] * 1200) + " } }"
    response = gateway.post(flood)
    assert response.status_code == 400 and response.json()["errors"][0]["extensions"]["code"] == "TOO_MANY_TOKENS"
    assert vendor_calls(sandbox) == 0


def test_list_sizes_multiply_into_the_cost(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    huge = """query($n: Int!) { students(first: $n) { edges { node { netid
        enrollments { section { enrollments(first: 200) { edges { node { role } } } } } } } } }"""
    refused(gateway, sandbox, huge, "QUERY_TOO_COMPLEX", {"n": 100})
    small = gateway.query("query($n: Int!) { students(first: $n) { edges { node { netid } } } }", {"n": 5})
    assert len(small["data"]["students"]["edges"]) == 5


def test_the_largest_page_with_a_few_fields_fits_the_cost(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """`first` may be 1000. An edge only wraps its node, so it weighs nothing: the largest page with two fields
    costs 4,002 and runs (with one field it cost 5,002, over the limit, so the largest page could never be asked)."""
    refused(gateway, sandbox, "{ students(first: 1000) { edges { node { netid status classYear firstName } } } }",
            "QUERY_TOO_COMPLEX")
    result = gateway.query("{ students(first: 1000) { edges { node { netid status } } } }")
    assert "errors" not in result and len(result["data"]["students"]["edges"]) > 25, result.get("errors")


def test_typenames_and_cursors_add_no_cost(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """Apollo Client adds `__typename` to every selection, and a Relay client asks each edge's `cursor`. Neither
    is work per row (the schema and the page answer them), so the largest page a client library sends for two
    fields runs: it cost 7,008 and was refused."""
    result = gateway.query("""{ students(first: 1000) { __typename
        edges { __typename cursor node { __typename netid status } }
        pageInfo { __typename hasNextPage endCursor } } }""")
    assert "errors" not in result and len(result["data"]["students"]["edges"]) > 25, result.get("errors")


def test_a_first_beyond_the_largest_page_is_refused_as_out_of_range(gateway: GatewayProcess,
                                                                     sandbox: SandboxProcess) -> None:
    """`first: 5000` was QUERY_TOO_COMPLEX ("cost 20009"), which says nothing of the 1000 it may be at most; the
    cost takes it as the largest page, and the field refuses it naming its range, before any vendor call."""
    for text, variables in (("{ students(first: 5000) { edges { node { netid status } } } }", None),
                            ("query($n: Int) { students(first: $n) { edges { node { netid } } } }", {"n": 5000})):
        result = gateway.query(text, variables)
        errors = [(e["extensions"]["code"], e["extensions"].get("argument"), e["message"]) for e in result["errors"]]
        assert errors == [("BAD_USER_INPUT", "first", "`first` must be between 0 and 1000")], errors
    assert vendor_calls(sandbox) == 0


def test_a_first_beyond_the_staff_lists_largest_page_is_refused_as_out_of_range(gateway: GatewayProcess,
                                                                                  sandbox: SandboxProcess) -> None:
    """`staff` pages HUBmis', at most 100: `first: 500` with each member's sections was QUERY_TOO_COMPLEX ("cost
    12502"), so a client cutting its selection down was then told `first` must be at most 100. The cost takes it as
    the list's own largest page, and the field refuses it naming its range, before any vendor call."""
    result = gateway.query("{ staff(first: 500) { edges { node { netid email sections { id type } } } } }")
    errors = [(e["extensions"]["code"], e["extensions"].get("argument"), e["message"]) for e in result["errors"]]
    assert errors == [("BAD_USER_INPUT", "first", "`first` must be between 0 and 100")], errors
    assert vendor_calls(sandbox) == 0


def test_a_first_beyond_hubmis_largest_page_is_refused_as_out_of_range_for_its_students(
        gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """`students(source: HUBMIS)` pages HUBmis', at most 100: `first: 500` with each student's enrollments was
    QUERY_TOO_COMPLEX, though no selection could have made 500 fit. The source, given or through a variable, sets
    the largest page the cost takes."""
    selection = "edges { node { netid enrollments { id source } } }"
    for text, variables in ((f"{{ students(source: HUBMIS, first: 500) {{ {selection} }} }}", None),
                            (f"query($s: Vendor) {{ students(source: $s, first: 500) {{ {selection} }} }}",
                             {"s": "HUBMIS"})):
        result = gateway.query(text, variables)
        errors = [(e["extensions"]["code"], e["extensions"].get("argument"), e["message"]) for e in result["errors"]]
        assert errors == [("BAD_USER_INPUT", "first", "`first` must be between 0 and 100")], errors
    assert vendor_calls(sandbox) == 0
    dartmouth = gateway.query(f"{{ students(source: DARTMOUTH, first: 500) {{ {selection} }} }}")
    assert [e["extensions"]["code"] for e in dartmouth["errors"]] == ["QUERY_TOO_COMPLEX"]  # 500 it could give


def test_a_read_argument_longer_than_any_key_is_refused_before_a_vendor_is_asked(gateway: GatewayProcess,
                                                                                   sandbox: SandboxProcess) -> None:
    """A 900 KB netid went into Dartmouth's URL, which Dartmouth refused: VENDOR_BAD_REQUEST, blaming the vendor for
    the caller's input. Refused as BAD_USER_INPUT naming the argument, given or through a variable, at any depth."""
    long = "x" * 5000
    for text, variables, argument in (
            (f'{{ student(netid: "{long}") {{ netid }} }}', None, "netid"),
            ("query($n: String) { student(netid: $n) { netid } }", {"n": long}, "netid"),
            ("query($f: StudentFilter) { students(source: HUBMIS, filter: $f) { edges { node { netid } } } }",
             {"f": {"search": long}}, "filter"),
            (f'{{ student(netid: "d59951y") {{ enrollments(term: "{long}") {{ id }} }} }}', None, "term")):
        result = gateway.query(text, variables)
        errors = [(e["extensions"]["code"], e["extensions"].get("argument"), e["message"]) for e in result["errors"]]
        assert errors == [("BAD_USER_INPUT", argument, f"`{argument}` is longer than 1000 characters")], errors
    assert vendor_calls(sandbox) == 0


def test_an_invalid_document_is_reported_by_its_mistakes_alone(gateway: GatewayProcess,
                                                               sandbox: SandboxProcess) -> None:
    """A mistyped field in a big query is one validation error: not also a cost computed over fields that do
    not exist (it was QUERY_TOO_COMPLEX besides)."""
    result = gateway.query("""{ students(first: 1000) { edges { node { netid firstName lastName email
        enrollments { edges { node { role } } } } } } }""")
    assert result.get("data") is None and vendor_calls(sandbox) == 0
    assert [e["extensions"]["code"] for e in result["errors"]] == ["GRAPHQL_VALIDATION_FAILED"], result["errors"]
    assert "edges" in result["errors"][0]["message"]


def test_a_connection_without_first_is_costed_at_its_default_page(gateway: GatewayProcess,
                                                                  sandbox: SandboxProcess) -> None:
    """Left out or null, `first` is the field's default (25 students), not the 5 a plain list is guessed at."""
    block = "{ role isActive section { code name crn course campus type startDate endDate } }"
    # About 215 per student: 25 students cost over the limit of 5000, 5 students about 1,100.
    text = f"""query($n: Int) {{ students(first: $n) {{ edges {{ node {{ netid firstName lastName email
        a: enrollments {block} b: enrollments {block} c: enrollments {block} }} }} }} }}"""
    plain = text.replace("query($n: Int)", "query")
    for query, variables in ((text, {"n": 25}), (plain.replace("(first: $n)", ""), None),
                             (plain.replace("(first: $n)", "(first: null)"), None), (text, {"n": None})):
        result = gateway.query(query, variables)
        assert result.get("data") is None, result
        assert [e["extensions"]["code"] for e in result["errors"]] == ["QUERY_TOO_COMPLEX"], result["errors"]
    assert vendor_calls(sandbox) == 0
    small = gateway.query(text, {"n": 5})
    assert "errors" not in small and len(small["data"]["students"]["edges"]) == 5


def test_a_variables_declared_default_is_costed_as_the_list_size(gateway: GatewayProcess,
                                                                 sandbox: SandboxProcess) -> None:
    """`query($n: Int = 1000)` sent without `n` pages 1000 students: it is costed at 1000, not at the field's own
    default page of 25 (which let it run, some 30,000 over the limit)."""
    text = "query($n: Int = 1000) { students(first: $n) { edges { node { netid enrollments { section { code } } } } } }"
    refused(gateway, sandbox, text, "QUERY_TOO_COMPLEX")
    roster = """query($n: Int = 1000) { section(id: "COSC.010.01-202609-U-10275") { enrollments(first: $n) {
        edges { node { student { netid enrollments { section { code } } } } } } } }"""
    refused(gateway, sandbox, roster, "QUERY_TOO_COMPLEX")
    # The request's own value still wins over the declared default.
    small = gateway.query(text, {"n": 2})
    assert "errors" not in small and len(small["data"]["students"]["edges"]) == 2


def test_a_text_validated_before_is_still_costed_with_its_new_variables(gateway: GatewayProcess,
                                                                         sandbox: SandboxProcess) -> None:
    """The standard rules' verdict is kept per text; the limits depend on the variables and run every time."""
    text = "query($n: Int!) { students(first: $n) { edges { node { netid status classYear firstName } } } }"
    assert len(gateway.query(text, {"n": 3})["data"]["students"]["edges"]) == 3
    before = vendor_calls(sandbox)
    result = gateway.query(text, {"n": 1000})
    assert result.get("data") is None and result["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert vendor_calls(sandbox) == before
    assert len(gateway.query(text, {"n": 2})["data"]["students"]["edges"]) == 2


def test_only_the_operation_a_request_runs_is_costed(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """GraphiQL sends every operation in its editor with the name of the one to run: a big query kept there
    does not refuse a small one (it did, as QUERY_TOO_COMPLEX), and is refused when it is the one run."""
    document = """query Big { students(first: 1000) { edges { node { netid enrollments { section { code } } } } } }
        query Small { students(first: 2) { edges { node { netid } } } }"""

    def run(name: str) -> dict[str, Any]:
        response = httpx.post(f"{gateway.url}/graphql", json={"query": document, "operationName": name},
                              headers=gateway.bearer(), timeout=60)
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    big = run("Big")
    assert big.get("data") is None and [e["extensions"]["code"] for e in big["errors"]] == ["QUERY_TOO_COMPLEX"]
    assert vendor_calls(sandbox) == 0
    small = run("Small")
    assert "errors" not in small, small["errors"]
    assert len(small["data"]["students"]["edges"]) == 2


def test_batches_are_capped(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    batch = [{"query": '{ terms(currentTermOffset: 0) { id } }'}] * 6
    response = httpx.post(f"{gateway.url}/graphql", json=batch, headers=gateway.bearer(), timeout=30)
    assert response.status_code == 400 and response.json()["errors"][0]["extensions"]["code"] == "BATCH_TOO_LARGE"
    assert vendor_calls(sandbox) == 0
    ok = httpx.post(f"{gateway.url}/graphql", json=batch[:2], headers=gateway.bearer(), timeout=30)
    assert [r["data"]["terms"][0]["id"] for r in ok.json()] == [r["data"]["terms"][0]["id"] for r in ok.json()[:1]] * 2


def test_an_oversized_body_is_refused(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    padding = "#" + "x" * 1_100_000 + "\n"
    response = gateway.post(padding + "{ vendors { vendor } }")
    assert response.status_code == 413 and response.json()["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"
    assert vendor_calls(sandbox) == 0


def test_bodies_that_are_not_json_and_json_beyond_64_bits(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """Request bodies are read with orjson; what it refuses and JSON allows still reaches GraphQL's own checks."""
    url, headers = f"{gateway.url}/graphql", {**gateway.bearer(), "content-type": "application/json"}
    broken = httpx.post(url, content=b'{"query": "{ vendors { vendor } }"', headers=headers, timeout=30)
    assert broken.status_code == 400, broken.text
    huge = (b'{"query": "query($n: Int) { students(first: $n) { totalCount } }", '
            b'"variables": {"n": 100000000000000000000}}')
    answer = httpx.post(url, content=huge, headers=headers, timeout=30)
    assert answer.status_code == 200 and "32-bit" in answer.json()["errors"][0]["message"], answer.text
    flood = ('{"query": "{ student(netid: \\"d59951y\\") { ' + " ".join(["netid"] * 1200) + ' } }", '
             '"variables": {"n": 100000000000000000000}}')
    refused = httpx.post(url, content=flood.encode(), headers=headers, timeout=30)  # the guard reads it as well
    assert refused.status_code == 400 and refused.json()["errors"][0]["extensions"]["code"] == "TOO_MANY_TOKENS"
    assert vendor_calls(sandbox) == 0


def test_json_bodies_that_are_not_graphql_requests_are_refused_with_a_code(gateway: GatewayProcess,
                                                                            sandbox: SandboxProcess) -> None:
    """JSON that is not an object (or a batch of objects) is a BAD_REQUEST, not a plain-text 500 with a traceback."""
    url, headers = f"{gateway.url}/graphql", {**gateway.bearer(), "content-type": "application/json"}
    for body in (b"42", b"null", b'"{ vendors { vendor } }"', b"true", b"[42]", b"[null]", b"[[]]",
                 b'[{"query": "{ vendors { vendor } }"}, 5]'):
        response = httpx.post(url, content=body, headers=headers, timeout=30)
        assert response.status_code == 400, (body, response.text)
        assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST", (body, response.text)
    assert "Traceback" not in gateway.logs()
    assert vendor_calls(sandbox) == 0


DEEP = 100_000  # far past both orjson's nesting limit (1024) and Python's recursion limit


@pytest.mark.parametrize("body", [
    b'{"query":"{ vendors { vendor } }\xff"}',  # not UTF-8
    b'{"query":"{ vendors { vendor } }", "variables": {"n": "\xc3\x28"}}',
    b"[" * DEEP,
    b"[" * 2000 + b"]" * 2000,  # JSON, but nested past what either parser reads
    b'{"query": "{ vendors { vendor } }", "variables": {"n": ' + b"[" * DEEP + b"]" * DEEP + b"}}",
], ids=["invalid-utf8", "invalid-utf8-in-variables", "unclosed-deep", "closed-deep", "deep-variables"])
def test_a_body_no_json_parser_reads_is_a_bad_request_not_a_crash(gateway: GatewayProcess, sandbox: SandboxProcess,
                                                                   body: bytes) -> None:
    """Bytes that are not UTF-8, or nesting deeper than the parsers go, were a plain-text 500 and a traceback
    in the log (UnicodeDecodeError, RecursionError): they are a body that is not JSON, refused like any other."""
    logged = len(gateway.logs())
    response = httpx.post(f"{gateway.url}/graphql", content=body, timeout=30,
                          headers={**gateway.bearer(), "content-type": "application/json"})
    assert response.status_code == 400, response.text[:500]
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "BAD_REQUEST", "requestId": response.headers["x-request-id"]}, error
    assert "Traceback" not in gateway.logs()[logged:]
    assert vendor_calls(sandbox) == 0


@pytest.mark.parametrize("name", ["variables", "extensions"])
@pytest.mark.parametrize("raw", ["[" * 3000, "[" * 3000 + "]" * 3000], ids=["unclosed-deep", "closed-deep"])
def test_get_parameters_nested_past_the_parsers_are_named(gateway: GatewayProcess, sandbox: SandboxProcess,
                                                          name: str, raw: str) -> None:
    """As a body: a GET's variables or extensions nested deeper than the parsers go are not JSON it can read
    (3000 levels: the server refuses a query string much longer than 16 KB before the gateway sees it)."""
    logged = len(gateway.logs())
    response = httpx.get(f"{gateway.url}/graphql", headers=gateway.bearer(), timeout=30,
                         params={"query": "{ vendors { vendor } }", name: raw})
    assert response.status_code == 400, response.text[:500]
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "BAD_REQUEST", "requestId": response.headers["x-request-id"]}, error
    assert error["message"] == f"the {name} parameter is not valid JSON"
    assert "Traceback" not in gateway.logs()[logged:]
    assert vendor_calls(sandbox) == 0


@pytest.fixture(scope="module")
def production_gateway(sandbox_process: SandboxProcess, tmp_path_factory: pytest.TempPathFactory) -> Iterator[
        GatewayProcess]:
    allowed = ['{ terms(currentTermOffset: 0) { id } }', "query Who($n: String) { student(netid: $n) { netid } }",
               STALE_OPERATION]
    persisted = tmp_path_factory.mktemp("ops") / "persisted.json"
    persisted.write_text(json.dumps(allowed))
    proc = GatewayProcess(sandbox_env(sandbox_process, env="production", caller_rate_per_min=60, caller_burst=20,
                                      persisted_operations=f"@{persisted}")).start()
    yield proc
    proc.stop()


STALE_OPERATION = '{ student(netid: "d59951y") { middleName } }'  # no such field: an allow-list older than the schema


def test_a_persisted_operation_the_schema_refuses_is_reported_at_start(production_gateway: GatewayProcess) -> None:
    digest = hashlib.sha256(STALE_OPERATION.encode()).hexdigest()
    warnings = [line for line in production_gateway.logs().splitlines() if digest in line]
    assert len(warnings) == 1 and '"level": "warning"' in warnings[0] and "can never run" in warnings[0]
    refused = production_gateway.post(STALE_OPERATION)  # allow-listed, so it reaches validation, which refuses it
    assert refused.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_production_accepts_only_persisted_operations(production_gateway: GatewayProcess,
                                                      sandbox: SandboxProcess) -> None:
    ok = production_gateway.query("query Who($n: String) { student(netid: $n) { netid } }", {"n": "d59951y"})
    assert ok["data"]["student"]["netid"] == "d59951y"
    other = production_gateway.post('{ student(netid: "d59951y") { netid lastName } }')
    assert other.status_code == 400 and other.json()["errors"][0]["extensions"]["code"] == "OPERATION_NOT_ALLOWED"
    digest = hashlib.sha256(b"{ terms(currentTermOffset: 0) { id } }").hexdigest()
    by_hash = httpx.post(f"{production_gateway.url}/graphql", headers=production_gateway.bearer(), timeout=30,
                         json={"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}})
    assert by_hash.status_code == 200 and by_hash.json()["data"]["terms"]
    for extensions in ("not an object", {"persistedQuery": "not an object"}, {"persistedQuery": {"sha256Hash": 1}}):
        odd = httpx.post(f"{production_gateway.url}/graphql", headers=production_gateway.bearer(), timeout=30,
                         json={"extensions": extensions})
        assert odd.status_code == 400 and odd.json()["errors"][0]["extensions"]["code"] == "OPERATION_NOT_ALLOWED"


def test_production_accepts_persisted_operations_over_get(production_gateway: GatewayProcess) -> None:
    url, headers = f"{production_gateway.url}/graphql", production_gateway.bearer()
    text = "query Who($n: String) { student(netid: $n) { netid } }"
    as_text = httpx.get(url, headers=headers, timeout=30, params={"query": text, "variables": '{"n": "d59951y"}'})
    assert as_text.status_code == 200 and as_text.json()["data"]["student"]["netid"] == "d59951y"
    digest = hashlib.sha256(b"{ terms(currentTermOffset: 0) { id } }").hexdigest()
    extensions = json.dumps({"persistedQuery": {"version": 1, "sha256Hash": digest}})
    by_hash = httpx.get(url, headers=headers, timeout=30, params={"extensions": extensions})
    assert by_hash.status_code == 200 and by_hash.json()["data"]["terms"]
    for params in ({"query": '{ student(netid: "d59951y") { netid lastName } }'}, {"extensions": "{not json"},
                   {"extensions": json.dumps({"persistedQuery": {"sha256Hash": "0" * 64}})}):
        other = httpx.get(url, headers=headers, timeout=30, params=params)
        assert other.status_code == 400 and other.json()["errors"][0]["extensions"]["code"] == "OPERATION_NOT_ALLOWED"


def test_production_refuses_what_no_json_parser_reads_as_not_allowed(production_gateway: GatewayProcess) -> None:
    """The allow-list reads the body (and a GET's extensions) before anything else: nesting past the parsers
    was a plain-text 500 there too, and is an operation it cannot find on the list."""
    url, headers = f"{production_gateway.url}/graphql", production_gateway.bearer(subject="deep-json")
    logged = len(production_gateway.logs())
    answers = [httpx.post(url, content=b"[" * DEEP, headers={**headers, "content-type": "application/json"},
                          timeout=30),
               httpx.post(url, content=b'{"query":"{ terms(currentTermOffset: 0) { id } }\xff"}', timeout=30,
                          headers={**headers, "content-type": "application/json"}),
               httpx.get(url, headers=headers, timeout=30, params={"extensions": "[" * 3000})]
    for answer in answers:
        assert answer.status_code == 400, answer.text[:500]
        assert answer.json()["errors"][0]["extensions"]["code"] == "OPERATION_NOT_ALLOWED", answer.text
    assert "Traceback" not in production_gateway.logs()[logged:]


def test_production_mode_without_an_allow_list_hides_introspection_and_suggestions(
        sandbox_process: SandboxProcess, sandbox: SandboxProcess) -> None:
    proc = GatewayProcess(sandbox_env(sandbox_process, env="production")).start()
    before = settled(sandbox)
    try:
        introspection = "{ __schema { queryType { name } } }"
        denied = proc.query(introspection, scopes=["students:read"])
        assert denied["errors"][0]["extensions"]["code"] == "INTROSPECTION_DISABLED"
        allowed = proc.query(introspection, scopes=["students:read", "graphql:introspect"])
        assert allowed["data"]["__schema"]["queryType"]["name"] == "Query"
        again = proc.query(introspection, scopes=["students:read"])  # a text accepted before: still the caller's
        assert again["errors"][0]["extensions"]["code"] == "INTROSPECTION_DISABLED"
        # Strawberry drops a mistyped field's suggestion only: an argument's, an enum value's (in the text or a
        # variable), an input field's and a type's still named the schema's names to whoever typed near them.
        for typo, variables in (('{ student(netid: "d59951y") { netidd } }', None),
                                ('{ student(netd: "d59951y") { netid } }', None),
                                ("{ students(source: DARTMUTH) { totalCount } }", None),
                                ('{ students(filter: {clasYear: "27"}) { totalCount } }', None),
                                ("{ ... on Studnt { id } }", None),
                                ("query($s: Vendor) { students(source: $s) { totalCount } }", {"s": "DARTMUTH"})):
            refused = proc.query(typo, variables)
            assert refused["errors"] and "Did you mean" not in json.dumps(refused), refused
        assert vendor_calls(sandbox) == before
    finally:
        proc.stop()


def test_each_caller_is_rate_limited(production_gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    headers = production_gateway.bearer(subject="noisy-caller")
    query = "{ terms(currentTermOffset: 0) { id } }"
    statuses = [production_gateway.post(query, headers=headers).status_code for _ in range(30)]
    assert statuses[:20] == [200] * 20 and 429 in statuses[20:]
    limited = production_gateway.post(query, headers=headers)
    assert limited.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED" and limited.headers["retry-after"]
    other = production_gateway.post(query, headers=production_gateway.bearer(subject="quiet-caller"))
    assert other.status_code == 200  # the limit is per caller


def test_no_secret_reaches_a_response_or_the_log(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    token = gateway.token()
    sandbox.faults("dartmouth", outage=True)
    answers = [gateway.post('{ student(netid: "d59951y") { netid dartmouth { gradTerm } } }').text,
               gateway.post("{ bogus }").text,
               gateway.post('{ student(netid: "d59951y") { netid } }',
                            headers={"Authorization": f"Bearer {token}x"}).text]
    everything = "\n".join(answers) + Path(gateway.log_path).read_text()
    secrets = ["sandbox-stellic-pat", "sandbox-secret", "sandbox-dartmouth-key",
               gateway.env["CAMPUSGRAPH_AUTH_DEV_KEY"], token, token.split(".")[2]]
    for secret in secrets:
        assert secret not in everything
