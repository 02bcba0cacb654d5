"""Students through the real gateway: the crosswalk, unified fields, vendor detail, paging."""

from __future__ import annotations

from functools import cache

from gateway.sandbox.population import build_world
from gateway.sandbox.world import DARTMOUTH, HUBMIS, STELLIC, World
from schema.node import encode_id
from tests.gatewayproc import GatewayProcess
from tests.sandboxproc import SandboxProcess

PERSON = """
query($netid: String, $username: String, $hubmisId: Int, $id: ID) {
  student(netid: $netid, stellicUsername: $username, hubmisId: $hubmisId, id: $id) {
    id netid stellicUsername hubmisId externalId firstName lastName email status statusCode classYear
    sources { vendor id }
  }
}"""


@cache
def world() -> World:
    return build_world(7, 300)  # the test sandbox's seed and size


def linked_student() -> str:
    return next(p.key for p in world().students() if p.vendors == {DARTMOUTH, STELLIC, HUBMIS}
                and p.status == "AS" and not p.ferpa)


def test_one_person_by_each_of_their_keys(gateway: GatewayProcess) -> None:
    netid = linked_student()
    person = world().people[netid]
    by_netid = gateway.query(PERSON, {"netid": netid})["data"]["student"]
    assert by_netid["netid"] == by_netid["stellicUsername"] == by_netid["externalId"] == netid
    assert by_netid["hubmisId"] == person.hubmis_id
    assert (by_netid["firstName"], by_netid["lastName"]) == (person.first_name, person.last_name)
    assert by_netid["status"] == "ACTIVE" and by_netid["statusCode"] == "AS"
    assert by_netid["classYear"] == person.class_year
    assert {(s["vendor"], s["id"]) for s in by_netid["sources"]} == {
        ("DARTMOUTH", netid), ("STELLIC", netid), ("HUBMIS", str(person.hubmis_id))}
    for variables in ({"username": netid}, {"hubmisId": person.hubmis_id}, {"id": by_netid["id"]}):
        assert gateway.query(PERSON, variables)["data"]["student"] == by_netid


def test_a_person_known_to_one_vendor_only_still_resolves(gateway: GatewayProcess) -> None:
    miles = gateway.query(PERSON, {"hubmisId": 56})["data"]["student"]
    assert miles["externalId"] == "MX99328" and (miles["firstName"], miles["lastName"]) == ("Miles", "Whyde")
    assert miles["netid"] is None and miles["stellicUsername"] is None
    assert miles["sources"] == [{"vendor": "HUBMIS", "id": "56"}]
    mabbott = gateway.query(PERSON, {"username": "mabbott"})["data"]["student"]
    assert mabbott["sources"] == [{"vendor": "STELLIC", "id": "mabbott"}] and mabbott["netid"] is None


def test_holds_and_enrollments_of_a_student_dartmouth_lacks_cost_one_dartmouth_read(
        gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """Dartmouth's student list, read for the FERPA index, does not hold a HUBmis-only student: their holds and
    enrollments wait for one read of their Dartmouth record, whose 404 says they have none, where each list was a
    filtered read of its own that found nothing."""
    query = """{ student(hubmisId: 56) { externalId holds { code } enrollments { role }
        current: enrollments(activeOnly: true) { role } } }"""
    result = gateway.query(query)
    assert result == {"data": {"student": {"externalId": "MX99328", "holds": [], "enrollments": [], "current": []}}}
    log = sandbox.requests("dartmouth")["by_route"]
    assert (log.get("GET /api/academic/holds", 0), log.get("GET /api/academic/enrollments", 0)) == (0, 0), log
    assert log.get("GET /api/students/{netid}", 0) == 1, log
    netid = linked_student()  # someone the list holds: read at once, as before
    linked = gateway.query("query($n: String) { student(netid: $n) { holds { code } enrollments { role } } }",
                           {"n": netid})["data"]["student"]
    assert linked["enrollments"], linked
    log = sandbox.requests("dartmouth")["by_route"]
    assert (log.get("GET /api/academic/holds", 0), log.get("GET /api/academic/enrollments", 0)) == (1, 1), log


def test_preferred_name_falls_back_to_the_given_name_dartmouths_display_name_shows(gateway: GatewayProcess) -> None:
    """README order for preferredName: HUBmis, then Dartmouth people. The people API has no preferred_name
    field: its display ``name`` starts with the name a person goes by ("Imani Jones" for first_name Nia)."""
    students = [p for p in world().students() if HUBMIS not in p.vendors and DARTMOUTH in p.vendors and not p.ferpa]
    goes_by = next(p for p in students if p.preferred_name and p.middle_name)  # "Mohammed A. Jones": initial dropped
    plain = next(p for p in students if not p.preferred_name and p.middle_name)
    query = "query($n: String) { student(netid: $n) { firstName preferredName } }"
    for person, expected in ((goes_by, goes_by.preferred_name), (plain, None)):
        result = gateway.query(query, {"n": person.key})
        assert "errors" not in result, result.get("errors")
        assert result["data"]["student"] == {"firstName": person.first_name, "preferredName": expected}


def test_an_unknown_person_is_null_without_error(gateway: GatewayProcess) -> None:
    result = gateway.query(PERSON, {"netid": "nobody9"})
    assert result["data"]["student"] is None and "errors" not in result


def test_vendor_detail_from_each_vendor(gateway: GatewayProcess) -> None:
    netid = linked_student()
    result = gateway.query("""query($n: String) { student(netid: $n) {
        dartmouth { isFutureStatus studentStatusId gradTerm advisorsCount: statusHistory { termCodeEffective } }
        hubmis { id dateOfBirth enrolmentStatus form { name } yearGroup { name } }
        stellic { engagementScore }
        advisors { isPrimary staff { netid lastName } }
    } }""", {"n": netid})
    student = result["data"]["student"]
    person = world().people[netid]
    assert "errors" not in result, result.get("errors")
    assert student["dartmouth"]["studentStatusId"] == "AS" and student["dartmouth"]["gradTerm"] == person.grad_term
    assert student["hubmis"]["id"] == person.hubmis_id
    assert student["hubmis"]["dateOfBirth"] == person.date_of_birth.isoformat()
    assert student["stellic"]["engagementScore"] == person.engagement_score
    advisor = world().people[person.advisor_keys[0]]
    assert student["advisors"][0]["isPrimary"] is True
    assert student["advisors"][0]["staff"] == {"netid": advisor.key, "lastName": advisor.last_name}


def test_a_student_without_a_gpa_yet_has_an_empty_gpa_history_not_null(gateway: GatewayProcess) -> None:
    """Null would read as "not allowed" or "Dartmouth did not say"; an admitted student simply has none yet."""
    query = "query($n: String) { student(netid: $n) { dartmouth { gpa { cumulative { value } terms { term } } } } }"
    admitted = next(p.key for p in world().students() if p.gpa is None and DARTMOUTH in p.vendors and not p.ferpa)
    result = gateway.query(query, {"n": admitted})
    assert "errors" not in result, result["errors"]
    assert result["data"]["student"]["dartmouth"]["gpa"] == {"cumulative": [], "terms": []}
    graded = gateway.query(query, {"n": linked_student()})["data"]["student"]["dartmouth"]["gpa"]
    assert graded["cumulative"]


def test_students_page_through_dartmouth_with_cursors(gateway: GatewayProcess) -> None:
    page = """query($after: String) { students(first: 7, after: $after) {
        edges { cursor node { netid } } pageInfo { hasNextPage endCursor } totalCount } }"""
    first = gateway.query(page)["data"]["students"]
    second = gateway.query(page, {"after": first["pageInfo"]["endCursor"]})["data"]["students"]
    ids = [e["node"]["netid"] for e in first["edges"] + second["edges"]]
    assert len(ids) == 14 and len(set(ids)) == 14
    assert first["pageInfo"]["hasNextPage"]
    # The gateway's key holds the FERPA scope, so protected students are counted too.
    assert first["totalCount"] == len(world().students(DARTMOUTH))


def test_students_from_hubmis_are_linked_to_their_other_records(gateway: GatewayProcess) -> None:
    result = gateway.query("""{ students(source: HUBMIS, first: 10) {
        edges { node { hubmisId externalId sources { vendor } } } } }""")
    nodes = [e["node"] for e in result["data"]["students"]["edges"]]
    assert len(nodes) == 10 and all(n["hubmisId"] for n in nodes)
    for node in nodes:
        person = world().people.get(node["externalId"])
        expected = {v.upper() for v in person.vendors} if person else {"HUBMIS"}
        assert {s["vendor"] for s in node["sources"]} == expected


def test_external_id_comes_from_the_crosswalk_index_without_a_hubmis_read(gateway: GatewayProcess,
                                                                         sandbox: SandboxProcess) -> None:
    """The index that links a person to their HUBmis record holds its external_id: a page of Dartmouth students
    asking externalId spends none of HUBmis' 500 + 1 per 5 s (it spent one read per linked student)."""
    result = gateway.query("{ students(first: 30) { edges { node { netid hubmisId externalId } } } }")
    assert "errors" not in result, result.get("errors")
    nodes = [e["node"] for e in result["data"]["students"]["edges"]]
    linked = [n for n in nodes if n["hubmisId"] is not None]
    assert linked and all(n["externalId"] == world().people[n["netid"]].key for n in linked)
    assert all(n["externalId"] is None for n in nodes if n["hubmisId"] is None)
    assert sandbox.requests("hubmis")["by_route"].get("GET /api/v1/students/{id}", 0) == 0


def test_a_listed_hubmis_student_has_the_global_id_every_other_path_gives(gateway: GatewayProcess) -> None:
    # HUBmis' seed student 56 has the upper-case external_id MX99328; keys compare ignoring case, so the list
    # must hand out the one id student(hubmisId:) and node(id:) give, or a client cache sees two people.
    listed = gateway.query("""{ students(source: HUBMIS, filter: {search: "Whyde"}, first: 5) {
        edges { node { id hubmisId } } } }""")["data"]["students"]["edges"]
    miles = next(e["node"] for e in listed if e["node"]["hubmisId"] == 56)
    by_key = gateway.query("{ student(hubmisId: 56) { id } }")["data"]["student"]
    assert miles["id"] == by_key["id"]
    again = gateway.query("query($id: ID!) { node(id: $id) { id ... on Student { hubmisId } } }", {"id": miles["id"]})
    assert again["data"]["node"] == {"id": miles["id"], "hubmisId": 56}


def test_a_hubmis_id_below_one_names_no_one_without_a_call(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    result = gateway.query("{ a: student(hubmisId: 0) { id } b: student(hubmisId: -5) { id } "
                           "c: staffMember(hubmisId: 0) { id } }")
    assert result == {"data": {"a": None, "b": None, "c": None}}
    by_id = sandbox.requests("hubmis")["by_route"]
    assert by_id.get("GET /api/v1/students/{id}", 0) == by_id.get("GET /api/v1/staff/{id}", 0) == 0


def test_a_student_by_hubmis_id_asks_the_other_vendors_only_for_fields_that_need_them(
        gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    person = world().people[linked_student()]
    result = gateway.query("query($h: Int) { student(hubmisId: $h) { hubmisId hubmis { id } } }",
                           {"h": person.hubmis_id})
    assert result == {"data": {"student": {"hubmisId": person.hubmis_id, "hubmis": {"id": person.hubmis_id}}}}
    assert sandbox.requests("stellic")["total"] == 0  # HUBmis' record is the person: no presence checks elsewhere
    assert sandbox.requests("dartmouth")["by_route"].get("GET /api/students/{netid}", 0) == 0
    linked = gateway.query("query($h: Int) { student(hubmisId: $h) { netid stellicUsername } }",
                           {"h": person.hubmis_id})["data"]["student"]
    assert linked == {"netid": person.key, "stellicUsername": person.key}  # asked for, they are looked up


def test_a_student_by_hubmis_id_costs_hubmis_no_call_when_the_index_answers(
        gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """HUBmis allows one call per 5 s once its burst is spent: the index, built from its list, answers which person
    a HUBmis id is; the record is read only for a field that needs it, and an id the index lacks is asked."""
    person = sorted((p for p in world().students(HUBMIS) if DARTMOUTH in p.vendors and not p.ferpa),
                    key=lambda p: p.hubmis_id or 0)[-4]  # near the end of the list: no other test reads it
    result = gateway.query("query($h: Int) { student(hubmisId: $h) { id hubmisId stellicUsername } }",
                           {"h": person.hubmis_id})["data"]["student"]
    assert result == {"id": encode_id("Student", person.key), "hubmisId": person.hubmis_id,
                      "stellicUsername": person.key if STELLIC in person.vendors else None}
    assert sandbox.requests("hubmis")["total"] == 0
    named = gateway.query("query($h: Int) { student(hubmisId: $h) { hubmis { dateOfBirth } } }",
                          {"h": person.hubmis_id})["data"]["student"]
    assert named == {"hubmis": {"dateOfBirth": person.date_of_birth.isoformat()}}
    assert sandbox.requests("hubmis")["by_route"] == {"GET /api/v1/students/{id}": 1}
    assert gateway.query("{ student(hubmisId: 99999) { id } }")["data"]["student"] is None
    assert sandbox.requests("hubmis")["by_route"] == {"GET /api/v1/students/{id}": 2}  # not listed: asked


def test_exactly_one_key_is_required(gateway: GatewayProcess) -> None:
    result = gateway.query("{ student { netid } }")
    assert result["data"]["student"] is None
    assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    bad = gateway.query('{ node(id: "not-an-id") { id } }')
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_the_key_error_names_the_arguments_as_graphql_spells_them(gateway: GatewayProcess) -> None:
    both = gateway.query('{ student(netid: "d59951y", hubmisId: 1) { netid } }')
    assert both["errors"][0]["message"] == "give exactly one of id, netid, stellicUsername, hubmisId"
    staff = gateway.query("{ staffMember { netid } }")
    assert staff["errors"][0]["message"] == "give exactly one of id, netid, hubmisId"


def test_stellic_audit_and_planner_and_a_refused_filter(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    result = gateway.query("""{ student(stellicUsername: "sstanton") { stellic {
        engagementScore audit(courseFilter: "registered", property: "progress")
        futureCourses(courseFilter: "all") } } }""")
    stellic = result["data"]["student"]["stellic"]
    assert "errors" not in result, result.get("errors")
    assert stellic["engagementScore"] == 5  # seed 000's CSV row "sstanton, 11, 5"
    assert "counts_for" in stellic["audit"] and isinstance(stellic["futureCourses"], list)
    before = sandbox.requests("stellic")["total"]
    bad = gateway.query('{ student(stellicUsername: "sstanton") { stellic { '
                        'audit(courseFilter: "x", property: "progress") } } }')
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert sandbox.requests("stellic")["total"] == before  # refused before any call


def test_a_key_in_another_case_is_the_same_person(gateway: GatewayProcess) -> None:
    netid = linked_student()
    person = gateway.query(PERSON, {"netid": netid})["data"]["student"]
    for variables in ({"netid": netid.upper()}, {"username": netid.upper()}):
        assert gateway.query(PERSON, variables)["data"]["student"] == person  # one global id, all three sources



def test_a_key_with_surrounding_whitespace_is_the_same_person(gateway: GatewayProcess) -> None:
    """A key pasted with a space or a line end around it (from a spreadsheet, a CSV) was sent to Dartmouth as it
    came, found no one and answered null; the crosswalk takes it as it takes every key: one person, one global id."""
    netid = linked_student()
    person = gateway.query(PERSON, {"netid": netid})["data"]["student"]
    for variables in ({"netid": f" {netid}"}, {"netid": f"{netid.upper()}\n"}, {"username": f"\t{netid} "},
                      {"id": f" {netid} "}):
        assert gateway.query(PERSON, variables)["data"]["student"] == person, variables
    staff = "query($n: String) { staffMember(netid: $n) { id netid hubmisId } }"
    ben = gateway.query(staff, {"n": "st5466x"})["data"]["staffMember"]
    assert ben is not None and gateway.query(staff, {"n": " ST5466X\n"})["data"]["staffMember"] == ben

def test_a_key_that_is_not_one_path_segment_reaches_no_other_route(gateway: GatewayProcess,
                                                                   sandbox: SandboxProcess) -> None:
    netid = linked_student()
    for key in (f"{netid}/terms", f"../people/{netid}", "..", "."):
        result = gateway.query(PERSON, {"netid": key})
        assert result == {"data": {"student": None}}, (key, result)
    routes = {r["route"] for r in sandbox.requests("dartmouth")["requests"]}
    assert routes <= {"GET /api/students/{netid}", "GET /api/people/{netid}", "POST /api/jwt"}, routes
    assert "UNMATCHED" not in routes


def test_another_types_global_id_is_refused_without_a_call(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    staff_id = gateway.query("{ staff(first: 1) { edges { node { id } } } }")["data"]["staff"]["edges"][0]["node"]["id"]
    student_id = gateway.query(PERSON, {"netid": linked_student()})["data"]["student"]["id"]
    sandbox.reset("dartmouth")
    for query, variables in ((PERSON, {"id": staff_id}),
                             ("query($id: ID!) { section(id: $id) { code } }", {"id": student_id})):
        result = gateway.query(query, variables)
        (error,) = result["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT" and "not a" in error["message"], result
    assert sandbox.requests("dartmouth")["total"] == 0


def test_a_filter_the_source_cannot_apply_is_refused(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    sandbox.reset()
    for source, fields in (("DARTMOUTH", '{search: "Olivia"}'), ("HUBMIS", '{classYear: "27"}'),
                           ("STELLIC", '{statusCode: "AS"}')):
        result = gateway.query(f"{{ students(source: {source}, filter: {fields}, first: 5) "
                               "{ edges { node { id } } } }")
        (error,) = result["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT" and "applies to source" in error["message"], result
    bogus = gateway.query('{ students(source: HUBMIS, filter: {statusCode: "bogus"}) { edges { node { id } } } }')
    assert bogus["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", bogus  # HUBmis would refuse it
    assert "current, past, applicant" in bogus["errors"][0]["message"]
    assert all(sandbox.requests(v)["total"] == 0 for v in ("dartmouth", "hubmis", "stellic"))
    both = gateway.query('{ students(source: HUBMIS, filter: {statusCode: "current", search: "a"}, first: 2) '
                         "{ edges { node { id } } } }")
    assert "errors" not in both, both


def test_a_dartmouth_status_or_school_outside_its_value_lists_is_refused(gateway: GatewayProcess,
                                                                        sandbox: SandboxProcess) -> None:
    """Dartmouth answers an unknown student_status_id with an empty page: "no such status" must not read as
    "no such students". Its value lists say which ids exist; read once, then cached."""
    for name, value in (("statusCode", "ZZ"), ("schoolId", "NOPE")):
        result = gateway.query("query($f: StudentFilter) { students(filter: $f, first: 2) { totalCount } }",
                               {"f": {name: value}})
        (error,) = result["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT" and error["extensions"]["argument"] == "filter", result
        assert f"filter.{name}" in error["message"] and "for DARTMOUTH must be one of" in error["message"], error
    assert "AS" in gateway.query('{ students(filter: {statusCode: "ZZ"}) { totalCount } }')["errors"][0]["message"]
    sandbox.reset("dartmouth")
    known = gateway.query('{ students(filter: {statusCode: "AS", schoolId: "UG"}, first: 2) { totalCount '
                          "edges { node { statusCode schoolId } } } }")
    assert "errors" not in known and known["data"]["students"]["totalCount"] > 0, known
    assert all(e["node"] == {"statusCode": "AS", "schoolId": "UG"} for e in known["data"]["students"]["edges"])
    routes = sandbox.requests("dartmouth")["by_route"]
    assert "GET /api/student_statuses" not in routes and "GET /api/schools" not in routes, routes  # cached


def test_a_class_year_of_four_digits_is_sent_as_dartmouths_two(gateway: GatewayProcess) -> None:
    """Dartmouth writes class years in two digits (or TH, seed 003) and answered "2027" with an empty page, which read
    as "no such students"; its comparison and wildcard syntax works around either form."""
    query = ("query($y: String) { students(filter: {classYear: $y}, first: 3) { totalCount "
             "edges { node { classYear } } } }")
    two, four = gateway.query(query, {"y": "27"}), gateway.query(query, {"y": "2027"})
    assert "errors" not in two and two["data"]["students"]["totalCount"] > 0, two
    assert four == two
    count = "query($y: String) { students(filter: {classYear: $y}) { totalCount } }"
    found = {y: gateway.query(count, {"y": y})["data"]["students"]["totalCount"]
             for y in (">=27", ">=2027", "2*", "TH")}
    assert found[">=27"] == found[">=2027"] >= two["data"]["students"]["totalCount"] and found["2*"] > 0, found
    thayer = gateway.query("{ students(filter: {classYear: \"TH\"}, first: 100) { totalCount "
                           "edges { node { classYear schoolId } } } }")["data"]["students"]
    assert found["TH"] == thayer["totalCount"] == len(thayer["edges"]) > 0, thayer  # seed 003's Thayer student
    assert all(e["node"] == {"classYear": "TH", "schoolId": "TH"} for e in thayer["edges"]), thayer


def test_the_students_description_names_every_source_it_accepts(gateway: GatewayProcess) -> None:
    """students(source: STELLIC) lists Stellic's engagement export: the description GraphiQL shows must say so."""
    listed = gateway.query("{ students(source: STELLIC, first: 1) { totalCount } }")
    assert "errors" not in listed and listed["data"]["students"]["totalCount"], listed
    fields = gateway.query('{ __type(name: "Query") { fields { name description } } }')["data"]["__type"]["fields"]
    description = next(f["description"] for f in fields if f["name"] == "students")
    assert all(vendor in description for vendor in ("Dartmouth", "HUBmis", "Stellic")), description


def test_hubmis_tutor_group_comes_from_the_academic_structure(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    # The HUBmis student record carries form, year group and houses but no tutor group: that is in the student's
    # academic structure. Seed student 56 sits at rank 0 of Year 9, so in tutor group TG09X (98).
    result = gateway.query("{ student(hubmisId: 56) { hubmis { form { id } tutorGroup { id name code } } } }")
    assert "errors" not in result, result.get("errors")
    assert result["data"]["student"]["hubmis"] == {
        "form": {"id": 93}, "tutorGroup": {"id": 98, "name": "Year 9 Tutor Group X", "code": "TG09X"}}
    assert sandbox.requests("hubmis")["by_route"].get("GET /api/v1/students/{id}/academic-structure") == 1


def test_active_only_null_is_false_as_when_left_out(gateway: GatewayProcess) -> None:
    """The sketch's `activeOnly: Boolean = false`: an explicit null reads every enrollment, as leaving it out does."""
    result = gateway.query("""query($netid: String!, $active: Boolean) { student(netid: $netid) {
        given: enrollments(activeOnly: $active) { id } all: enrollments { id }
        active: enrollments(activeOnly: true) { id } } }""", {"netid": linked_student(), "active": None})
    assert "errors" not in result, result["errors"]
    student = result["data"]["student"]
    assert student["given"] == student["all"] and len(student["all"]) > len(student["active"])


def test_the_seed_students_advisors_are_people(gateway: GatewayProcess) -> None:
    """Seed 003's sample record names two advisors; Dartmouth knows them as people (the README's first example)."""
    result = gateway.query('{ student(netid: "d59951y") { advisors { isPrimary type staff { netid firstName '
                           'lastName email } } } }')
    assert "errors" not in result, result["errors"]
    advisors = {a["staff"]["netid"]: a for a in result["data"]["student"]["advisors"]}
    assert set(advisors) == {"d29054k", "d13279t"} and advisors["d13279t"]["isPrimary"]
    assert advisors["d29054k"]["staff"]["lastName"] == "Ellery" and advisors["d29054k"]["staff"]["email"]


def test_hubmis_attendance_between_two_instants(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    query = """query($from: DateTime!, $to: DateTime!) { student(hubmisId: 56) { hubmis {
        attendance(from: $from, to: $to) { date session code present } } } }"""
    year = gateway.query(query, {"from": "2000-01-01T00:00:00Z", "to": "2100-01-01T00:00:00Z"})
    assert "errors" not in year, year["errors"]
    marks = year["data"]["student"]["hubmis"]["attendance"]
    assert marks and {m["session"] for m in marks} == {"am", "pm"} and all(m["code"] for m in marks)
    last_day = max(m["date"] for m in marks)
    # A naive instant is UTC, as the HUBmis client sends it: the last day alone.
    day = gateway.query(query, {"from": f"{last_day}T00:00:00", "to": f"{last_day}T23:59:59Z"})
    assert "errors" not in day, day["errors"]
    assert {m["date"] for m in day["data"]["student"]["hubmis"]["attendance"]} == {last_day}

    before = sandbox.requests("hubmis")["by_route"].get("GET /api/v1/students/{id}/attendance", 0)
    backwards = gateway.query(query, {"from": "2100-01-01T00:00:00Z", "to": f"{last_day}T00:00:00"})
    error = backwards["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and "after" in error["message"]
    assert backwards["data"]["student"]["hubmis"]["attendance"] is None
    assert sandbox.requests("hubmis")["by_route"].get("GET /api/v1/students/{id}/attendance", 0) == before


def test_hubmis_attendance_from_the_first_year_is_sent_as_iso_8601(gateway: GatewayProcess) -> None:
    """"All the attendance there is" reads from 0001-01-01: a four-digit year, as ISO 8601 wants it (strftime's
    %Y writes "1-01-01", which HUBmis refuses with 422 and the caller got as VENDOR_BAD_REQUEST)."""
    query = """query($from: DateTime!, $to: DateTime!) { student(hubmisId: 56) { hubmis {
        attendance(from: $from, to: $to) { date } } } }"""
    bounded = gateway.query(query, {"from": "2000-01-01T00:00:00Z", "to": "2100-01-01T00:00:00Z"})
    everything = gateway.query(query, {"from": "0001-01-01T00:00:00Z", "to": "9999-12-31T23:59:59Z"})
    assert "errors" not in everything, everything["errors"]
    assert everything["data"] == bounded["data"] and bounded["data"]["student"]["hubmis"]["attendance"]


def test_hubmis_attendance_bounds_outside_utcs_calendar_are_bad_user_input(gateway: GatewayProcess,
                                                                          sandbox: SandboxProcess) -> None:
    """An offset that takes a bound before year 1 or after year 9999 in UTC has no UTC instant to send: refused
    before the call as the argument it is, not an INTERNAL_ERROR."""
    query = """query($from: DateTime!, $to: DateTime!) { student(hubmisId: 56) { hubmis {
        attendance(from: $from, to: $to) { date } } } }"""
    gateway.query(query, {"from": "2000-01-01T00:00:00Z", "to": "2100-01-01T00:00:00Z"})
    before = sandbox.requests("hubmis")["by_route"].get("GET /api/v1/students/{id}/attendance", 0)
    for bounds, argument in (({"from": "0001-01-01T00:00:00+05:00", "to": "2026-01-01T00:00:00Z"}, "from"),
                             ({"from": "2026-01-01T00:00:00Z", "to": "9999-12-31T23:00:00-05:00"}, "to")):
        result = gateway.query(query, bounds)
        (error,) = result["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT", error
        assert error["extensions"]["argument"] == argument and result["data"]["student"]["hubmis"]["attendance"] is None
    assert sandbox.requests("hubmis")["by_route"].get("GET /api/v1/students/{id}/attendance", 0) == before


def test_a_hubmis_key_in_a_global_id_is_that_hubmis_record_or_no_one(gateway: GatewayProcess) -> None:
    """``hubmis:{id}`` is the key of a HUBmis record without an external_id: node(id:) finds that record, an id
    HUBmis lacks is null (not an empty student), and a suffix that is no id is BAD_USER_INPUT (not a crash)."""
    node = "query($id: ID!) { node(id: $id) { id ... on Student { hubmisId lastName } ... on Staff { hubmisId } } }"
    miles = gateway.query(node, {"id": encode_id("Student", "hubmis:56")})
    assert miles["data"]["node"] == {"id": encode_id("Student", "mx99328"), "hubmisId": 56, "lastName": "Whyde"}
    assert gateway.query(node, {"id": encode_id("Student", "hubmis:99999")}) == {"data": {"node": None}}
    assert gateway.query(PERSON, {"netid": "hubmis:56"}) == {"data": {"student": None}}
    for type_name in ("Student", "Staff"):
        result = gateway.query(node, {"id": encode_id(type_name, "hubmis:abc")})
        (error,) = result["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT", result
