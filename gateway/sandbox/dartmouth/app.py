"""Dartmouth API simulator: API key -> scoped JWT, students, people, academic records and async enrollment PATCH.

Scopes behave as shared/vendor-contracts.md 3.1 describes: a missing required scope is a 403;
FERPA-protected people are 404 (and left out of collections) without ``urn:dartmouth:people:private``;
``gpa_history`` appears only with students ``read.highlysensitive`` and ``final_grade`` only with
enrollments ``read.sensitive``. Collections filter and page as ``query.py`` describes.
"""

from __future__ import annotations

import math
import secrets
import time
from collections.abc import Awaitable, Callable, Collection
from datetime import datetime
from typing import Any

from starlette.responses import Response

from gateway.sandbox import credentials as creds
from gateway.sandbox.dartmouth import jwt
from gateway.sandbox.dartmouth.academic import AcademicRecords, now_iso
from gateway.sandbox.dartmouth.query import FoundSets, PageRequest, RecordIndex, apply_filters, filters_from
from gateway.sandbox.dartmouth.students import StudentRecords
from gateway.sandbox.dartmouth.tasks import TaskQueue
from gateway.sandbox.responses import JSONResponse
from gateway.sandbox.simulator import Call, SandboxError, SandboxOptions, Simulator, handles
from gateway.sandbox.tokens import VerifiedTokens
from gateway.sandbox.world import World
from gateway.vendors.dartmouth import routes as r
from gateway.vendors.routes import Route

Record = dict[str, Any]
Handler = Callable[["DartmouthSimulator", Call], Awaitable[Response]]

STUDENTS_READ = "urn:dartmouth:students:read.sensitive"
STUDENTS_GPA = "urn:dartmouth:students:read.highlysensitive"
PEOPLE_PRIVATE = "urn:dartmouth:people:private"
ENROLLMENTS_READ = "api:academic:enrollments:read"
ENROLLMENTS_SENSITIVE = "api:academic:enrollments:read.sensitive"
ENROLLMENTS_WRITE = "api:academic:enrollments:write"

# API key -> (service account named in the JWT's ``sub``, the scopes the key may be granted).
KEYS = {creds.DARTMOUTH_API_KEY: ("sandbox-service-account", frozenset(creds.DARTMOUTH_ALL_SCOPES)),
        creds.DARTMOUTH_BASIC_KEY: ("sandbox-basic-account", frozenset(creds.DARTMOUTH_BASIC_SCOPES))}
# Attributes a kind of record shows only with a scope (left out of the record, not nulled).
SENSITIVE = {"students": ("gpa_history", STUDENTS_GPA), "enrollments": ("final_grade", ENROLLMENTS_SENSITIVE)}
_ASSESSMENT_KEYS = frozenset({"submit_date", "opt_out_date"})


def _one(route: Route, kind: str, scope: str | None = None) -> Handler:
    """The handler of a ``GET .../{id}`` route over one store."""

    @handles(route.name)
    async def handler(self: DartmouthSimulator, call: Call) -> Response:
        return JSONResponse(self.view(kind, self.find(call, kind, call.params[route.params[0]], scope), call))

    return handler


def _many(route: Route, kind: str, scope: str | None = None) -> Handler:
    """The handler of a collection route over one store."""

    @handles(route.name)
    async def handler(self: DartmouthSimulator, call: Call) -> Response:
        self.require(call, scope)
        return self.collection(call, kind, self.stores[kind].values(), self.indexes[kind])

    return handler


class DartmouthSimulator(Simulator):
    vendor = "dartmouth"
    routes = r.ROUTES
    public_routes = frozenset({r.GET_JWT.name})

    def __init__(self, world_factory: Callable[[], World], options: SandboxOptions | None = None) -> None:
        self._jwt_secret = secrets.token_bytes(32)  # per process: tokens outlive a data reset, as keys do
        self._verified = VerifiedTokens()
        super().__init__(world_factory, options)

    def load(self, world: World) -> None:
        cache_date = now_iso()
        academic = AcademicRecords(world, cache_date)
        self.student_records = StudentRecords(world, academic, cache_date)
        self.stores.update(academic.stores())
        self.stores.update(self.student_records.stores())
        self.ferpa = frozenset(p.key for p in world.people.values() if p.ferpa)
        self.found_sets = FoundSets()
        self.indexes = {kind: RecordIndex(store.values) for kind, store in self.stores.items()}
        self.tasks = TaskQueue(self.stores["enrollments"], self.options.task_seconds,
                               on_change=self.indexes["enrollments"].invalidate)

    def error_body(self, status: int, message: str) -> Any:
        return {"message": "Unauthorized" if status == 401 else message}

    # ---- authentication ---------------------------------------------------------------------
    async def authenticate(self, call: Call) -> None:
        header = call.request.headers.get("authorization", "")
        if not header.startswith("Bearer "):
            raise SandboxError(401, "Unauthorized")
        token = header.removeprefix("Bearer ").strip()
        claims = self._verified.claims(token, self._verify)
        if claims is None:
            raise SandboxError(401, "Unauthorized")
        expires = claims.get("exp")
        if not isinstance(expires, int | float) or expires <= time.time():
            raise SandboxError(401, "Unauthorized")
        call.client, call.scopes = str(claims.get("sub")), frozenset(claims.get("scope") or ())

    def _verify(self, token: str) -> dict[str, Any] | None:
        try:
            return jwt.decode(token, self._jwt_secret)
        except jwt.InvalidToken:
            return None

    @handles(r.GET_JWT.name)
    async def get_jwt(self, call: Call) -> Response:
        found = KEYS.get(call.request.headers.get("authorization", ""))
        if found is None:
            raise SandboxError(401, "Unauthorized")
        account, granted = found
        asked = dict.fromkeys(s for value in call.query.getlist("scope") for s in value.split())
        accepted = [s for s in asked if s in granted]
        now = time.time()
        claims = {"iss": "https://api.dartmouth.edu", "sub": account, "iat": int(now),
                  "exp": math.ceil(now + self.token_ttl_s()), "scope": accepted}
        return JSONResponse({"jwt": jwt.encode(claims, self._jwt_secret), "payload": claims,
                             "accepted_scopes": accepted})

    # ---- shared read path ------------------------------------------------------------------------
    def require(self, call: Call, scope: str | None) -> None:
        if scope is not None and scope not in call.scopes:
            raise SandboxError(403, f"Forbidden: this resource requires the scope {scope}")

    def visible(self, record: Record, call: Call) -> bool:
        """False for a FERPA-protected person's record when the caller lacks the private scope."""
        return PEOPLE_PRIVATE in call.scopes or record.get("netid") not in self.ferpa

    def hidden(self, kind: str, call: Call) -> tuple[str, ...]:
        """The attributes of this kind of record the caller's scopes do not show."""
        sensitive = SENSITIVE.get(kind)
        return () if sensitive is None or sensitive[1] in call.scopes else (sensitive[0],)

    def view(self, kind: str, record: Record, call: Call) -> Record:
        """The record as the caller's scopes show it (the stored record itself when nothing is hidden)."""
        hidden = self.hidden(kind, call)
        return {k: v for k, v in record.items() if k not in hidden} if hidden else record

    def find(self, call: Call, kind: str, key: str, scope: str | None = None) -> Record:
        self.require(call, scope)
        record: Record | None = self.stores[kind].get(key)
        if record is None or not self.visible(record, call):
            raise SandboxError(404, "Not Found")
        return record

    def collection(self, call: Call, kind: str, records: Collection[Record],
                   index: RecordIndex | None = None) -> Response:
        """One page of a filtered collection; the first request makes a found set later pages reuse.
        ``index``, when given, indexes ``records`` (a whole store)."""
        page = PageRequest.parse(call.query)
        if page.continuation_key is not None:
            key = page.continuation_key
            found = self.found_sets.get(key, call.route.name)
        else:
            found = [record for record in apply_filters(records, filters_from(call.query.multi_items()),
                                                        self.hidden(kind, call), index)
                     if self.visible(record, call)]
            key = self.found_sets.add(call.route.name, found)
        shown = [self.view(kind, record, call) for record in page.slice(found) if self.visible(record, call)]
        return JSONResponse(shown, headers={r.REQUEST_ID_HEADER: key, r.TOTAL_COUNT_HEADER: str(len(found))})

    # ---- students and people ---------------------------------------------------------------------
    list_students = _many(r.LIST_STUDENTS, "students", STUDENTS_READ)
    get_student = _one(r.GET_STUDENT, "students", STUDENTS_READ)
    list_people = _many(r.LIST_PEOPLE, "people")
    get_person = _one(r.GET_PERSON, "people")

    @handles(r.LIST_STUDENT_TERMS.name)
    async def list_student_terms(self, call: Call) -> Response:
        student = self.find(call, "students", call.params["netid"], STUDENTS_READ)
        return self.collection(call, "student_terms", self.student_records.terms_of(student))

    # ---- enrollments and their asynchronous PATCH ---------------------------------------------------
    @handles(r.LIST_ENROLLMENTS.name)
    async def list_enrollments(self, call: Call) -> Response:
        self.require(call, ENROLLMENTS_READ)
        self.tasks.settle_due()
        return self.collection(call, "enrollments", self.stores["enrollments"].values(), self.indexes["enrollments"])

    @handles(r.GET_ENROLLMENT.name)
    async def get_enrollment(self, call: Call) -> Response:
        self.tasks.settle_due()
        return JSONResponse(self.view("enrollments", self.find(call, "enrollments", call.params["id"],
                                                                ENROLLMENTS_READ), call))

    @handles(r.PATCH_ENROLLMENT.name)
    async def patch_enrollment(self, call: Call) -> Response:
        enrollment_id = call.params["id"]
        self.find(call, "enrollments", enrollment_id, ENROLLMENTS_WRITE)
        if not call.request.headers.get("content-type", "").startswith("application/json"):
            raise SandboxError(400, "Content-Type must be application/json")
        assessment = _course_assessment(await call.json())
        base = self.options.base_url or str(call.request.base_url).rstrip("/")
        url = base + r.GET_ENROLLMENT.url(id=enrollment_id)
        task = self.tasks.submit(enrollment_id, url, assessment)
        return JSONResponse({"status": "accepted"}, status_code=202, headers={"Location": r.GET_TASK.url(id=task.id)})

    @handles(r.GET_TASK.name)
    async def get_task(self, call: Call) -> Response:
        self.tasks.settle_due()
        task = self.tasks.tasks.get(call.params["id"])
        if task is None:
            raise SandboxError(404, "Not Found")
        return JSONResponse(task.body())

    # ---- academic records and value lists ----------------------------------------------------------
    list_terms = _many(r.LIST_TERMS, "terms")
    get_term = _one(r.GET_TERM, "terms")
    list_sections = _many(r.LIST_SECTIONS, "sections")
    get_section = _one(r.GET_SECTION, "sections")
    list_courses = _many(r.LIST_COURSES, "courses")
    get_course = _one(r.GET_COURSE, "courses")
    list_holds = _many(r.LIST_HOLDS, "holds", STUDENTS_READ)
    get_hold = _one(r.GET_HOLD, "holds", STUDENTS_READ)
    list_hold_types = _many(r.LIST_HOLD_TYPES, "hold_types")
    get_hold_type = _one(r.GET_HOLD_TYPE, "hold_types")
    list_section_types = _many(r.LIST_SECTION_TYPES, "section_types")
    get_section_type = _one(r.GET_SECTION_TYPE, "section_types")
    list_schools = _many(r.LIST_SCHOOLS, "schools")
    get_school = _one(r.GET_SCHOOL, "schools")
    list_student_statuses = _many(r.LIST_STUDENT_STATUSES, "student_statuses")
    get_student_status = _one(r.GET_STUDENT_STATUS, "student_statuses")
    list_student_types = _many(r.LIST_STUDENT_TYPES, "student_types")
    get_student_type = _one(r.GET_STUDENT_TYPE, "student_types")
    list_admission_types = _many(r.LIST_ADMISSION_TYPES, "admission_types")
    get_admission_type = _one(r.GET_ADMISSION_TYPE, "admission_types")


def _course_assessment(body: Any) -> dict[str, str | None]:
    """The PATCH body's ``course_assessment``: both dates present, each null or ISO 8601; 400 otherwise.

    Both dates set is accepted here and fails in the task, as seed 004's sample failed task shows.
    """
    if not isinstance(body, dict) or set(body) != {"course_assessment"}:
        raise SandboxError(400, "Invalid attributes in payload: only course_assessment may be updated")
    assessment = body["course_assessment"]
    if not isinstance(assessment, dict) or set(assessment) != _ASSESSMENT_KEYS:
        raise SandboxError(400, "Invalid attributes in payload: course_assessment must contain exactly "
                                "submit_date and opt_out_date")
    for name, value in assessment.items():
        if value is None:
            continue
        try:
            datetime.fromisoformat(value)
        except (TypeError, ValueError):
            raise SandboxError(400, f"Invalid attributes in payload: {name} must be an ISO 8601 date or null") from None
    return assessment
