"""Stellic simulator: student holds (#26-#28) and registration times (#29-#31)."""

from __future__ import annotations

from tests.sandbox.test_stellic_helpers import API, client, fields, ids, record
from tests.sandboxproc import SandboxProcess

HOLD = {"sis_id": "H-1", "student_id": "12", "hold_code": "AR", "note": "Balance of $120", "url_text": "Pay online",
        "url_link": "https://pay.example.edu"}
TIME = {"student_username": "sstanton", "registration_type": "preregistration", "timestamp": "2027-02-01 09:00",
        "end_timestamp": "2027-02-14 17:00", "semester": "spring", "year": 2027, "term": "20272"}


# ---- holds ---------------------------------------------------------------------------------------
def test_create_hold_takes_title_and_description_from_the_hold_code(sandbox: SandboxProcess) -> None:
    with client(sandbox) as http:
        response = http.post(f"{API}/holds", json=HOLD)
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"success", "title", "description", "activities", "note"}
    assert body["success"] is True and body["title"] == "Accounts Receivable"
    assert body["description"] == "Outstanding balance on the student account"
    assert body["note"] == "Balance of $120" and {"activity": "registration", "effect": "blocked"} in body["activities"]
    stored = record(sandbox, "holds", "H-1")
    assert stored["student_username"] == "mabbott" and stored["url_link"] == "https://pay.example.edu"


def test_create_hold_errors(sandbox: SandboxProcess) -> None:
    existing = ids(sandbox, "holds")[0]
    with client(sandbox) as http:
        missing = http.post(f"{API}/holds", json={k: v for k, v in HOLD.items() if k != "hold_code"})
        code = http.post(f"{API}/holds", json={**HOLD, "hold_code": "ZZ"})
        student = http.post(f"{API}/holds", json={**HOLD, "student_id": "999999"})
        duplicate = http.post(f"{API}/holds", json={**HOLD, "sis_id": existing})
    assert missing.status_code == 400 and fields(missing) == {"hold_code"}
    assert code.status_code == 404 and fields(code) == {"hold_code"}
    assert student.status_code == 404 and fields(student) == {"student_id"}
    assert duplicate.status_code == 400 and fields(duplicate) == {"sis_id"}
    assert record(sandbox, "holds", "H-1") is None


def test_update_hold_reports_updated_and_failed_fields(sandbox: SandboxProcess) -> None:
    sis_id = ids(sandbox, "holds")[0]
    before = record(sandbox, "holds", sis_id)
    with client(sandbox) as http:
        clean = http.patch(f"{API}/holds/{sis_id}",
                           json={"student_id": before["student_id"], "hold_code": "LB", "note": "Two books"})
        partial = http.patch(f"{API}/holds/{sis_id}",
                             json={"student_id": before["student_id"], "hold_code": "ZZ", "url_text": "Library"})
        missing = http.patch(f"{API}/holds/{sis_id}", json={"hold_code": "LB"})
        unknown = http.patch(f"{API}/holds/NOPE", json={"student_id": "12", "hold_code": "LB"})
    assert clean.status_code == 200
    body = clean.json()
    assert body["success"] is True and body["failed"] is None
    assert body["fields_updated"] == {"student_id": before["student_id"], "hold_code": "LB", "note": "Two books"}
    assert body["title"] == "Library" and isinstance(body["activities"], list)
    assert partial.json()["failed"] == {"hold_code": "Hold code 'ZZ' not found."}
    assert partial.json()["fields_updated"]["url_text"] == "Library"
    stored = record(sandbox, "holds", sis_id)
    assert (stored["hold_code"], stored["note"], stored["url_text"]) == ("LB", "Two books", "Library")
    assert missing.status_code == 400 and fields(missing) == {"student_id"}
    assert unknown.status_code == 404


def test_delete_hold(sandbox: SandboxProcess) -> None:
    sis_id = ids(sandbox, "holds")[0]
    before = record(sandbox, "holds", sis_id)
    with client(sandbox) as http:
        deleted = http.delete(f"{API}/holds/{sis_id}")
        again = http.delete(f"{API}/holds/{sis_id}")
    assert deleted.status_code == 200
    assert deleted.json()["title"] == before["title"] and deleted.json()["note"] == before["note"]
    assert again.status_code == 404 and record(sandbox, "holds", sis_id) is None


# ---- registration times -----------------------------------------------------------------------------
def test_seed_registration_time_is_mabbotts(sandbox: SandboxProcess) -> None:
    seeded = record(sandbox, "registration_times", "57568")
    assert {k: seeded[k] for k in ("student_username", "registration_type", "timestamp", "end_timestamp",
                                   "semester", "year", "term")} == {
        "student_username": "mabbott", "registration_type": "registration", "timestamp": "2023-05-11 14:30",
        "end_timestamp": "2023-07-11 14:30", "semester": "summer", "year": 2023, "term": "20223"}
    others = [int(i) for i in ids(sandbox, "registration_times") if i != "57568"]
    assert others and min(others) == 57000


def test_create_registration_time(sandbox: SandboxProcess) -> None:
    with client(sandbox) as http:
        response = http.post(f"{API}/registration_times/60001", json=TIME)
        duplicate = http.post(f"{API}/registration_times/57568", json=TIME)
    assert response.status_code == 201
    assert response.json() == {"registration_time_id": "60001", "registration_type": "preregistration",
                               "timestamp": "2027-02-01 09:00", "end_timestamp": "2027-02-14 17:00",
                               "student_username": "sstanton",
                               "usem": {"id": "20272", "semester": "spring", "year": 2027, "name": "Spring 2027"}}
    assert record(sandbox, "registration_times", "60001")["term"] == "20272"
    assert duplicate.status_code == 400 and record(sandbox, "registration_times", "57568")["student_username"] == \
        "mabbott"


def test_create_registration_time_validation(sandbox: SandboxProcess) -> None:
    cases = {
        "registration_type": {**TIME, "registration_type": "waitlist"}, "timestamp": {**TIME, "timestamp": "tomorrow"},
        "semester": {**TIME, "semester": "autumn"}, "year": {**TIME, "year": "2027"},
        "end_timestamp": {**TIME, "end_timestamp": "2027-01-01 09:00"},
        "term": {k: v for k, v in TIME.items() if k != "term"},
    }
    with client(sandbox) as http:
        for field, body in cases.items():
            response = http.post(f"{API}/registration_times/60002", json=body)
            assert response.status_code == 400 and fields(response) == {field}, (field, response.text)
        student = http.post(f"{API}/registration_times/60002", json={**TIME, "student_username": "nobody"})
        term = http.post(f"{API}/registration_times/60002", json={**TIME, "term": "19991"})
    assert student.status_code == 404 and fields(student) == {"student_username"}
    assert term.status_code == 404 and fields(term) == {"term"}
    assert record(sandbox, "registration_times", "60002") is None


def test_update_registration_time(sandbox: SandboxProcess) -> None:
    with client(sandbox) as http:
        response = http.patch(f"{API}/registration_times/57568", json={"timestamp": "2023-05-12 08:00"})
        extra = http.patch(f"{API}/registration_times/57568", json={"semester": "fall"})
        backwards = http.patch(f"{API}/registration_times/57568", json={"end_timestamp": "2020-01-01 00:00"})
        unknown = http.patch(f"{API}/registration_times/1", json={"timestamp": "2023-05-12 08:00"})
    assert response.status_code == 200
    assert response.json()["timestamp"] == "2023-05-12 08:00"
    assert response.json()["end_timestamp"] == "2023-07-11 14:30" and response.json()["student_username"] == "mabbott"
    assert extra.status_code == 400 and fields(extra) == {"semester"}
    assert backwards.status_code == 400 and fields(backwards) == {"end_timestamp"}
    assert unknown.status_code == 404
    assert record(sandbox, "registration_times", "57568")["timestamp"] == "2023-05-12 08:00"


def test_delete_registration_time(sandbox: SandboxProcess) -> None:
    with client(sandbox) as http:
        deleted = http.delete(f"{API}/registration_times/57568")
        again = http.delete(f"{API}/registration_times/57568")
    assert deleted.status_code == 200 and deleted.json() == {"success": True, "errors": []}
    assert again.status_code == 404 and record(sandbox, "registration_times", "57568") is None
