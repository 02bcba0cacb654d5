"""Traces exported over OTLP/HTTP to a collector in this test process: one span per operation, one per upstream
exchange (none per field), continuing the caller's trace, and each vendor request carrying its span's traceparent."""

from __future__ import annotations

import gzip
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from tests.gateway.test_students import linked_student
from tests.gatewayproc import GatewayProcess, sandbox_env
from tests.sandboxproc import SandboxProcess, free_port

CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_SPAN = "00f067aa0ba902b7"


class Collector:
    """An OTLP/HTTP trace receiver: every span it is sent, with its service name."""

    def __init__(self) -> None:
        self.spans: list[dict[str, Any]] = []
        self.refusals = 0  # batches to answer 400, as a collector refusing them does
        self.port = free_port()
        collector = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                if collector.refusals > 0:
                    collector.refusals -= 1
                    self.send_response(400)
                    self.send_header("content-length", "0")
                    self.end_headers()
                    return
                if self.headers.get("content-encoding") == "gzip":
                    body = gzip.decompress(body)
                request = ExportTraceServiceRequest.FromString(body)
                for resource in request.resource_spans:
                    service = {a.key: a.value.string_value for a in resource.resource.attributes}["service.name"]
                    for scope in resource.scope_spans:
                        for span in scope.spans:
                            collector.spans.append({
                                "service": service, "name": span.name, "kind": span.kind,
                                "trace": span.trace_id.hex(), "id": span.span_id.hex(),
                                "parent": span.parent_span_id.hex(), "status": span.status.code,
                                "attributes": {a.key: _value(a.value) for a in span.attributes}})
                answer = ExportTraceServiceResponse().SerializeToString()
                self.send_response(200)
                self.send_header("content-type", "application/x-protobuf")
                self.send_header("content-length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, trace_id: str, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        """The trace's spans once ``count`` have arrived, the operation's (which ends last) among them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [s for s in self.spans if s["trace"] == trace_id]
            if len(found) >= count and any(s["name"].startswith("query ") for s in found):
                return found
            time.sleep(0.05)
        raise AssertionError(f"{count} spans of trace {trace_id} never arrived: {self.spans}")


def _value(v: Any) -> Any:
    kind = v.WhichOneof("value")
    if kind == "array_value":
        return [_value(x) for x in v.array_value.values]
    return getattr(v, kind)


@pytest.fixture(scope="module")
def traced(sandbox_process: SandboxProcess) -> Iterator[tuple[GatewayProcess, Collector]]:
    collector = Collector()
    env = sandbox_env(sandbox_process, otlp_endpoint=f"http://127.0.0.1:{collector.port}",
                      service_name="campusgraph-test")
    env["OTEL_BSP_SCHEDULE_DELAY"] = "50"  # export within 50 ms rather than the default 5 s
    proc = GatewayProcess(env).start()
    yield proc, collector
    proc.stop()
    collector.server.shutdown()


def test_an_operation_is_one_span_with_one_child_per_upstream_call(traced: tuple[GatewayProcess, Collector],
                                                                   sandbox: SandboxProcess) -> None:
    gateway, collector = traced
    query = """query StudentTrace { student(netid: "d59951y") {
        netid firstName lastName email status classYear dartmouth { gradTerm } stellic { engagementScore } } }"""
    gateway.post("{ __typename }")  # credentials obtained before the traced request
    sandbox.reset()
    auth = gateway.bearer()
    response = gateway.post(query, headers={**auth, "traceparent": f"00-{CALLER_TRACE}-{CALLER_SPAN}-01"})
    assert "errors" not in response.json()

    vendor_requests = [r for v in ("stellic", "hubmis", "dartmouth") for r in sandbox.requests(v)["requests"]]
    assert vendor_requests
    spans = collector.wait_for(CALLER_TRACE, 1 + len(vendor_requests))
    [operation] = [s for s in spans if s["parent"] == CALLER_SPAN]
    assert operation["name"] == "query StudentTrace" and operation["service"] == "campusgraph-test"
    attributes = operation["attributes"]
    assert attributes["graphql.operation.name"] == "StudentTrace"
    assert attributes["graphql.operation.type"] == "query" and attributes["campusgraph.outcome"] == "ok"
    assert attributes["campusgraph.request_id"] == response.headers["x-request-id"]
    assert attributes["campusgraph.upstream_calls"] == len(vendor_requests)

    upstream = [s for s in spans if s is not operation]
    # No span per field: the operation's only children are its upstream exchanges, one each.
    assert len(upstream) == len(vendor_requests)
    assert all(s["parent"] == operation["id"] for s in upstream)
    for span in upstream:
        vendor = span["attributes"]["campusgraph.vendor"]
        assert span["name"].startswith(f"{vendor} GET /") and span["attributes"]["http.response.status_code"] == 200
        assert "{" in span["attributes"]["url.template"] or span["attributes"]["url.template"].startswith("/")
    # Each vendor request carried the trace context of its own span.
    sent = sorted(r["traceparent"] for r in vendor_requests)
    assert sent == sorted(f"00-{CALLER_TRACE}-{s['id']}-01" for s in upstream)


def test_a_failing_upstream_call_is_an_error_span(traced: tuple[GatewayProcess, Collector],
                                                  sandbox: SandboxProcess) -> None:
    gateway, collector = traced
    gateway.post("{ __typename }")
    sandbox.faults("stellic", outage=True)
    trace_id = "0af7651916cd43dd8448eb211c80319c"
    auth = gateway.bearer()
    response = gateway.post("query Down($n: String) { student(netid: $n) { netid stellic { engagementScore } } }",
                            {"n": linked_student()},  # not cached by the test before
                            headers={**auth, "traceparent": f"00-{trace_id}-b7ad6b7169203331-01"})
    assert response.json()["errors"]
    spans = collector.wait_for(trace_id, 4)  # the operation, and the failing call's three attempts
    operation = next(s for s in spans if s["parent"] == "b7ad6b7169203331")
    assert operation["attributes"]["campusgraph.outcome"] == "partial"
    assert operation["attributes"]["campusgraph.error_codes"] == ["VENDOR_UNAVAILABLE"]
    failed = [s for s in spans if s["attributes"].get("campusgraph.vendor") == "stellic"]
    assert failed and all(s["status"] == 2 and s["attributes"]["http.response.status_code"] == 503 for s in failed)
    assert any(s["attributes"].get("http.request.resend_count") == 1 for s in failed)


def test_a_collector_refusing_spans_is_said_in_a_json_line_like_every_other(
        traced: tuple[GatewayProcess, Collector]) -> None:
    """The README: one JSON line per line of output on stderr. Only campusgraph's and uvicorn's loggers wrote JSON;
    the OTLP exporter's warnings (a collector down or refusing a batch) and any other library's fell to Python's
    last-resort handler as bare text, which a log pipeline parsing JSON drops or chokes on."""
    gateway, collector = traced
    before = len(gateway.logs().splitlines())
    collector.refusals = 1
    gateway.post('{ student(netid: "no-one-has-this-key") { netid } }')
    deadline = time.monotonic() + 10
    while "Failed to export" not in gateway.logs() and time.monotonic() < deadline:
        time.sleep(0.05)
    lines = gateway.logs().splitlines()[before:]
    said = [line for line in lines if "Failed to export" in line]
    assert said, lines
    for line in lines:
        record = json.loads(line)  # every line, the exporter's included
        assert {"ts", "level", "logger", "msg"} <= record.keys(), record
    (refusal,) = [json.loads(line) for line in said]
    assert refusal["level"] == "error" and refusal["logger"].startswith("opentelemetry"), refusal
