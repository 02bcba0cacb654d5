"""What each mutation argument is, and where it goes: the Stellic path parameter or body it is sent as, or the
Dartmouth field (GraphiQL shows these beside the mutations'). The input objects' own fields name their Stellic
body fields in schema/inputs_write.py."""

from __future__ import annotations

from typing import Any

import strawberry

from schema.arguments import arg


def _username(path_parameter: str) -> Any:
    return arg(f"The student's Stellic username; not empty. Stellic path `{path_parameter}`.")


STUDENT_USERNAME = _username("student_username")  # .../students/{student_username}/...
PATH_USERNAME = _username("username")  # .../students/{username}/programs/... and .../terms/...
BULK = "Stellic's array body (at most 10 MB); atomic: one refused item and none is applied"

# ---- Stellic: students (#19-#25, #1) ------------------------------------------------------------------------
PROFILE = arg("The profile, sent as Stellic's one-item array body.")
TAG = arg("Name of a tag that exists in Stellic: to add, one not yet on the profile; to remove, one on it. Stellic "
          "path `tag_name`.")
SCHOOL_ID = arg("The school's short name; not empty. Stellic path `school_id`.")
DEPARTMENT_ID = arg("The department's short name; not empty. Stellic path `dept_id`.")
PROGRAM_ID = arg("Stellic program id; enrolling in it again replaces the record. Stellic path `program_id`.")
PROGRAM_BODY = arg("The program enrollment, sent as Stellic's body.")
# ---- Stellic: course and section enrollments (#2-#6) ------------------------------------------------------
TERM_ID = arg("Stellic term id of the term replaced; not empty. Stellic path `term_id`.")
COURSE_ENROLLMENTS = arg("Every course of the term, each course once, sent as Stellic's array body (at most "
                         "10 MB): courses left out are deleted, and an empty list deletes them all.")
NEW_SECTION_ENROLLMENT_ID = arg("Id of the new section enrollment (the caller's choice); not empty. Stellic path "
                                "`id`.")
SECTION_ENROLLMENT_ID = arg("Stellic section enrollment id; not empty. Stellic path `id`.")
SECTION_ENROLLMENT = arg("The section enrollment, sent as Stellic's one-item array body.")
SECTION_ENROLLMENT_FULL = arg("The section enrollment, every field, sent as Stellic's one-item array body: those "
                              "left out are cleared.")
SECTION_ENROLLMENT_PATCH = arg("Only the fields that change (at least one), sent as Stellic's one-item array body.")
# ---- Stellic: sections (#7-#13) -----------------------------------------------------------------------------
SECTION = arg("The section, sent as Stellic's body; its `id` (else `externalId`) goes in the path.")
SECTION_ID = arg("Stellic section id; not empty. Stellic path `id`.")
SEATS = arg("The counts that change (at least one), sent as Stellic's body; the others stay.")
BULK_SEATS = arg(f"One item per section (at least one; each section once), sent as {BULK}.")
TIMINGS = arg("The section's weekly meetings, sent as Stellic's array body: they replace all it has (an empty "
              "list clears them).")
BULK_TIMINGS = arg(f"One item per section (at least one; each section once), sent as {BULK}.")
NEW_RESTRICTION_ID = arg("Id of the new restriction (the caller's choice); not empty. Stellic path `id`.")
RESTRICTION = arg("The restriction, sent as Stellic's body (Stellic echoes it as the payload's `state`).")
RESTRICTION_ID = arg("Stellic section restriction id; not empty. Stellic path `id`.")
# ---- Stellic: holds and registration times (#26-#31) -----------------------------------------------------
HOLD = arg("The hold, sent as Stellic's body.")
SIS_ID = arg("The hold's SIS id, as placeHold gave it (`sisId`); not empty. Stellic path `sis_id`.")
HOLD_UPDATE = arg("The hold's new values, sent as Stellic's body.")
NEW_REGISTRATION_TIME_ID = arg("Id of the new registration window (the caller's choice), e.g. 57568; not empty. "
                               "Stellic path `registration_time_id`.")
REGISTRATION_TIME = arg("The window, sent as Stellic's body.")
REGISTRATION_TIME_ID = arg("Stellic registration time id, e.g. 57568; not empty. Stellic path "
                           "`registration_time_id`.")
REGISTRATION_START = arg("New start: YYYY-MM-DD HH:MM (UTC) or ISO 8601 (an offset is converted); sent as Stellic "
                         "`timestamp`, YYYY-MM-DD HH:MM UTC. Give it, endTimestamp or both.")
REGISTRATION_END = arg("New end, as timestamp; not before it. Stellic `end_timestamp`.")
# ---- Stellic: exports (E1) ----------------------------------------------------------------------------------
EXPORT_DATA_TYPE = arg("The Stellic export data type, e.g. plan_courses or audit_data (lower case and "
                       "underscores). Stellic path `data_type` of `/exports/export_data/{data_type}`.")
EXPORT_PARAMS = arg("The data type's own query parameters, as an object of names and values, e.g. "
                    "`{\"mode\": \"unmatched\", \"course_filter\": \"registered\"}`: sent to Stellic as given, a list "
                    "repeating its parameter (`{\"usem_ids\": [1, 2]}`) except `years`, sent as Stellic writes it "
                    "(`{\"years\": [2022, 2023]}` is `years=[2022,2023]`), booleans as true/false. Not "
                    "`output_format` or `delivery_channel`: the gateway sets those.")
EXPORT_ASYNC = strawberry.argument(
    name="async", description="true, null or left out: Stellic's asynchronous flow (`delivery_channel=s3`), "
                              "answered with a Task whose resultUrl is the download; false: the synchronous flow "
                              "(`http_file`), answered with the rows, or USE_ASYNC when Stellic gives up after 2 "
                              "minutes. Stellic may run any export in the background whatever is asked.")
# ---- Dartmouth: course assessment ---------------------------------------------------------------------------
ENROLLMENT_ID = arg("Global ID (`Enrollment.id`, the gateway's) or Dartmouth enrollment id. Dartmouth path `id` of "
                    "`PATCH /api/academic/enrollments/{id}`.")
SUBMIT_DATE = arg("When the course assessment was submitted, ISO 8601 (without an offset: UTC); sent as Dartmouth "
                  "`course_assessment.submit_date` in UTC. Not with optOutDate; both null clears the assessment.")
OPT_OUT_DATE = arg("When the student opted out of the course assessment, as submitDate; sent as Dartmouth "
                   "`course_assessment.opt_out_date`. Not with submitDate.")
WAIT = arg("true: follow Dartmouth's task (`GET /api/tasks/{id}`) until it ends or CAMPUSGRAPH_TASK_WAIT_S "
           "(default 10 s) passes, and answer it as it then stands (as last known, with the failure reported at "
           "`task`, when Dartmouth's task reads fail); false, null or left out: answer at once.")
