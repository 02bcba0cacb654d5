"""Dartmouth ``PATCH /api/academic/enrollments/{id}``: an enrollment's course assessment, carried out by a task.

Seed 004's rule is checked before sending: both dates may be null (that clears the assessment), at most one
may be set. Dartmouth answers 202 and a task in ``Location``; the gateway follows the task, and when it
completes the enrollment's cached reads are forgotten, so the next read shows the new assessment. When the
PATCH's answer is lost or names no task, there is no task to follow: they are forgotten at once, and the
enrollment is watched until it shows the change (``TaskTracker.unsettled_enrollment``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from gateway.errorpaths import subfield_paths
from gateway.vendors.dartmouth.routes import GET_ENROLLMENT
from gateway.vendors.errors import VendorBadRequest, VendorError, VendorNotFound
from resolvers import lists
from resolvers.ids import OtherTypesId, key_of
from resolvers.loaders import forget
from resolvers.mutations.arguments import ENROLLMENT_ID, OPT_OUT_DATE, SUBMIT_DATE, WAIT
from resolvers.mutations.common import Checks, attempt, error
from resolvers.tasks import TaskTracker, task_from_record
from resolvers.taskstore import COMPLETE, COURSE_ASSESSMENT
from schema.mutations import CourseAssessmentPayload, UserError
from schema.types import Enrollment


def _paths_of(info: Info[Any, Any], name: str) -> list[list[str | int]]:
    """Where the payload's field ``name`` is in the response: under each alias the query asks for it by (a path
    naming the field when it is aliased is none the response has, and no client could match the error to it)."""
    raw = info._raw_info
    return subfield_paths(info.path.as_list(), raw.field_nodes, raw.fragments, name)


def _refused(errors: list[UserError]) -> CourseAssessmentPayload:
    return CourseAssessmentPayload(success=False, task=None, enrollment=None, user_errors=errors)


def _refusal(exc: VendorBadRequest | VendorNotFound) -> list[UserError]:
    """Dartmouth's 404 is about the one record the PATCH names; its 400 about the body as a whole."""
    if isinstance(exc, VendorNotFound):
        return [error(["enrollmentId"], "Dartmouth has no such enrollment", "NOT_FOUND")]
    return [error(None, exc.message, "REFUSED")]


async def set_course_assessment(info: Info[Any, Any], enrollment_id: Annotated[strawberry.ID, ENROLLMENT_ID],
                                submit_date: Annotated[datetime | None, SUBMIT_DATE] = None,
                                opt_out_date: Annotated[datetime | None, OPT_OUT_DATE] = None,
                                wait: Annotated[bool | None, WAIT] = False) -> CourseAssessmentPayload:
    """Sets (or with both dates null, clears) the course assessment; ``wait`` follows the task until it ends
    or the configured wait passes, and answers the task as it then stands."""
    checks = Checks()
    try:
        key = key_of(enrollment_id, "Enrollment")
    except OtherTypesId as exc:
        return _refused([error(["enrollmentId"], str(exc), "INVALID")])  # nothing sent
    checks.text(["enrollmentId"], key)
    if submit_date is not None and opt_out_date is not None:
        checks.add(["optOutDate"], "give submitDate or optOutDate, not both (both null clears the assessment)")
    if not checks.ok:
        return _refused(checks.errors)
    tracker: TaskTracker = info.context.tasks
    # A lost answer or a 202 naming no task leaves no task to follow, though Dartmouth may carry the change out:
    # the enrollment's cached reads are forgotten at once, and again when Dartmouth shows the change.
    # Sent with the JWT of the caller's view, as its reads are: without people:private a FERPA-protected
    # student's enrollment is Dartmouth's 404 to the write too, not changed for a caller every read hides it from.
    dartmouth = info.context.port.dartmouth
    task_id, refused = await attempt(dartmouth.patch_enrollment(key, submit_date, opt_out_date),
                                     forget=lambda: tracker.unsettled_enrollment(key, submit_date, opt_out_date),
                                     refused=_refusal)
    if task_id is None:
        return _refused(refused)
    record = await tracker.accepted(COURSE_ASSESSMENT, task_id, subject=key)
    if wait:
        waited, failure = await tracker.wait(COURSE_ASSESSMENT, task_id)
        record = waited or record
        if failure is not None:  # the task is as last known: Dartmouth could not say how it stands now
            info.context.port.incomplete.extend((at, failure) for at in _paths_of(info, "task"))
    enrollment: Enrollment | None = None
    if record.status == COMPLETE:
        # This request may have read the enrollment before the task changed it (an earlier mutation of the same
        # document): read it anew, not from the request's loader.
        forget(info.context.port.loaders.dartmouth_enrollment_by_id, key)
        read_back = _paths_of(info, "enrollment")
        try:
            enrollment = await lists.enrollment(info.context.port, key)
        except VendorError as exc:  # the change is made; only reading it back failed: reported at its path
            info.context.port.incomplete.extend((at, exc) for at in read_back)
        else:
            if enrollment is None:  # Dartmouth's 404 for the enrollment its task just changed: said, not a bare null
                missing = VendorNotFound("dartmouth", "the change is made (its task completed), but reading the "
                                         "enrollment back found no such enrollment", status=404,
                                         route=GET_ENROLLMENT.key)
                info.context.port.incomplete.extend((at, missing) for at in read_back)
    return CourseAssessmentPayload(success=True, task=task_from_record(record), enrollment=enrollment,
                                   user_errors=[])
