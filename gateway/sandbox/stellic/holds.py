"""Student holds (#26-#28) and registration times (#29-#31) of the Stellic simulator."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from gateway.sandbox.responses import JSONResponse
from gateway.sandbox.simulator import Call, handles
from gateway.sandbox.stellic import catalog, data
from gateway.sandbox.stellic.state import StellicState, created
from gateway.sandbox.stellic.validate import Field, Spec, bad_request, problem, require_object

HOLD: Spec = {"sis_id": Field("str", True), "student_id": Field("str", True), "hold_code": Field("str", True),
              "note": Field("str"), "url_text": Field("str"), "url_link": Field("str")}
HOLD_UPDATE: Spec = {k: v for k, v in HOLD.items() if k != "sis_id"}
REGISTRATION_TIME: Spec = {
    "student_username": Field("str", True),
    "registration_type": Field("str", False, ("registration", "preregistration")),
    "timestamp": Field("timestamp", True), "end_timestamp": Field("timestamp"),
    "semester": Field("str", True, catalog.SEASONS), "year": Field("int", True), "term": Field("str", True),
}
REGISTRATION_UPDATE: Spec = {"timestamp": Field("timestamp"), "end_timestamp": Field("timestamp")}
_RT_ANSWER = ("registration_time_id", "registration_type", "timestamp", "end_timestamp", "student_username", "usem")


class HoldHandlers(StellicState):
    """Handlers of routes #26-#31."""

    def _hold_answer(self, hold: dict[str, Any]) -> dict[str, Any]:
        category = self.stores["hold_types"][hold["hold_code"]]["category"]
        activities = [{"activity": a, "effect": "blocked"} for a in catalog.HOLD_ACTIVITIES.get(category, ())]
        return {"success": True, "title": hold["title"], "description": hold["description"],
                "activities": activities, "note": hold["note"]}

    @handles("create_hold")
    async def create_hold(self, call: Call) -> Response:
        body = require_object(await self.body_json(call), HOLD)
        if body["sis_id"] in self.stores["holds"]:
            raise bad_request([problem("sis_id", f"A hold with sis_id {body['sis_id']!r} already exists.")])
        student = self.student_by_id(body["student_id"])
        hold_type = self.record("hold_types", body["hold_code"], "Hold code", "hold_code")
        hold = {"sis_id": body["sis_id"], "student_id": student["student_id"], "student_username": student["username"],
                "hold_code": hold_type["code"], "title": hold_type["title"], "description": hold_type["description"],
                "note": body.get("note"), "url_text": body.get("url_text"), "url_link": body.get("url_link"),
                "created": self.world.today.isoformat()}
        self.stores["holds"][hold["sis_id"]] = hold
        return created(self._hold_answer(hold))

    @handles("update_hold")
    async def update_hold(self, call: Call) -> Response:
        """Fields that cannot be applied (an unknown student or hold code) land in ``failed``; the rest apply."""
        hold = self.record("holds", call.params["sis_id"], "Hold")
        body = require_object(await self.body_json(call), HOLD_UPDATE)
        updated: dict[str, Any] = {}
        failed: dict[str, Any] = {}
        username = self.ids.get(body["student_id"], body["student_id"])
        student = self.stores["students"].get(username)
        if student is None:
            failed["student_id"] = f"Student with ID {body['student_id']!r} not found."
        else:
            hold.update(student_id=student["student_id"], student_username=student["username"])
            updated["student_id"] = student["student_id"]
        hold_type = self.stores["hold_types"].get(body["hold_code"])
        if hold_type is None:
            failed["hold_code"] = f"Hold code {body['hold_code']!r} not found."
        else:
            hold.update(hold_code=hold_type["code"], title=hold_type["title"], description=hold_type["description"])
            updated["hold_code"] = hold_type["code"]
        for name in ("note", "url_text", "url_link"):
            if name in body:
                hold[name] = updated[name] = body[name]
        answer = self._hold_answer(hold)
        del answer["note"]
        return JSONResponse({"success": bool(updated), "fields_updated": updated, "failed": failed or None,
                             **{k: v for k, v in answer.items() if k != "success"}})

    @handles("delete_hold")
    async def delete_hold(self, call: Call) -> Response:
        hold = self.record("holds", call.params["sis_id"], "Hold")
        del self.stores["holds"][hold["sis_id"]]
        return JSONResponse(self._hold_answer(hold))

    # ---- registration times --------------------------------------------------------------------
    @handles("create_registration_time")
    async def create_registration_time(self, call: Call) -> Response:
        rt_id = call.params["registration_time_id"]
        body = require_object(await self.body_json(call), REGISTRATION_TIME)
        problems = []
        if rt_id in self.stores["registration_times"]:
            problems.append(problem("registration_time_id", f"Registration time {rt_id!r} already exists."))
        if body.get("end_timestamp") and body["end_timestamp"] < body["timestamp"]:
            problems.append(problem("end_timestamp", "Must not be before timestamp."))
        if problems:
            raise bad_request(problems)
        self.student(body["student_username"], "student_username")
        self.record("terms", body["term"], "Term", "term")
        record = {"registration_time_id": rt_id, "registration_type": body.get("registration_type") or "registration",
                  "timestamp": body["timestamp"], "end_timestamp": body.get("end_timestamp"),
                  "student_username": body["student_username"], "semester": body["semester"], "year": body["year"],
                  "term": body["term"], "usem": data.usem(body["term"], body["semester"], body["year"])}
        self.stores["registration_times"][rt_id] = record
        return created({k: record[k] for k in _RT_ANSWER})

    @handles("update_registration_time")
    async def update_registration_time(self, call: Call) -> Response:
        record = self.record("registration_times", call.params["registration_time_id"], "Registration time")
        body = require_object(await self.body_json(call), REGISTRATION_UPDATE)
        problems = [problem(k, "Only timestamp and end_timestamp can be updated.") for k in body
                    if k not in REGISTRATION_UPDATE]
        if body.get("timestamp", "") is None:
            problems.append(problem("timestamp", "May not be null."))
        if not problems and not body:
            problems.append(problem(None, "Give timestamp, end_timestamp or both."))
        merged = {**record, **{k: v for k, v in body.items() if k in REGISTRATION_UPDATE}}
        if not problems and merged.get("end_timestamp") and merged["end_timestamp"] < merged["timestamp"]:
            problems.append(problem("end_timestamp", "Must not be before timestamp."))
        if problems:
            raise bad_request(problems)
        record.update(merged)
        return JSONResponse({k: record[k] for k in _RT_ANSWER})

    @handles("delete_registration_time")
    async def delete_registration_time(self, call: Call) -> Response:
        record = self.record("registration_times", call.params["registration_time_id"], "Registration time")
        del self.stores["registration_times"][record["registration_time_id"]]
        return JSONResponse({"success": True, "errors": []})
