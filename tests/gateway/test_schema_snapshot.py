"""The public schema changes only on purpose: `campusgraph schema` must equal the committed snapshot.

After an intended change: `.venv/bin/campusgraph schema > schema/schema.graphql` and commit it.
"""

from __future__ import annotations

import difflib
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    NamedTypeNode,
    Visitor,
    build_schema,
    parse,
    visit,
)

from resolvers.mapping.people import _DARTMOUTH_STATUS, _HUBMIS_STATUS
from resolvers.permissions import FIELD_SCOPES
from tests.gatewayproc import GatewayProcess

SNAPSHOT = Path(__file__).parents[2] / "schema" / "schema.graphql"


def test_schema_matches_the_committed_snapshot() -> None:
    printed = subprocess.run([sys.executable, "-m", "gateway.cli", "schema"], capture_output=True, text=True,
                             check=True).stdout
    committed = SNAPSHOT.read_text()
    diff = "".join(difflib.unified_diff(committed.splitlines(True), printed.splitlines(True),
                                        "schema/schema.graphql", "campusgraph schema"))
    assert not diff, f"the schema changed; if on purpose, regenerate the snapshot:\n{diff}"


def test_the_sketchs_root_fields_and_types_are_kept() -> None:
    sdl = SNAPSHOT.read_text()
    # Arguments are printed one a line under their descriptions: compared on the parsed schema, not the text.
    query = build_schema(sdl, assume_valid_sdl=True).query_type
    assert query is not None
    for field, arg, arg_type, field_type in (("node", "id", "ID!", "Node"), ("section", "id", "ID!", "Section"),
                                             ("sections", "term", "String!", "SectionConnection"),
                                             ("enrollment", "id", "ID!", "Enrollment")):
        assert str(query.fields[field].args[arg].type) == arg_type, (field, arg)
        assert str(query.fields[field].type) == field_type, field
    for name in ("student(", "students(", "staffMember(", "staff(", "holdTypes:", "terms(", "vendors:",
                 "type Student implements Node", "type Staff implements Node", "type Section implements Node",
                 "type Enrollment implements Node", "type Hold implements Node", "enum StudentStatus"):
        assert name in sdl, name


SKETCH = Path(__file__).parent / "schema-sketch.graphql"  # a copy of the design sketch the API was built from
# Deliberate departures from the sketch's types, each explained in the README.
# Nullable, so a Dartmouth failure nulls the field, not the student.
DEPARTURES = {"Student.advisors": "[Advisor!]", "Student.status": "StudentStatus",
              # and a root field reading a vendor nulls itself, not the other root fields of the request
              "Query.students": "StudentConnection", "Query.staff": "StaffConnection",
              "Query.sections": "SectionConnection", "Query.holdTypes": "[HoldType!]", "Query.terms": "[Term!]",
              # a HUBmis failure nulls a staff member's departments, not the staff member
              "Staff.departments": "[String!]"}


def _sketch() -> GraphQLSchema:
    """The sketch as a schema; the types it names without defining become placeholders."""
    document = parse(SKETCH.read_text())
    defined = {d.name.value for d in document.definitions if getattr(d, "name", None)}
    used: set[str] = set()

    class Names(Visitor):
        def enter_named_type(self, node: NamedTypeNode, *_: object) -> None:
            used.add(node.name.value)

    visit(document, Names())
    undefined = used - defined - {"String", "Int", "Float", "Boolean", "ID"}
    return build_schema(SKETCH.read_text() + "".join(f"\nscalar {name}" for name in sorted(undefined)),
                        assume_valid=True)


def test_every_field_and_argument_of_the_sketch_keeps_its_type() -> None:
    sketch, ours = _sketch(), build_schema(SNAPSHOT.read_text(), assume_valid_sdl=True)
    differences = []
    for name, sketched in sketch.type_map.items():
        if name.startswith("__") or isinstance(sketched, GraphQLScalarType):
            continue
        built = ours.type_map.get(name)
        assert built is not None, f"type {name} is missing"
        if isinstance(sketched, GraphQLEnumType):
            assert isinstance(built, GraphQLEnumType) and set(sketched.values) <= set(built.values), name
            continue
        assert isinstance(sketched, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType)
        built_fields = built.fields  # type: ignore[union-attr]
        for field_name, field in sketched.fields.items():
            where = f"{name}.{field_name}"
            assert field_name in built_fields, f"{where} is missing"
            own = built_fields[field_name]
            if str(own.type) != DEPARTURES.get(where, str(field.type)):
                differences.append(f"{where}: sketch {field.type}, ours {own.type}")
            for arg_name, arg in getattr(field, "args", {}).items():
                assert arg_name in own.args, f"{where}({arg_name}) is missing"
                if str(own.args[arg_name].type) != str(arg.type):
                    differences.append(f"{where}({arg_name}): sketch {arg.type}, ours {own.args[arg_name].type}")
                if own.args[arg_name].default_value != arg.default_value:
                    differences.append(f"{where}({arg_name}) default: sketch {arg.default_value}, "
                                       f"ours {own.args[arg_name].default_value}")
    assert not differences, "\n".join(differences)


# A field's description names where its value comes from: a vendor, the crosswalk, or the gateway itself.
SOURCE = re.compile(r"Dartmouth|HUBmis|Stellic|crosswalk|gateway")
FEDERATION = {"Query._entities", "Query._service", "_Service.sdl"}


def test_every_field_names_its_source(gateway: GatewayProcess) -> None:
    """GraphiQL shows the descriptions; the README promises each names its vendor, down to the leaves, whether a
    query, a mutation or a subscription reaches it."""
    result = gateway.query("{ __schema { types { name possibleTypes { name } fields { name description "
                           "type { ...T } } } } } fragment T on __Type { name ofType { name ofType { name ofType "
                           "{ name } } } }")
    types = {t["name"]: t for t in result["data"]["__schema"]["types"]}

    def named(type_ref: dict[str, Any]) -> str:
        return type_ref["name"] or named(type_ref["ofType"])

    reached, todo, missing = set(), ["Query", "Mutation", "Subscription"], []
    while todo:
        name = todo.pop()
        if name in reached or not types[name]["fields"]:
            continue
        reached.add(name)
        for field in types[name]["fields"]:
            if f"{name}.{field['name']}" not in FEDERATION:
                todo.append(named(field["type"]))
            if not SOURCE.search(field["description"] or ""):  # federation's fields are described too
                missing.append(f"{name}.{field['name']}")
        todo += [t["name"] for t in types[name]["possibleTypes"] or []]  # node(id:) reaches each Node
    assert {"Student", "Staff", "Section", "Enrollment", "Hold", "HoldType", "Term", "DartmouthStudentRecord",
            "HubmisStudentRecord", "StellicStudentRecord", "Task"} <= reached
    assert {"StellicWritePayload", "StellicBatchPayload", "SectionPayload", "StellicSection", "HoldPayload",
            "RegistrationTime", "ExportPayload", "CourseAssessmentPayload", "UserError"} <= reached
    assert not missing, missing


def test_every_argument_and_input_field_says_what_it_is_and_whose(gateway: GatewayProcess) -> None:
    """GraphiQL's docs showed `student(id, netid, stellicUsername, hubmisId)`, the mutations' arguments and input
    fields such as `PlaceHoldInput.holdCode` with nothing to say which vendor's key or field each is, nor its
    format and limits. Every argument of every field (root, nested, mutation, subscription, federation's
    `_entities`) and every input field now names where it goes: a vendor (and its field), the crosswalk or the
    gateway. Deprecated ones too. (The arguments of Strawberry's federation directives, @key and @link, are the
    federation spec's, not this API's.)"""
    result = gateway.query("{ __schema { types { name fields(includeDeprecated: true) { name "
                           "args(includeDeprecated: true) { name description } } "
                           "inputFields(includeDeprecated: true) { name description } } } }")
    types = [t for t in result["data"]["__schema"]["types"] if not t["name"].startswith("__")]
    described = [f"{t['name']}.{field['name']}({arg['name']}): {arg['description']!r}"
                 for t in types for field in t["fields"] or [] for arg in field["args"]]
    described += [f"{t['name']}.{field['name']}: {field['description']!r}"
                  for t in types for field in t["inputFields"] or []]
    # Not vacuous: the arguments and input fields that had no description before are among those checked.
    for name in ("Query.student(netid)", "Mutation.placeHold(input)", "Mutation.startExport(async)",
                 "Student.enrollments(term)", "HubmisStudentRecord.attendance(from)", "Subscription.taskUpdates(id)",
                 "PlaceHoldInput.holdCode", "StudentProfileInput.firstName", "Query._entities(representations)"):
        assert any(line.startswith(f"{name}:") for line in described), name
    missing = [line for line in described if not SOURCE.search(line.partition(": ")[2])]
    assert not missing, "\n".join(missing)


def test_every_enum_value_says_which_vendor_value_it_is(gateway: GatewayProcess) -> None:
    """GraphiQL's docs pane showed `StudentStatus` as seven bare names: a client could not tell that HUBmis' past
    is LEFT or Dartmouth's GS is ACTIVE without reading the README, nor what Stellic is sent for a `Weekday`. Every
    enum value of the API now says which vendor value it stands for (the federation spec's `link__Purpose` aside),
    and each StudentStatus value names exactly the codes the gateway maps to it."""
    result = gateway.query("{ __schema { types { name enumValues(includeDeprecated: true) { name description } } } }")
    enums = {t["name"]: t["enumValues"] for t in result["data"]["__schema"]["types"]
             if t["enumValues"] and not t["name"].startswith("__") and t["name"] != "link__Purpose"}
    assert {"StudentStatus", "Vendor", "TaskKind", "TaskStatus", "Weekday", "RestrictionAction"} <= set(enums)
    missing = [f"{name}.{value['name']}" for name, values in enums.items() for value in values
               if not SOURCE.search(value["description"] or "")]
    assert not missing, missing
    status = {value["name"]: value["description"] for value in enums["StudentStatus"]}
    for codes, vendor in ((_DARTMOUTH_STATUS, "Dartmouth"), (_HUBMIS_STATUS, "HUBmis")):
        for code, normalised in codes.items():
            named = [name for name, text in status.items() if re.search(rf"\b{re.escape(code)}\b", text)]
            assert named == [normalised.name], f"{vendor} {code}: maps to {normalised.name}, described under {named}"


def test_every_scoped_field_names_its_scope(gateway: GatewayProcess) -> None:
    """GraphiQL said `gpa` "requires the highly-sensitive student scope" and `finalGrade` "the grades scope", names
    no token carries (they are `students:read.gpa` and `enrollments:read.grades`), and said nothing of the scope of
    `holds`, `dateOfBirth` or any write. Each field of the scope table now names its scope as the token spells it."""
    result = gateway.query("{ __schema { types { name fields { name description } } } }")
    described = {(t["name"], f["name"]): f["description"] or "" for t in result["data"]["__schema"]["types"]
                 for f in t["fields"] or []}
    wrong = [f"{where}: {described.get(where)!r}" for where, scope in FIELD_SCOPES.items()
             if f"`{scope}` scope" not in described.get(where, "")]
    assert not wrong, "\n".join(wrong)
    assert "highly-sensitive student scope" not in described[("DartmouthStudentRecord", "gpa")]
