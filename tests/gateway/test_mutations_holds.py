"""Stellic holds and registration times through the real gateway."""

from __future__ import annotations

from tests.gateway.writes import USER_ERRORS, calls, codes, mutate
from tests.gatewayproc import GatewayProcess
from tests.sandboxproc import SandboxProcess

HOLD = f"success sisId title description activities {{ activity effect }} note fieldsUpdated fieldsFailed {USER_ERRORS}"
RT = f"""success registrationTime {{ id registrationType timestamp endTimestamp studentUsername usem }}
  {USER_ERRORS}"""


def test_a_hold_is_placed_updated_and_released(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    placed = mutate(gateway, f"""mutation {{ placeHold(input: {{sisId: "H-1", studentId: "mabbott", holdCode: "AR",
        note: "Pay the bursar"}}) {{ {HOLD} }} }}""")
    assert placed["success"] and placed["sisId"] == "H-1" and placed["note"] == "Pay the bursar"
    assert placed["title"] == "Accounts Receivable" and placed["activities"]
    record = sandbox.records("stellic", "holds", "H-1")
    assert (record["student_username"], record["hold_code"]) == ("mabbott", "AR")

    updated = mutate(gateway, f"""mutation {{ updateHold(sisId: "H-1", input: {{studentId: "mabbott", holdCode: "ZZ",
        note: "Call us"}}) {{ {HOLD} }} }}""")
    assert updated["success"] and updated["fieldsUpdated"] == ["studentId", "note"]
    assert updated["note"] == "Call us"  # Stellic answers an update's note among the fields it updated
    assert updated["fieldsFailed"] == ["holdCode"] and codes(updated) == [(["input", "holdCode"], "NOT_APPLIED")]
    assert sandbox.records("stellic", "holds", "H-1")["note"] == "Call us"

    released = mutate(gateway, f'mutation {{ releaseHold(sisId: "H-1") {{ {HOLD} }} }}')
    assert released["success"] and released["title"] == "Accounts Receivable"
    assert "H-1" not in sandbox.records("stellic", "holds")["ids"]
    gone = mutate(gateway, f'mutation {{ releaseHold(sisId: "H-1") {{ {HOLD} }} }}')
    assert not gone["success"] and codes(gone) == [(None, "NOT_FOUND")]


def test_a_hold_stellic_refuses_our_token_for_is_sent_once(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """Stellic's token is a static personal access token: after its 401 there is nothing to renew, so the write is
    not sent again with the same token; the auth failure is reported at once."""
    sandbox.faults("stellic", route="POST /partnerapi/v1/holds", fail_next=1, error_status=401)
    result = gateway.query(f"""mutation {{ placeHold(input: {{sisId: "H-401", studentId: "mabbott", holdCode: "AR"}})
        {{ {HOLD} }} }}""")
    assert result["data"] is None
    (failure,) = result["errors"]
    assert failure["extensions"] == {**failure["extensions"], "code": "VENDOR_AUTH_FAILED", "vendor": "stellic",
                                     "status": 401}
    assert [(r["method"], r["status"]) for r in calls(sandbox, "stellic")] == [("POST", 401)]
    assert "H-401" not in sandbox.records("stellic", "holds")["ids"]


def test_hold_refusals_and_input_errors(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    unknown = mutate(gateway, f"""mutation {{ placeHold(input: {{sisId: "H-2", studentId: "mabbott", holdCode: "ZZ"}})
        {{ {HOLD} }} }}""")
    assert codes(unknown) == [(["input", "holdCode"], "NOT_FOUND")]
    sandbox.reset("stellic")
    empty = mutate(gateway, f"""mutation {{ placeHold(input: {{sisId: " ", studentId: "", holdCode: "AR"}})
        {{ {HOLD} }} }}""")
    assert sorted(codes(empty)) == [(["input", "sisId"], "REQUIRED"), (["input", "studentId"], "REQUIRED")]
    assert calls(sandbox, "stellic") == []


def test_a_registration_time_is_created_moved_and_deleted(gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    created = mutate(gateway, f"""mutation {{ createRegistrationTime(id: "90001", input: {{studentUsername: "mabbott",
        registrationType: PREREGISTRATION, timestamp: "2023-05-11T10:30:00-04:00", endTimestamp: "2023-07-11 14:30",
        semester: "summer", year: 2023, term: "20223"}}) {{ {RT} }} }}""")
    assert created["success"]
    rt = created["registrationTime"]
    assert (rt["id"], rt["registrationType"], rt["studentUsername"]) == ("90001", "PREREGISTRATION", "mabbott")
    assert rt["timestamp"] == "2023-05-11T14:30:00+00:00" and rt["usem"]["semester"] == "summer"
    record = sandbox.records("stellic", "registration_times", "90001")
    assert (record["timestamp"], record["end_timestamp"]) == ("2023-05-11 14:30", "2023-07-11 14:30")

    moved = mutate(gateway, f"""mutation {{ updateRegistrationTime(id: "90001", endTimestamp: "2023-08-01 09:00") {{
        {RT} }} }}""")
    assert moved["success"] and moved["registrationTime"]["endTimestamp"] == "2023-08-01T09:00:00+00:00"
    assert sandbox.records("stellic", "registration_times", "90001")["end_timestamp"] == "2023-08-01 09:00"

    deleted = mutate(gateway, f'mutation {{ deleteRegistrationTime(id: "90001") {{ success {USER_ERRORS} }} }}')
    assert deleted == {"success": True, "userErrors": []}
    assert "90001" not in sandbox.records("stellic", "registration_times")["ids"]
    taken = mutate(gateway, f"""mutation {{ createRegistrationTime(id: "57568", input: {{studentUsername: "mabbott",
        timestamp: "2023-05-11 14:30", semester: "summer", year: 2023, term: "20223"}}) {{ {RT} }} }}""")
    assert codes(taken) == [(["id"], "REFUSED")]


def test_registration_time_errors_are_caught_before_any_call(gateway: GatewayProcess,
                                                             sandbox: SandboxProcess) -> None:
    backwards = mutate(gateway, f"""mutation {{ createRegistrationTime(id: "90002", input: {{studentUsername: "mabbott",
        timestamp: "2023-05-11 14:30", endTimestamp: "2023-05-01 14:30", semester: "summer", year: 2023,
        term: "20223"}}) {{ {RT} }} }}""")
    assert codes(backwards) == [(["input", "endTimestamp"], "OUT_OF_RANGE")]
    nothing = mutate(gateway, f'mutation {{ updateRegistrationTime(id: "57568") {{ {RT} }} }}')
    assert codes(nothing) == [(None, "REQUIRED")]
    garbled = mutate(gateway, f"""mutation {{ updateRegistrationTime(id: "57568", timestamp: "next tuesday",
        endTimestamp: "2023-01-01 00:00") {{ {RT} }} }}""")
    assert codes(garbled) == [(["timestamp"], "INVALID")]
    assert calls(sandbox, "stellic") == []


def test_an_end_seconds_before_the_start_is_refused_though_both_fall_in_one_minute(
        gateway: GatewayProcess, sandbox: SandboxProcess) -> None:
    """Stellic keeps minutes, but the order is the caller's instants: an end 40 s before the start is backwards,
    though both would be sent as 10:00."""
    created = mutate(gateway, f"""mutation {{ createRegistrationTime(id: "90003", input: {{studentUsername: "mabbott",
        timestamp: "2026-11-01T10:00:50", endTimestamp: "2026-11-01T10:00:10", semester: "fall", year: 2026,
        term: "20263"}}) {{ {RT} }} }}""")
    assert not created["success"] and codes(created) == [(["input", "endTimestamp"], "OUT_OF_RANGE")]
    moved = mutate(gateway, f"""mutation {{ updateRegistrationTime(id: "57568", timestamp: "2026-11-01T10:00:50",
        endTimestamp: "2026-11-01T10:00:10") {{ {RT} }} }}""")
    assert not moved["success"] and codes(moved) == [(["endTimestamp"], "OUT_OF_RANGE")]
    offsets = mutate(gateway, f"""mutation {{ updateRegistrationTime(id: "57568", timestamp: "2026-11-01T10:00:50Z",
        endTimestamp: "2026-11-01T05:00:10-05:00") {{ {RT} }} }}""")  # 10:00:10 UTC
    assert codes(offsets) == [(["endTimestamp"], "OUT_OF_RANGE")]
    assert calls(sandbox, "stellic") == []
