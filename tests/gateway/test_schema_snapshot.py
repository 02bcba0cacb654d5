"""The public schema changes only on purpose: `campusgraph schema` must equal the committed snapshot.

After an intended change: `.venv/bin/campusgraph schema > schema/schema.graphql` and commit it.
"""

from __future__ import annotations

import difflib
import subprocess
import sys
from pathlib import Path

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
    for name in ("node(id: ID!): Node", "student(", "students(", "staffMember(", "staff(", "section(id: ID!)",
                 "sections(term: String!", "enrollment(id: ID!)", "holdTypes:", "terms(", "vendors:",
                 "type Student implements Node", "type Staff implements Node", "type Section implements Node",
                 "type Enrollment implements Node", "type Hold implements Node", "enum StudentStatus"):
        assert name in sdl, name
