"""Dartmouth ``PATCH /api/academic/enrollments/{id}``: an enrollment's course assessment, carried out by a task.

Seed 004's rule is checked before sending: both dates may be null (that clears the assessment), at most one
may be set. Dartmouth answers 202 and a task in ``Location``; the gateway follows the task, and when it
completes the enrollment's cached reads are forgotten, so the next read shows the new assessment.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from gateway.vendors.errors import (
    VendorBadRequest,
    VendorError,
    VendorNotFound,
    VendorProtocolError,
    WriteAnswerUnreadable,
    accepted_write,
)
from resolvers import lists
from resolvers.ids import OtherTypesId, key_of
from resolvers.mutations.arguments import ENROLLMENT_ID, OPT_OUT_DATE, SUBMIT_DATE, WAIT
from resolvers.mutations.common import Checks, error, upstreams
from resolvers.tasks import TaskTracker, task_from_record
from resolvers.taskstore import COMPLETE, COURSE_ASSESSMENT
from schema.mutations import CourseAssessmentPayload, UserError
from schema.types import Enrollment


def _refused(errors: list[UserError]) -> CourseAssessmentPayload:
    return CourseAssessmentPayload(success=False, task=None, enrollment=None, user_errors=errors)


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
    try:
        task_id = await upstreams(info).dartmouth.patch_enrollment(key, submit_date, opt_out_date)
    except VendorNotFound:
        return _refused([error(["enrollmentId"], "Dartmouth has no such enrollment", "NOT_FOUND")])
    except VendorBadRequest as exc:
        return _refused([error(None, exc.message, "REFUSED")])
    except VendorProtocolError as exc:  # e.g. a 202 naming no task: the change was accepted, and cannot be followed
        if not accepted_write(exc):
            raise
        raise WriteAnswerUnreadable.after(exc) from exc
    tracker: TaskTracker = info.context.tasks
    record = await tracker.accepted(COURSE_ASSESSMENT, task_id, subject=key)
    if wait:
        record = await tracker.wait(COURSE_ASSESSMENT, task_id) or record
    enrollment: Enrollment | None = None
    if record.status == COMPLETE:
        try:
            enrollment = await lists.enrollment(info.context.port, key)
        except VendorError as exc:  # the change is made; only reading it back failed: reported at its path
            info.context.port.incomplete.append(([*info.path.as_list(), "enrollment"], exc))
    return CourseAssessmentPayload(success=True, task=task_from_record(record), enrollment=enrollment,
                                   user_errors=[])
