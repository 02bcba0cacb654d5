"""What a front end can read back after each write: the Partner API is mostly write-only, so every write says in
its description which query shows it, or that none does."""

from __future__ import annotations

from tests.gatewayproc import GatewayProcess
from tests.sandboxproc import SandboxProcess

HOLD = 'mutation { placeHold(input: {sisId: "H-RB", studentId: "mabbott", holdCode: "AR"}) { success } }'


def test_every_write_says_what_reads_it_back(gateway: GatewayProcess) -> None:
    """A hold placed, a section's seats changed or a tag added showed nowhere (`Student.holds` and `Section.seats`
    are Dartmouth's), and no description said so: a front end reading them back saw its write missing."""
    found = gateway.query('{ __type(name: "Mutation") { fields { name description } } }')
    fields = found["data"]["__type"]["fields"]
    silent = [f["name"] for f in fields if f["name"] != "startExport" and "read back" not in f["description"].lower()]
    assert silent == []
    described = {f["name"]: f["description"] for f in fields}
    assert "`Student.holds` are Dartmouth's" in described["placeHold"]
    assert "`section` and `sections` are Dartmouth's" in described["updateSectionSeats"]
    assert "`stellic { audit futureCourses }`" in described["createSectionEnrollment"]


def test_a_hold_placed_in_stellic_is_not_among_the_students_dartmouth_holds(gateway: GatewayProcess,
                                                                            sandbox: SandboxProcess) -> None:
    """As the description says: the write is applied (the sandbox holds it), and `holds` stays Dartmouth's."""
    read = '{ student(netid: "mabbott") { holds { code note } } }'
    before = gateway.query(read)
    assert gateway.query(HOLD)["data"]["placeHold"]["success"]
    assert sandbox.records("stellic", "holds", "H-RB")["sis_id"] == "H-RB"
    assert gateway.query(read) == before
