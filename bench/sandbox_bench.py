"""Sandbox benchmark: start-up time at 20,000 students, single-record GET latency per vendor, and a
filtered collection read (one student's active enrollments).

The sandbox must never be the bottleneck of the gateway's benchmarks: ready within 10 s at 20,000
students, and a single-record GET under 5 ms at the median with no latency configured.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

import httpx

from gateway.sandbox import credentials as creds
from tests.sandboxproc import SandboxProcess

STUDENTS = 20_000
SAMPLES = 300


def _timed(client: httpx.Client, url: str, headers: dict[str, str], n: int) -> list[float]:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return times


def run() -> dict[str, Any]:
    started = time.perf_counter()
    sandbox = SandboxProcess(students=STUDENTS, seed=1).start(timeout=60)
    ready_s = time.perf_counter() - started
    try:
        with httpx.Client(timeout=10) as client:
            jwt = client.post(f"{sandbox.url('dartmouth')}/api/jwt", headers={"Authorization": creds.DARTMOUTH_API_KEY},
                              params={"scope": " ".join(creds.DARTMOUTH_ALL_SCOPES)}).json()["jwt"]
            token = client.post(f"{sandbox.url('hubmis')}/api/v1/token", data={
                "grant_type": "client_credentials", "client_id": creds.HUBMIS_CLIENT_ID,
                "client_secret": creds.HUBMIS_CLIENT_SECRET}).json()["access_token"]
            cases = {
                "dartmouth GET /api/students/{netid}": (f"{sandbox.url('dartmouth')}/api/students/d59951y",
                                                        {"Authorization": f"Bearer {jwt}"}),
                # A filtered collection read, as the gateway sends one per student: indexed, not a scan.
                "dartmouth GET /api/academic/enrollments?netid=…&is_active=true": (
                    f"{sandbox.url('dartmouth')}/api/academic/enrollments?netid=d59951y&is_active=true",
                    {"Authorization": f"Bearer {jwt}"}),
                "hubmis GET /api/v1/students/{id}": (f"{sandbox.url('hubmis')}/api/v1/students/56",
                                                     {"Authorization": f"Bearer {token}", "Realm": creds.HUBMIS_REALM}),
                "stellic GET .../students/{student_username}/{property}": (
                    f"{sandbox.url('stellic')}/partnerapi/v1/students/mabbott/engagement_score",
                    {"Authorization": f"Bearer {creds.STELLIC_PAT}"}),
            }
            results = {}
            for name, (url, headers) in cases.items():
                _timed(client, url, headers, 20)  # warm the connection
                times = sorted(_timed(client, url, headers, SAMPLES))
                results[name] = {"median_ms": round(statistics.median(times), 2),
                                 "p99_ms": round(times[int(len(times) * 0.99) - 1], 2)}
    finally:
        sandbox.stop()
    return {"students": STUDENTS, "ready_s": round(ready_s, 2), "samples_per_route": SAMPLES, "routes": results}
