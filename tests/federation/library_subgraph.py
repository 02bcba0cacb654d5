"""A second subgraph for the supergraph test: a library system that lends books to students. It knows a
student only by campusgraph's global ID, extending ``Student`` through its ``@key``, and offers a root field
that returns students for campusgraph to fill in. Run: ``uvicorn tests.federation.library_subgraph:app``."""

from __future__ import annotations

import base64
import zlib

import strawberry
from strawberry.asgi import GraphQL

# The library's own records: who has a book out (campusgraph's netids; the library stores the global ID).
BORROWERS = ("d59951y", "f002qt1")
TITLES = ("Moby-Dick", "Middlemarch", "The Souls of Black Folk", "Invisible Man", "Beloved")


def student_id(netid: str) -> str:
    return base64.urlsafe_b64encode(f"Student:{netid}".encode()).decode().rstrip("=")


@strawberry.type
class Loan:
    title: str
    due: str


@strawberry.federation.type(keys=["id"])
class Student:
    id: strawberry.ID

    @strawberry.field(description="Books out on loan, from the library system.")
    def library_loans(self) -> list[Loan]:
        n = zlib.crc32(self.id.encode())
        return [Loan(title=TITLES[(n + i) % len(TITLES)], due=f"2026-12-{10 + i:02d}") for i in range(1 + n % 2)]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Student:
        return cls(id=id)


@strawberry.type
class Query:
    @strawberry.field(description="Students with a book out; everything but their ID comes from campusgraph.")
    def borrowers(self) -> list[Student]:
        return [Student(id=strawberry.ID(student_id(netid))) for netid in BORROWERS]


schema = strawberry.federation.Schema(query=Query, federation_version="2.5")
app = GraphQL(schema, graphql_ide=None)
