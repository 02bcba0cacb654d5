"""Who may ask what: caller authentication, scopes per field, FERPA hiding, and the audit trail."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from gateway.auth.apikeys import new_key, parse_api_keys
from gateway.sandbox.world import DARTMOUTH, HUBMIS, STELLIC
from tests.gateway.test_academic import biggest_section
from tests.gateway.test_students import linked_student, world
from tests.gatewayproc import GatewayProcess, sandbox_env
from tests.sandboxproc import SandboxProcess

QUERY = '{ student(netid: "d59951y") { netid } }'


def vendor_calls(sandbox: SandboxProcess) -> int:
    return sum(sandbox.requests(v)["total"] for v in ("stellic", "hubmis", "dartmouth"))


@pytest.mark.parametrize("headers", [
    {}, {"Authorization": "Bearer not-a-jwt"}, {"Authorization": "Basic dXNlcjpwYXNz"}, {"X-API-Key": "cgk_nope"},
])
def test_without_valid_credentials_401_and_no_vendor_call(gateway: GatewayProcess, sandbox: SandboxProcess,
                                                          headers: dict[str, str]) -> None:
    response = gateway.post(QUERY, headers=headers)
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert vendor_calls(sandbox) == 0


def test_a_token_signed_with_another_key_or_expired_is_refused(gateway: GatewayProcess) -> None:
    forged = jwt.encode({"sub": "x", "iss": "campusgraph", "aud": "campusgraph", "exp": time.time() + 60,
                         "scope": "students:read"}, "another-key-of-sufficient-length-0123456789", algorithm="HS256")
    assert gateway.post(QUERY, headers={"Authorization": f"Bearer {forged}"}).status_code == 401
    expired = jwt.encode({"sub": "x", "iss": "campusgraph", "aud": "campusgraph", "exp": time.time() - 3600,
                          "scope": "students:read"}, gateway.env["CAMPUSGRAPH_AUTH_DEV_KEY"], algorithm="HS256")
    response = gateway.post(QUERY, headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401 and "expired" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("claims", [{"scope": None}, {"scope": 5}, {"scope": True}, {"scp": None}, {"sub": ""}])
def test_a_signed_token_with_a_malformed_claim_is_refused_not_a_500(gateway: GatewayProcess,
                                                                    claims: dict[str, Any]) -> None:
    """A token the key signed whose `scope` (or `scp`) was neither a space-separated string nor a list crashed the
    request (HTTP 500, plain text, no code); one with an empty `sub` was taken, naming no caller in the log and the
    audit trail. Either is the identity provider's mistake: a 401 saying which claim, like any token refused."""
    body = {"sub": "x", "iss": "campusgraph", "aud": "campusgraph", "exp": int(time.time()) + 60, **claims}
    token = jwt.encode(body, gateway.env["CAMPUSGRAPH_AUTH_DEV_KEY"], algorithm="HS256")
    response = gateway.post(QUERY, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401, response.text
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert error["message"] == f"the bearer token's {next(iter(claims))} claim is malformed", error


def test_a_remembered_token_is_refused_once_it_expires(gateway: GatewayProcess) -> None:
    """Verified tokens are remembered (gateway/auth/tokens.py), never past their expiry and the 30 s leeway."""
    key = gateway.env["CAMPUSGRAPH_AUTH_DEV_KEY"]
    token = jwt.encode({"sub": "x", "iss": "campusgraph", "aud": "campusgraph", "exp": int(time.time()) - 28,
                        "scope": "students:read"}, key, algorithm="HS256")
    assert gateway.post(QUERY, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    header, claims, signature = token.split(".")
    tampered = f"{header}.{claims}.{signature[:-4]}AAAA"  # the remembered token's text, another signature
    assert gateway.post(QUERY, headers={"Authorization": f"Bearer {tampered}"}).status_code == 401
    time.sleep(3)
    response = gateway.post(QUERY, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401 and "expired" in response.json()["errors"][0]["message"]


@pytest.fixture(scope="module")
def idp_gateway(sandbox_process: SandboxProcess, tmp_path_factory: pytest.TempPathFactory) -> Iterator[
        tuple[GatewayProcess, rsa.RSAPrivateKey, str]]:
    """A gateway trusting an identity provider's RS256 key (JWKS file) and one hashed API key."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
    jwks = tmp_path_factory.mktemp("idp") / "jwks.json"
    jwks.write_text(json.dumps({"keys": [{**jwk, "kid": "idp-1", "use": "sig", "alg": "RS256"}]}))
    key, entry = new_key("registrar-sync", ["students:read", "students:read.sensitive"])
    env = sandbox_env(sandbox_process, auth_jwks_file=str(jwks), auth_issuer="https://idp.example.edu",
                      auth_audience="campusgraph-api", auth_api_keys=json.dumps([entry]))
    proc = GatewayProcess(env).start()
    yield proc, private, key
    proc.stop()


def test_campusgraph_apikey_makes_only_entries_the_gateway_takes() -> None:
    """`campusgraph apikey x --scopes students:reed` printed a key and an entry which then stopped `campusgraph
    serve` from starting (unknown scopes), after the key had been handed to the caller."""
    run = partial(subprocess.run, capture_output=True, text=True, timeout=60,
                  env={k: v for k, v in os.environ.items() if not k.startswith("CAMPUSGRAPH_")})
    typo = run([sys.executable, "-m", "gateway.cli", "apikey", "registrar-sync", "--scopes", "students:reed"])
    assert typo.returncode == 2 and "students:reed" in typo.stderr and "cgk_" not in typo.stdout, typo
    made = run([sys.executable, "-m", "gateway.cli", "apikey", "registrar-sync", "--scopes", "students:read",
                "stellic:write"])
    assert made.returncode == 0, made.stderr
    entry = made.stdout.split("entry for CAMPUSGRAPH_AUTH_API_KEYS: ", 1)[1]
    assert parse_api_keys(f"[{entry}]")[0].scopes == {"students:read", "stellic:write"}


def test_a_mistyped_api_key_digest_is_a_configuration_problem() -> None:
    """A digest that is no SHA-256 (a truncated copy, the key itself pasted) was taken, and matched no key ever."""
    _, entry = new_key("registrar-sync", ["students:read"])
    for wrong in (entry["sha256"][:-1], "cgk_" + entry["sha256"][4:], entry["sha256"] + "0"):
        with pytest.raises(ValueError, match="64 hex digits"):
            parse_api_keys(json.dumps([{**entry, "sha256": wrong}]))
    assert parse_api_keys(json.dumps([{**entry, "sha256": entry["sha256"].upper()}]))[0].sha256 == entry["sha256"]


def test_campusgraph_token_refuses_a_lifetime_already_over() -> None:
    """`campusgraph token --ttl-hours -1` printed a token every gateway refuses as expired."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAMPUSGRAPH_")}
    env["CAMPUSGRAPH_AUTH_DEV_KEY"] = "k" * 48  # a throwaway signing key for this process only
    for ttl in ("-1", "0", "nan"):
        run = subprocess.run([sys.executable, "-m", "gateway.cli", "token", "--all-scopes", "--ttl-hours", ttl],
                             capture_output=True, text=True, timeout=60, env=env)
        assert run.returncode == 2 and "--ttl-hours must be above 0" in run.stderr and run.stdout == "", run


def test_identity_provider_tokens_and_api_keys(idp_gateway: tuple[GatewayProcess, rsa.RSAPrivateKey, str],
                                               sandbox: SandboxProcess) -> None:
    proc, private, api_key = idp_gateway
    claims = {"sub": "advisor42", "iss": "https://idp.example.edu", "aud": "campusgraph-api",
              "exp": time.time() + 600, "scope": "students:read"}
    token = jwt.encode(claims, private, algorithm="RS256", headers={"kid": "idp-1"})
    ok = proc.post(QUERY, headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200 and ok.json()["data"]["student"]["netid"] == "d59951y"
    wrong_audience = jwt.encode({**claims, "aud": "someone-else"}, private, algorithm="RS256",
                                headers={"kid": "idp-1"})
    assert proc.post(QUERY, headers={"Authorization": f"Bearer {wrong_audience}"}).status_code == 401
    service = proc.post('{ student(netid: "d59951y") { holds { code } dartmouth { gpa { cumulative { value } } } } }',
                        headers={"X-API-Key": api_key})
    body = service.json()
    assert body["data"]["student"]["holds"] is not None  # students:read.sensitive is the key's
    assert {e["extensions"]["scope"] for e in body["errors"]} == {"students:read.gpa"}  # the GPA is not


SCOPED_FIELDS = [
    ("students:read.sensitive", "holds { code }", ("student", "holds")),
    ("students:read.sensitive", "enrollments { role }", ("student", "enrollments")),
    ("students:read.gpa", "dartmouth { gpa { cumulative { value } } }", ("student", "dartmouth", "gpa")),
    ("enrollments:read.grades", "enrollments { finalGrade }", ("student", "enrollments", 0, "finalGrade")),
    ("hubmis:read.sensitive", 'hubmis { attendance(from: "2020-01-01T00:00:00Z", to: "2030-01-01T00:00:00Z") '
                              '{ code } }', ("student", "hubmis", "attendance")),
]


@pytest.mark.parametrize(("scope", "selection", "path"), SCOPED_FIELDS)
def test_a_field_without_its_scope_is_null_with_one_forbidden_error(
        gateway: GatewayProcess, scope: str, selection: str, path: tuple[object, ...]) -> None:
    query = "query($n: String) { student(netid: $n) { netid %s } }" % selection  # noqa: UP031
    netid = next(p.key for p in world().students() if p.vendors >= {DARTMOUTH, HUBMIS} and p.status == "GR"
                 and not p.ferpa)  # graduated: every past enrollment has a final grade
    everything = [s for s, _, _ in SCOPED_FIELDS] + ["students:read"]
    granted = gateway.query(query, {"n": netid}, scopes=everything)
    assert "errors" not in granted, granted.get("errors")
    denied = gateway.query(query, {"n": netid}, scopes=[s for s in everything if s != scope])
    value: object = denied["data"]
    for step in path:
        value = value[step]  # type: ignore[index]
    assert value is None
    assert denied["errors"] and all(e["extensions"]["code"] == "FORBIDDEN" and e["extensions"]["scope"] == scope
                                    and scope in e["message"] for e in denied["errors"])
    assert denied["data"]["student"]["netid"] == netid  # the rest of the answer is there


def test_basic_scope_reads_the_directory_only(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    netid = linked_student()
    result = gateway.query("query($n: String) { student(netid: $n) { firstName lastName email holds { code } } }",
                           {"n": netid}, scopes=["students:read"])
    assert result["data"]["student"]["lastName"] == world().people[netid].last_name
    assert result["data"]["student"]["holds"] is None
    assert sandbox.requests("dartmouth")["by_route"].get("GET /api/academic/holds", 0) == 0  # nothing fetched
    nothing = gateway.query("query($n: String) { student(netid: $n) { netid } }", {"n": netid}, scopes=[])
    assert nothing["data"]["student"] is None
    assert nothing["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_a_sections_instructors_are_directory_data_under_students_read(gateway: GatewayProcess,
                                                                         sandbox: SandboxProcess) -> None:
    """`section` and `sections` need no scope (the course catalogue), but a section's `instructors` are Staff:
    their names, emails, titles and departments, which `staffMember` and `staff` give only under students:read.
    A caller without it (an export job's API key, say) read the staff directory through every section."""
    query = "query($id: ID!) { section(id: $id) { code instructors { lastName email } } }"
    section = biggest_section()
    granted = gateway.query(query, {"id": section}, scopes=["students:read"])
    assert "errors" not in granted and granted["data"]["section"]["instructors"], granted
    sandbox.reset()
    denied = gateway.query(query, {"id": section}, scopes=["exports:run"])
    assert denied["data"]["section"]["code"] == granted["data"]["section"]["code"]  # the catalogue still answers
    assert denied["data"]["section"]["instructors"] is None
    assert [(e["extensions"]["code"], e["extensions"]["scope"], e["path"]) for e in denied["errors"]] == [
        ("FORBIDDEN", "students:read", ["section", "instructors"])]
    assert sandbox.requests("dartmouth")["by_route"].get("GET /api/people/{netid}", 0) == 0  # nothing fetched


def test_ferpa_protected_people_are_hidden_entirely_without_the_private_scope(
        gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    protected = next(p for p in world().students(DARTMOUTH) if p.ferpa)
    query = "query($n: String) { student(netid: $n) { netid lastName } }"
    everything = gateway.query(query, {"n": protected.key})  # fills the caches under the private view first
    assert "errors" not in everything, everything
    assert everything["data"]["student"]["lastName"] == protected.last_name
    without = ["students:read", "students:read.sensitive"]
    hidden = gateway.query(query, {"n": protected.key}, scopes=without)
    assert hidden == {"data": {"student": None}}  # not blanked, not an error: not there
    for other_case in ("query($n: String) { student(netid: $n) { lastName } }",
                       "query($n: String) { student(stellicUsername: $n) { lastName } }"):
        assert gateway.query(other_case, {"n": protected.key.upper()}, scopes=without) == {"data": {"student": None}}
    listed = gateway.query("{ students(first: 400) { edges { node { netid } } } }", scopes=without)
    assert len(listed["data"]["students"]["edges"]) == len(world().students(DARTMOUTH)) - sum(
        1 for p in world().students(DARTMOUTH) if p.ferpa)
    assert protected.key not in {e["node"]["netid"] for e in listed["data"]["students"]["edges"]}
    if HUBMIS in protected.vendors:
        assert gateway.query("query($h: Int) { student(hubmisId: $h) { netid } }", {"h": protected.hubmis_id},
                             scopes=without)["data"]["student"] is None


def test_a_dartmouth_cursor_of_a_caller_with_the_private_scope_does_not_continue_for_one_without(
        gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """A Dartmouth cursor carries the found set of the JWT that read its first page. One from a caller with
    people:private (shared in a link, say) continued that found set for a caller without it, with the private
    JWT's positions, and its totalCount counted the FERPA-protected people the caller may not know exist. Each
    view of the list now has its own cursors, as Stellic's list already had: the other view's is refused."""
    query = """query($after: String) { students(first: 5, after: $after) {
        totalCount pageInfo { endCursor } edges { node { netid } } } }"""
    everyone = gateway.query(query)["data"]["students"]
    without = ["students:read", "students:read.sensitive"]
    own = gateway.query(query, scopes=without)["data"]["students"]
    assert own["totalCount"] < everyone["totalCount"]  # the sandbox holds protected students
    sandbox.reset()
    taken = gateway.query(query, {"after": everyone["pageInfo"]["endCursor"]}, scopes=without)
    assert taken["data"] == {"students": None}, taken
    assert [(e["extensions"]["code"], e["extensions"]["argument"]) for e in taken["errors"]] == [
        ("BAD_USER_INPUT", "after")]
    assert sandbox.requests("dartmouth")["total"] == 0
    mine = gateway.query(query, {"after": own["pageInfo"]["endCursor"]}, scopes=without)["data"]["students"]
    assert mine["totalCount"] == own["totalCount"] and len(mine["edges"]) == 5


def test_stellic_students_count_and_page_only_whom_a_caller_without_the_private_scope_may_see(
        gateway: GatewayProcess) -> None:
    query = """query($first: Int!, $after: String) { students(source: STELLIC, first: $first, after: $after) {
        totalCount edges { node { stellicUsername } } pageInfo { hasNextPage endCursor } } }"""
    without = ["students:read"]

    def page(first: int, after: str | None = None, scopes: list[str] | None = None) -> dict[str, Any]:
        result = gateway.query(query, {"first": first, "after": after}, scopes=scopes)
        assert "errors" not in result, result["errors"]
        return result["data"]["students"]  # type: ignore[no-any-return]

    everyone = page(0)["totalCount"]
    protected = {p.key for p in world().students(STELLIC) if p.ferpa and DARTMOUTH in p.vendors}
    assert protected, "the test world has FERPA-protected people in Stellic"
    seen = page(0, scopes=without)["totalCount"]
    assert seen == everyone - len(protected)
    names: list[str] = []
    after = None
    while True:  # every page full, and together exactly the people this caller may see
        listed = page(100, after, scopes=without)
        names += [e["node"]["stellicUsername"] for e in listed["edges"]]
        if not listed["pageInfo"]["hasNextPage"]:
            break
        assert len(listed["edges"]) == 100
        after = listed["pageInfo"]["endCursor"]
    assert len(names) == seen and not protected & set(names)
    refused = gateway.query(query, {"first": 5, "after": page(5)["pageInfo"]["endCursor"]}, scopes=without)
    assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"  # positions differ between the lists


def test_every_sensitive_read_and_the_caller_are_in_the_audit_trail(gateway: GatewayProcess) -> None:
    netid = linked_student()
    gateway.post("query Advising($n: String) { student(netid: $n) { holds { code } dartmouth { gpa { terms "
                 "{ value } } } } }", {"n": netid}, headers=gateway.bearer(subject="advisor-7"))
    records = [json.loads(line)["audit"] for line in Path(gateway.log_path).read_text().splitlines()
               if '"campusgraph.audit"' in line]
    mine = [r for r in records if r["caller"] == "advisor-7" and r["operation"] == "Advising"]
    assert mine, records[-3:]
    assert {"Student.holds", "DartmouthStudentRecord.gpa"} <= set(mine[-1]["fields"])
    assert netid in mine[-1]["records"] and mine[-1]["outcome"] == "ok" and mine[-1]["request_id"]


def test_the_audit_trail_records_the_error_codes_the_caller_got(gateway: GatewayProcess,
                                                                sandbox: SandboxProcess) -> None:
    """A vendor failure under a sensitive field was audited as INTERNAL_ERROR: the record was written before the
    errors were coded, so an auditor read a gateway fault where the caller had been told the vendor failed."""
    sandbox.faults("stellic", error_rate=1.0, error_status=500)
    answer = gateway.query('query Engagement { student(netid: "d59951y") { netid stellic { engagementScore } } }')
    assert [e["extensions"]["code"] for e in answer["errors"]] == ["VENDOR_UNAVAILABLE"], answer
    request_id = answer["errors"][0]["extensions"]["requestId"]
    deadline = time.monotonic() + 5
    while True:
        records = [json.loads(line)["audit"] for line in Path(gateway.log_path).read_text().splitlines()
                   if '"campusgraph.audit"' in line]
        mine = [r for r in records if r["request_id"] == request_id]
        if mine or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert len(mine) == 1, records[-3:]
    assert mine[0]["error_codes"] == ["VENDOR_UNAVAILABLE"] and mine[0]["outcome"] == "partial"
    assert "Student.stellic" in mine[0]["fields"]


def test_every_write_is_in_the_audit_trail(gateway: GatewayProcess) -> None:
    """Also a write that reads no sensitive field back (here one the vendor answers with NOT_FOUND)."""
    answer = gateway.post('mutation Release { releaseHold(sisId: "NO-SUCH-HOLD") { success } }',
                          headers=gateway.bearer(["stellic:write"], subject="registrar-3"))
    assert answer.json()["data"]["releaseHold"]["success"] is False, answer.text
    deadline = time.monotonic() + 5
    while True:
        records = [json.loads(line)["audit"] for line in Path(gateway.log_path).read_text().splitlines()
                   if '"campusgraph.audit"' in line]
        mine = [r for r in records if r["caller"] == "registrar-3" and r["operation"] == "Release"]
        if mine or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert len(mine) == 1, records[-3:]
    assert mine[0]["write"] is True and mine[0]["operation_type"] == "mutation"


@pytest.mark.parametrize("value", ["{token}", "Basic dXNlcjpwYXNz", "Token {token}"])
def test_an_authorization_header_without_its_scheme_says_which_to_use(gateway: GatewayProcess,
                                                                      value: str) -> None:
    """A token pasted without `Bearer ` was told that no credentials came, though a header did."""
    response = gateway.post(QUERY, headers={"Authorization": value.format(token=gateway.token())})
    assert response.status_code == 401
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert error["message"] == "the Authorization header must be 'Bearer <token>' or 'ApiKey <key>'"


def test_a_hold_or_an_enrollment_by_its_global_id_needs_the_scope_that_guards_it_elsewhere(
        gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """`node(id:)` and `_entities` answered a students:read caller a student's hold (its code and note) and an
    enrollment, which `Student.holds` and `Query.enrollment` refuse without students:read.sensitive; their ids
    are base64 of the type and the vendor's key, so anyone may write one."""
    holder = next(h.person_key for h in world().holds.values() if not world().people[h.person_key].ferpa
                  and DARTMOUTH in world().people[h.person_key].vendors)
    ids = gateway.query("query($n: String) { student(netid: $n) { holds { id } enrollments { id } } }",
                        {"n": holder})["data"]["student"]
    hold, enrollment = ids["holds"][0]["id"], ids["enrollments"][0]["id"]
    basic, sensitive = ["students:read"], ["students:read", "students:read.sensitive"]
    sandbox.reset()
    for type_name, global_id in (("Hold", hold), ("Enrollment", enrollment)):
        for query in ("query($id: ID!) { node(id: $id) { id } }",
                      "query($r: [_Any!]!) { _entities(representations: $r) { ... on Node { id } } }"):
            variables = {"id": global_id, "r": [{"__typename": type_name, "id": global_id}]}
            denied = gateway.query(query, variables, scopes=basic)
            assert denied["data"] in ({"node": None}, {"_entities": [None]}), denied
            assert [(e["extensions"]["code"], e["extensions"]["scope"]) for e in denied["errors"]] == [
                ("FORBIDDEN", "students:read.sensitive")], denied
            article = "an" if type_name[0] in "AEIOU" else "a"
            where = {"Hold": "Student.holds", "Enrollment": "Query.enrollment"}[type_name]
            assert denied["errors"][0]["message"] == (
                f"{article} {type_name}, as {where}, requires the students:read.sensitive scope"), denied
    assert vendor_calls(sandbox) == 0  # nothing fetched for them
    for global_id in (hold, enrollment):
        granted = gateway.query("query($id: ID!) { node(id: $id) { id } }", {"id": global_id}, scopes=sensitive)
        assert granted == {"data": {"node": {"id": global_id}}}
