"""Sections, rosters, enrollments, holds, terms, hold types, staff and node(id) through the real gateway."""

from __future__ import annotations

from tests.gateway.test_students import world
from tests.gatewayproc import GatewayProcess
from tests.sandboxproc import SandboxProcess


def current_term() -> str:
    return world().current_term.code


def biggest_section() -> str:
    return max((s for s in world().sections.values() if s.term.offset == 0), key=lambda s: s.enrolled).id


def test_a_section_with_seats_timings_and_a_paged_roster(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    section_id = biggest_section()
    expected = world().sections[section_id]
    query = """query($id: ID!, $after: String) { section(id: $id) {
        id sources { vendor id } code crn name course term { id name currentTermOffset }
        seats { maxEnrollment enrolled available }
        timings { day start end building room } instructors { netid lastName }
        enrollments(first: 50, after: $after) { totalCount pageInfo { hasNextPage endCursor }
            edges { node { role student { netid } } } } } }"""
    first = gateway.query(query, {"id": section_id})
    assert "errors" not in first, first.get("errors")
    section = first["data"]["section"]
    assert section["crn"] == expected.crn and section["course"] == expected.course.code
    # Only Dartmouth's record: the CRN is not Stellic's id for the section, and Stellic's own cannot be read.
    assert section["sources"] == [{"vendor": "DARTMOUTH", "id": section_id}]
    assert section["term"]["id"] == current_term() and section["term"]["name"] == expected.term.name
    assert section["seats"]["enrolled"] == expected.enrolled
    assert {t["day"] for t in section["timings"]} == {t.day for t in expected.timings}
    assert [i["netid"] for i in section["instructors"]] == [expected.instructor_key]
    roster = section["enrollments"]
    assert roster["totalCount"] == expected.enrolled + 1  # the instructor's enrollment too
    second = gateway.query(query, {"id": section_id, "after": roster["pageInfo"]["endCursor"]})
    rows = [e["node"] for page in (first, second) for e in page["data"]["section"]["enrollments"]["edges"]]
    people = [r["student"]["netid"] for r in rows if r["role"] == "student"]
    assert len(rows) == 100 and len(set(people)) == len(people)
    # An instructor's row is not a student: Dartmouth has no student record for them.
    assert all(r["student"] is None for r in rows if r["role"] == "instructor")
    # the same section by its global id
    again = gateway.query("query($id: ID!) { node(id: $id) { ... on Section { crn } } }", {"id": section["id"]})
    assert again["data"]["node"]["crn"] == expected.crn


def test_sections_of_a_term_filtered_and_paged(gateway: GatewayProcess) -> None:
    result = gateway.query("""query($t: String!) { sections(term: $t, filter: {subject: "MATH"}, first: 3) {
        totalCount edges { node { code term { id } } } } }""", {"t": current_term()})
    connection = result["data"]["sections"]
    expected = [s for s in world().sections.values() if s.term.offset == 0 and s.course.subject == "MATH"]
    assert connection["totalCount"] == len(expected)
    assert all(e["node"]["code"].startswith("MATH ") and e["node"]["term"]["id"] == current_term()
               for e in connection["edges"])


def test_seed_enrollment_with_grade_and_assessment(gateway: GatewayProcess) -> None:
    result = gateway.query("""{ enrollment(id: "AAAS.010.01-202001-U-10188-f002qt1-student") {
        id role finalGrade isActive courseAssessment { submitDate optOutDate } term { id }
        student { netid } section { code crn } } }""")
    enrollment = result["data"]["enrollment"]
    assert enrollment["role"] == "student" and enrollment["term"]["id"] == "202001"
    assert enrollment["student"] == {"netid": "f002qt1"} and enrollment["section"]["crn"] == "10188"
    assert enrollment["finalGrade"] == "A"


def test_holds_terms_and_hold_types(gateway: GatewayProcess) -> None:
    holder = next(h for h in world().holds.values() if "dartmouth" in world().people[h.person_key].vendors)
    result = gateway.query("""query($n: String) {
        student(netid: $n) { holds { id code note type { id description } student { netid } } }
        holdTypes { id description category resolution resolutionUrl }
        terms(currentTermOffset: 0) { id name currentTermOffset } }""", {"n": holder.person_key})
    holds = result["data"]["student"]["holds"]
    assert holder.hold_type.code in {h["code"] for h in holds}
    assert all(h["student"] == {"netid": holder.person_key} for h in holds)
    assert {t["id"] for t in result["data"]["holdTypes"]} == set(world().hold_types)
    assert result["data"]["terms"] == [{"id": current_term(), "name": world().current_term.name,
                                        "currentTermOffset": 0}]
    node = gateway.query("query($id: ID!) { node(id: $id) { ... on Hold { code } } }", {"id": holds[0]["id"]})
    assert node["data"]["node"]["code"] == holds[0]["code"]


def test_a_term_has_its_offset_wherever_it_is_reached(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    # A section's or an enrollment's term reference carries no current_term_offset; the Term must still give
    # the one terms() gives for the same term id.
    next_term = next(s for s in world().sections.values() if s.term.offset == 1)
    result = gateway.query("""query($now: ID!, $next: ID!) {
        now: section(id: $now) { term { id currentTermOffset } }
        next: section(id: $next) { term { id currentTermOffset } }
        enrollment(id: "AAAS.010.01-202001-U-10188-f002qt1-student") { term { id currentTermOffset } }
        terms { id currentTermOffset } }""", {"now": biggest_section(), "next": next_term.id})
    assert "errors" not in result, result.get("errors")
    data, offsets = result["data"], {t["id"]: t["currentTermOffset"] for t in result["data"]["terms"]}
    assert data["now"]["term"] == {"id": current_term(), "currentTermOffset": 0}
    assert data["next"]["term"]["currentTermOffset"] == 1
    old = data["enrollment"]["term"]
    assert old["id"] == "202001" and old["currentTermOffset"] == offsets["202001"] < 0
    # Three terms looked up, and the root field's list: Dartmouth's terms read once for the request.
    assert sandbox.requests("dartmouth")["by_route"]["GET /api/academic/terms"] == 1


def test_a_holds_type_is_the_one_holdtypes_lists(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    # The hold payload names its type by code only; its category and resolution are Dartmouth's hold types,
    # read only when a query asks for the type.
    holder = next(h for h in world().holds.values() if "dartmouth" in world().people[h.person_key].vendors)
    gateway.query("query($n: String) { student(netid: $n) { holds { id code } } }", {"n": holder.person_key})
    assert not any("hold_types" in route for route in sandbox.requests("dartmouth")["by_route"])
    fields = "id name description category resolution resolutionUrl"
    result = gateway.query("query($n: String) { student(netid: $n) { holds { id code type { " + fields + " } } } "
                           "holdTypes { " + fields + " } }", {"n": holder.person_key})
    assert "errors" not in result, result.get("errors")
    listed = {t["id"]: t for t in result["data"]["holdTypes"]}
    holds = result["data"]["student"]["holds"]
    assert holds and all(h["type"] == listed[h["code"]] for h in holds)
    assert all(h["type"]["category"] and h["type"]["resolution"] for h in holds)
    assert {t["id"]: t["name"] for t in listed.values()} == {
        code: t.short_description for code, t in world().hold_types.items()}
    node = gateway.query("query($id: ID!) { node(id: $id) { ... on Hold { type { " + fields + " } } } }",
                         {"id": holds[0]["id"]})
    assert node["data"]["node"]["type"] == holds[0]["type"]


def test_staff_directory_and_a_staff_member(gateway: GatewayProcess) -> None:
    page = gateway.query("{ staff(first: 5) { edges { node { id netid hubmisId firstName lastName jobTitle } } } }")
    nodes = [e["node"] for e in page["data"]["staff"]["edges"]]
    assert len(nodes) == 5 and all(n["hubmisId"] and n["lastName"] for n in nodes)
    kakistos = gateway.query("{ staffMember(hubmisId: 12) { externalId firstName lastName sources { vendor } } }")
    assert kakistos["data"]["staffMember"] == {"externalId": "ST5466X", "firstName": "Benjamin",
                                               "lastName": "Kakistos", "sources": [{"vendor": "HUBMIS"}]}
    teacher = next(p for p in world().staff() if {"dartmouth", "hubmis"} <= p.vendors)
    by_netid = gateway.query("query($n: String) { staffMember(netid: $n) { hubmisId lastName sections { code } } }",
                             {"n": teacher.key})["data"]["staffMember"]
    assert by_netid["hubmisId"] == teacher.hubmis_id and by_netid["lastName"] == teacher.last_name
    taught = {s.id for s in world().sections.values() if s.instructor_key == teacher.key and s.term.offset in (0, 1)}
    assert len(by_netid["sections"]) == len(taught)


def test_a_section_instructor_is_the_staff_member_staffmember_gives(gateway: GatewayProcess) -> None:
    # The same global id must carry the same fields wherever the object is reached: an instructor known to
    # HUBmis staff too has its HUBmis id, job title and departments under Section.instructors as well.
    section = next(s for s in world().sections.values() if s.term.offset == 0
                   and {"dartmouth", "hubmis"} <= world().people[s.instructor_key].vendors)
    fields = "id netid hubmisId sources { vendor id } firstName lastName jobTitle status departments"
    listed = gateway.query("query($id: ID!) { section(id: $id) { instructors { " + fields + " } } }",
                           {"id": section.id})
    assert "errors" not in listed, listed.get("errors")
    direct = gateway.query("query($n: String) { staffMember(netid: $n) { " + fields + " } }",
                           {"n": section.instructor_key})["data"]["staffMember"]
    assert direct["hubmisId"] == world().people[section.instructor_key].hubmis_id and direct["jobTitle"]
    assert listed["data"]["section"]["instructors"] == [direct]



def test_a_staff_member_hubmis_lacks_has_no_hubmis_external_id(gateway: GatewayProcess) -> None:
    """Seed 003's advisor d29054k is a Dartmouth person only: externalId is HUBmis' word, so it is null."""
    result = gateway.query('{ staffMember(netid: "d29054k") { netid hubmisId externalId sources { vendor } } }')
    assert result == {"data": {"staffMember": {"netid": "d29054k", "hubmisId": None, "externalId": None,
                                               "sources": [{"vendor": "DARTMOUTH"}]}}}


def test_a_staff_netid_in_another_case_is_the_same_staff_member(gateway: GatewayProcess) -> None:
    """Keys compare ignoring case (CAMPUSGRAPH_CROSSWALK_CASE_INSENSITIVE): a Dartmouth-only staff member asked
    by an upper-case netid is the same person, with the same global id, not null (Dartmouth's people route is
    case-sensitive, so the key must be taken in lower case before it is asked)."""
    query = "query($n: String) { staffMember(netid: $n) { id netid lastName sources { vendor id } } }"
    lower = gateway.query(query, {"n": "d29054k"})["data"]["staffMember"]
    assert lower is not None and lower["netid"] == "d29054k"
    assert gateway.query(query, {"n": "D29054K"}) == {"data": {"staffMember": lower}}


def test_a_hubmis_only_staff_member_has_the_netid_the_crosswalk_rules_give(gateway: GatewayProcess) -> None:
    """HUBmis staff 12 (ST5466X, seed 002) is known to HUBmis only. Their key is taken as every key is (lower case
    by default), so staffMember(netid:), node(id:) and the staff list all give the same netid and global id;
    externalId stays HUBmis' own spelling."""
    fields = "id netid hubmisId externalId lastName"
    by_id = gateway.query("{ staffMember(hubmisId: 12) { " + fields + " } }")["data"]["staffMember"]
    assert by_id["netid"] == "st5466x" and by_id["externalId"] == "ST5466X" and by_id["lastName"] == "Kakistos"
    query = "query($n: String) { staffMember(netid: $n) { " + fields + " } }"
    assert gateway.query(query, {"n": by_id["netid"]})["data"]["staffMember"] == by_id
    assert gateway.query(query, {"n": "ST5466X"})["data"]["staffMember"] == by_id
    node = gateway.query("query($id: ID!) { node(id: $id) { ... on Staff { " + fields + " } } }", {"id": by_id["id"]})
    assert node["data"]["node"] == by_id
    listed = gateway.query("{ staff(first: 100) { edges { node { " + fields + " } } } }")["data"]["staff"]["edges"]
    assert [e["node"] for e in listed if e["node"]["hubmisId"] == 12] == [by_id]


def test_staff_sections_do_not_ask_dartmouth_of_someone_it_is_known_not_to_have(
        gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """Once Dartmouth has said it has no such person (its 404 is still cached), a HUBmis-only staff member's
    sections are none without asking Dartmouth for them; a staff member in both vendors still gets theirs."""
    query = "query($n: String) { staffMember(netid: $n) { netid sources { vendor } } }"
    known = gateway.query(query, {"n": "ST5466X"})["data"]["staffMember"]
    assert known == {"netid": "st5466x", "sources": [{"vendor": "HUBMIS"}]}
    before = sandbox.requests("dartmouth")["total"]
    sections = "query($n: String) { staffMember(netid: $n) { sections { code } } }"
    assert gateway.query(sections, {"n": "st5466x"}) == {"data": {"staffMember": {"sections": []}}}
    assert gateway.query("{ staffMember(hubmisId: 12) { sections { code } } }") == {
        "data": {"staffMember": {"sections": []}}}
    assert sandbox.requests("dartmouth")["total"] == before
    teacher = next(p for p in world().staff() if {"dartmouth", "hubmis"} <= p.vendors and any(
        s.instructor_key == p.key and s.term.offset in (0, 1) for s in world().sections.values()))
    assert gateway.query(query, {"n": teacher.key})["data"]["staffMember"]["sources"] == [
        {"vendor": "DARTMOUTH"}, {"vendor": "HUBMIS"}]
    taught = {s.id for s in world().sections.values() if s.instructor_key == teacher.key and s.term.offset in (0, 1)}
    assert len(gateway.query(sections, {"n": teacher.key})["data"]["staffMember"]["sections"]) == len(taught)


def test_a_staff_member_hubmis_lacks_has_dartmouths_title_and_department(gateway: GatewayProcess) -> None:
    """Seed 003's advisors are Dartmouth people only; Dartmouth's title and department_class fill jobTitle and
    departments, as its names fill firstName and lastName. A student is no member of staff."""
    result = gateway.query('{ student(netid: "d59951y") { advisors { staff { netid jobTitle departments } } } '
                           'asStaff: staffMember(netid: "d59951y") { jobTitle departments } }')
    assert "errors" not in result, result["errors"]
    staff = {a["staff"]["netid"]: a["staff"] for a in result["data"]["student"]["advisors"]}
    assert staff["d29054k"] == {"netid": "d29054k", "jobTitle": "Undergraduate Class Dean",
                                "departments": ["African and African American Studies"]}
    assert staff["d13279t"]["jobTitle"] == "Professor of African and African American Studies"
    assert result["data"]["asStaff"] is None


def test_a_staff_status_hubmis_does_not_know_is_refused_before_a_call(gateway: GatewayProcess,
                                                                     sandbox: SandboxProcess) -> None:
    sandbox.reset("hubmis")
    result = gateway.query('{ staff(filter: {status: "bogus"}) { edges { node { id } } } }')
    (error,) = result["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and "current, past" in error["message"], result
    assert sandbox.requests("hubmis")["total"] == 0
    past = gateway.query('{ staff(filter: {status: "current"}, first: 3) { edges { node { status } } } }')
    assert {e["node"]["status"] for e in past["data"]["staff"]["edges"]} == {"current"}

def test_vendors_health_and_graphiql(gateway: GatewayProcess) -> None:
    result = gateway.query("{ vendors { vendor sessionOpen credentialsReady circuit } }")
    assert {(v["vendor"], v["circuit"]) for v in result["data"]["vendors"]} == {
        ("STELLIC", "closed"), ("HUBMIS", "closed"), ("DARTMOUTH", "closed")}
    import httpx

    page = httpx.get(f"{gateway.url}/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()


def test_graphiql_says_where_its_scripts_come_from_until_they_run(gateway: GatewayProcess) -> None:
    """GraphiQL's scripts come from unpkg.com: a browser that cannot reach it was left on "Loading..." for ever.
    The placeholder the scripts replace says why it may stay, and what to do instead."""
    import httpx

    page = httpx.get(f"{gateway.url}/graphql", headers={"Accept": "text/html"}).text
    assert 'src="https://unpkg.com/graphiql@' in page  # where the scripts come from: the README says so too
    placeholder = page.split('<div id="graphiql" class="graphiql-container">')[1].split("</div>")[0]
    assert "unpkg.com" in placeholder and "curl" in placeholder, placeholder


def test_graphiql_opens_on_a_campusgraph_query_that_runs(gateway: GatewayProcess) -> None:
    import httpx

    page = httpx.get(f"{gateway.url}/graphql", headers={"Accept": "text/html"}).text
    welcome = page.split("const EXAMPLE_QUERY = `")[1].split("`;")[0]
    assert "Welcome to GraphiQL" not in page and "Dartmouth, HUBmis and Stellic" in welcome
    result = gateway.query(welcome)
    assert "errors" not in result and result["data"]["student"]["netid"] == "d59951y", result
    assert {s["vendor"] for s in result["data"]["student"]["sources"]} == {"DARTMOUTH", "STELLIC"}


def test_the_rate_budget_left_is_a_whole_number_of_requests(gateway: GatewayProcess) -> None:
    """HUBmis' bucket refills continuously, so its tokens are fractional (487.3); requests left are whole (487),
    as the field's type says, in /readyz and /metrics alike."""
    import httpx

    gateway.query("{ student(hubmisId: 56) { lastName } }")  # spends a token of a cold cache's HUBmis budget
    result = gateway.query("""{ vendors { vendor rateRemaining }
        __type(name: "VendorStatus") { fields { name type { name } } } }""")
    left = {v["vendor"]: v["rateRemaining"] for v in result["data"]["vendors"]}
    assert type(left["HUBMIS"]) is int and 0 <= left["HUBMIS"] < 500, left  # not 499.87 or 500.0
    assert left["STELLIC"] is None and left["DARTMOUTH"] is None  # no client-side budget
    assert {"name": "rateRemaining", "type": {"name": "Int"}} in result["data"]["__type"]["fields"]
    ready = httpx.get(f"{gateway.url}/readyz", timeout=10).json()
    (hubmis,) = [v for v in ready["vendors"] if v["vendor"] == "hubmis"]
    assert type(hubmis["rate_remaining"]) is int, hubmis


def test_a_rosters_students_advisors_sections_are_not_too_deep(gateway: GatewayProcess) -> None:
    """Eight object levels, two of them a connection's edges and node: under the default depth limit of 10."""
    result = gateway.query("""query($id: ID!) { section(id: $id) { enrollments(first: 3) { edges { node {
        student { netid advisors { staff { netid sections { code } } } } } } } } }""", {"id": biggest_section()})
    assert "errors" not in result, result["errors"]
    students = [e["node"]["student"] for e in result["data"]["section"]["enrollments"]["edges"]]
    assert any(s and s["advisors"] and s["advisors"][0]["staff"]["sections"] is not None for s in students)


def test_a_students_netid_is_no_staff_member(gateway: GatewayProcess) -> None:
    """Dartmouth people lists students too: only a person with another affiliation (Faculty, Employee) is staff."""
    from tests.gateway.test_students import linked_student
    query = "query($netid: String!) { staffMember(netid: $netid) { netid lastName } }"
    assert gateway.query(query, {"netid": linked_student()}) == {"data": {"staffMember": None}}
    advisor = world().people[world().people[linked_student()].advisor_keys[0]]
    assert gateway.query(query, {"netid": advisor.key})["data"]["staffMember"] == {
        "netid": advisor.key, "lastName": advisor.last_name}
