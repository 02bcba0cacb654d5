"""`campusgraph demo` as a user runs it: sandbox and gateway wired, tokens printed, GraphiQL ready."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest

from tests.sandboxproc import free_port


def token_after(lines: list[str], heading: str) -> str:
    index = next(i for i, line in enumerate(lines) if line.startswith(heading))
    return lines[index + 1].split("Bearer ")[1].strip()


def sandbox_ports() -> list[str]:
    """The demo's sandbox port options, each a free port."""
    return [arg for vendor in ("stellic", "hubmis", "dartmouth") for arg in (f"--{vendor}-port", str(free_port()))]


def start_demo(*args: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[str], int, list[str]]:
    """`campusgraph demo` on free ports with 120 students, read until it has printed both tokens: the process, the
    gateway's port and the lines printed so far."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "gateway.cli", "demo", "--port", str(port), "--students", "120",
                             *args, *sandbox_ports()], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**(env or os.environ), "PYTHONUNBUFFERED": "1"})
    lines: list[str] = []
    deadline = time.monotonic() + 60
    assert proc.stdout is not None
    while time.monotonic() < deadline and not any("basic read scopes" in line for line in lines[:-1]):
        lines.append(proc.stdout.readline())
    return proc, port, lines


def stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.terminate()
        proc.wait(timeout=20)


def test_the_demo_prints_working_tokens_and_graphiql_opens_with_one() -> None:
    proc, port, lines = start_demo("--today", "2026-11-23")
    try:
        text = "".join(lines)
        assert f"GraphiQL at http://127.0.0.1:{port}/graphql" in text, text
        full, basic = (token_after(lines, "Token with every scope"), token_after(lines, "Token with basic read"))
        query = {"query": '{ student(netid: "d59951y") { netid holds { code } } }'}
        url = f"http://127.0.0.1:{port}/graphql"
        everything = httpx.post(url, json=query, headers={"Authorization": f"Bearer {full}"}).json()
        assert everything["data"]["student"]["holds"] is not None and "errors" not in everything
        terms = httpx.post(url, json={"query": "{ terms(currentTermOffset: 0) { id } }"},
                           headers={"Authorization": f"Bearer {full}"}).json()
        assert terms["data"]["terms"] == [{"id": "202609"}], terms  # the data of the day asked for
        limited = httpx.post(url, json=query, headers={"Authorization": f"Bearer {basic}"}).json()
        assert limited["data"]["student"]["netid"] == "d59951y" and limited["data"]["student"]["holds"] is None
        assert httpx.post(url, json=query).status_code == 401
        served = httpx.get(url, headers={"Accept": "text/html"})
        page = served.text
        in_page = page.split('const defaultHeaders = {"Authorization": "Bearer ')[1].split('"')[0]
        # The page holds a token: no cache keeps it, no other page frames it, and a page of another site whose
        # name was made to resolve to 127.0.0.1 (DNS rebinding) is served it without the token.
        assert (served.headers["cache-control"], served.headers["x-frame-options"]) == ("no-store", "DENY")
        rebound = httpx.get(url, headers={"Accept": "text/html", "Host": f"rebound.attacker.example:{port}"})
        assert rebound.status_code == 200 and "Bearer" not in rebound.text and "GraphiQL" in rebound.text
        for name in ("localhost", "[::1]"):
            assert "Bearer" in httpx.get(url, headers={"Accept": "text/html", "Host": f"{name}:{port}"}).text
        assert in_page != full  # minted for this page load, so it outlives the printed one
        opened = httpx.post(url, json=query, headers={"Authorization": f"Bearer {in_page}"}).json()
        assert opened["data"]["student"]["holds"] is not None and "errors" not in opened
        proc.send_signal(signal.SIGINT)  # Ctrl-C, as a user stops it: both servers shut down quietly
        rest, _ = proc.communicate(timeout=20)
        assert proc.returncode == 0 and "Traceback" not in rest and "ERROR" not in rest, rest
    finally:
        stop(proc)


def test_the_demo_takes_campusgraph_settings_from_its_environment() -> None:
    """`CAMPUSGRAPH_CALL_BUDGET=3 make demo` runs the demo with that budget, and with CAMPUSGRAPH_AUTH_DEV_KEY set
    `campusgraph token` mints tokens it takes; the vendors' base URLs stay the sandbox's. CAMPUSGRAPH_LOG_LEVEL too:
    the demo stayed at warning whatever it said, so `CAMPUSGRAPH_LOG_LEVEL=info make demo` showed no request line."""
    env = {**os.environ, "CAMPUSGRAPH_AUTH_DEV_KEY": "k" * 40, "CAMPUSGRAPH_CALL_BUDGET": "3",
           "CAMPUSGRAPH_LOG_LEVEL": "info",
           "CAMPUSGRAPH_DARTMOUTH_BASE_URL": "http://127.0.0.1:9"}  # not the sandbox's: left out
    proc, port, _ = start_demo(env=env)
    try:
        minted = subprocess.run([sys.executable, "-m", "gateway.cli", "token", "--all-scopes"], env=env,
                                capture_output=True, text=True, check=True).stdout.strip()
        token = minted.split("Bearer ")[-1].strip()
        answer = httpx.post(f"http://127.0.0.1:{port}/graphql", headers={"Authorization": f"Bearer {token}"},
                            json={"query": "{ students(first: 5) { edges { node { netid holds { code } } } } }"},
                            timeout=30).json()
        assert len(answer["data"]["students"]["edges"]) == 5, answer  # Dartmouth answered: the sandbox's
        assert {e["extensions"]["code"] for e in answer["errors"]} == {"UPSTREAM_BUDGET_EXCEEDED"}, answer
        proc.send_signal(signal.SIGINT)
        rest, _ = proc.communicate(timeout=20)
        request_lines = [line for line in rest.splitlines() if '"logger": "campusgraph.request"' in line]
        assert request_lines and '"UPSTREAM_BUDGET_EXCEEDED"' in request_lines[-1], rest[-2000:]
    finally:
        stop(proc)


def test_a_bad_setting_in_the_environment_stops_the_demo_with_its_reason() -> None:
    env = {**os.environ, "CAMPUSGRAPH_AUTH_DEV_KEY": "short"}
    done = subprocess.run([sys.executable, "-m", "gateway.cli", "demo", "--port", str(free_port())], env=env,
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 2 and "CAMPUSGRAPH_AUTH_DEV_KEY: must be at least 32 characters" in done.stdout, done
    assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.parametrize(("command", "option", "value"), [
    ("demo", "--latency-ms", "-5"), ("sandbox", "--latency-ms", "inf"), ("sandbox", "--task-seconds", "-1")])
def test_a_negative_or_endless_duration_is_refused_before_anything_starts(command: str, option: str,
                                                                          value: str) -> None:
    """`--latency-ms -5` was taken and meant no latency, without a word (the benchmark refused it already)."""
    done = subprocess.run([sys.executable, "-m", "gateway.cli", command, option, value, "--port", str(free_port())]
                          if command == "demo" else [sys.executable, "-m", "gateway.cli", command, option, value],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 2 and f"argument {option}: {value!r} must be a number, 0 or more" in done.stderr, done


def test_a_gateway_port_in_use_stops_the_demo_with_its_reason() -> None:
    """`make demo` beside a running one printed the sandbox's banner, then a SystemExit and the sandbox's traceback,
    exiting 3; a sandbox port in use was already said in one line."""
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        done = subprocess.run([sys.executable, "-m", "gateway.cli", "demo", "--port", str(port), "--students", "20",
                               *sandbox_ports()], capture_output=True, text=True, timeout=60,
                              env={**os.environ, "PYTHONUNBUFFERED": "1"})
    finally:
        taken.close()
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert f"campusgraph demo: cannot listen on 127.0.0.1:{port}" in done.stdout, output
    assert "Traceback" not in output and "GraphiQL at" not in output


def test_a_gateway_that_cannot_start_stops_the_demo_with_its_reason() -> None:
    """A gateway whose start-up fails (here Dartmouth does not grant a scope CAMPUSGRAPH_DARTMOUTH_SCOPES names) is
    said in a line, as by `campusgraph serve`: the demo printed it, then uvicorn's SystemExit as "Task exception was
    never retrieved" with its traceback."""
    env = {**os.environ, "CAMPUSGRAPH_DARTMOUTH_SCOPES": "urn:dartmouth:no-such-scope", "PYTHONUNBUFFERED": "1"}
    done = subprocess.run([sys.executable, "-m", "gateway.cli", "demo", "--port", str(free_port()), "--students", "20",
                           *sandbox_ports()], capture_output=True, text=True, timeout=60, env=env)
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert "the API key was not granted the configured scopes: urn:dartmouth:no-such-scope" in output, output
    assert "campusgraph demo: the gateway could not start" in done.stdout, output
    assert "Traceback" not in output and "GraphiQL at" not in output and "Bearer" not in output, output


def test_ctrl_c_stops_the_demo_promptly_while_a_query_is_still_running() -> None:
    """A demo waited for every request still running when stopped: a query on a slow vendor (here a sandbox
    latency of 20 s) held Ctrl-C for as long as it took. It is cut off after a second now, without a traceback."""
    proc, port, lines = start_demo()
    try:
        dartmouth = next(line.split()[1] for line in lines if line.strip().startswith("Dartmouth"))
        httpx.post(f"{dartmouth}/_sandbox/faults", json={"latency_ms": 20_000}).raise_for_status()
        full = token_after(lines, "Token with every scope")
        answers: list[object] = []

        def ask() -> None:
            try:
                answers.append(httpx.post(f"http://127.0.0.1:{port}/graphql", timeout=40,
                                          headers={"Authorization": f"Bearer {full}"},
                                          json={"query": '{ student(netid: "d59951y") { dartmouth { gradTerm } } }'}))
            except httpx.HTTPError as cut_off:
                answers.append(cut_off)

        asking = threading.Thread(target=ask)
        asking.start()
        time.sleep(1.0)  # the query is waiting on Dartmouth
        assert not answers
        started = time.monotonic()
        proc.send_signal(signal.SIGINT)
        rest, _ = proc.communicate(timeout=40)
        stopped_in = time.monotonic() - started
        asking.join(timeout=40)
        assert stopped_in < 6, (stopped_in, rest)
        assert proc.returncode == 0 and "Traceback" not in rest, rest
    finally:
        stop(proc)
