"""OpenTelemetry traces: one span per GraphQL operation and one per upstream HTTP exchange, never per field.

Off unless ``CAMPUSGRAPH_OTLP_ENDPOINT`` is set; then spans are batched and exported over OTLP/HTTP
(the exporter also honours the standard ``OTEL_EXPORTER_OTLP_*`` and ``OTEL_BSP_*`` variables). The
operation span continues a caller's W3C trace context, and every upstream exchange carries its own
span's ``traceparent`` to the vendor. The provider is this app's own, not the process-global one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter
from opentelemetry.sdk.trace.sampling import ParentBasedTraceIdRatio
from opentelemetry.trace import Span, SpanKind, Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from gateway.settings import Settings
from gateway.vendors.stats import Exchange


def traces_url(endpoint: str) -> str:
    """The OTLP/HTTP traces URL of a collector's base URL (``http://collector:4318``), or the URL as given."""
    return endpoint if endpoint.endswith("/v1/traces") else endpoint.rstrip("/") + "/v1/traces"


class Tracing:
    def __init__(self, provider: TracerProvider) -> None:
        self.provider = provider
        self.tracer = provider.get_tracer("campusgraph")
        self.propagator = TraceContextTextMapPropagator()

    @classmethod
    def from_settings(cls, settings: Settings) -> Tracing | None:
        if settings.otlp_endpoint is None:
            return None
        return cls.exporting(OTLPSpanExporter(endpoint=traces_url(settings.otlp_endpoint)), settings.service_name,
                             settings.trace_sample_ratio)

    @classmethod
    def exporting(cls, exporter: SpanExporter, service_name: str = "campusgraph",
                  sample_ratio: float = 1.0) -> Tracing:
        provider = TracerProvider(resource=Resource.create({"service.name": service_name}),
                                  sampler=ParentBasedTraceIdRatio(sample_ratio))
        provider.add_span_processor(BatchSpanProcessor(exporter))
        return cls(provider)

    def shutdown(self) -> None:
        """Export what is still queued, then stop."""
        self.provider.shutdown()

    # ---- GraphQL operations ------------------------------------------------------------------
    def start_operation(self, headers: Mapping[str, str] | None) -> tuple[Span, object]:
        """A server span for one operation, child of the caller's ``traceparent`` if any, made current."""
        parent = self.propagator.extract(dict(headers)) if headers is not None else None
        span = self.tracer.start_span("graphql operation", context=parent, kind=SpanKind.SERVER)
        return span, otel_context.attach(trace.set_span_in_context(span))

    @staticmethod
    def end_operation(span: Span, token: object, attributes: dict[str, Any], failed: bool) -> None:
        otel_context.detach(token)  # type: ignore[arg-type]
        span.update_name(f"{attributes['graphql.operation.type']} {attributes['graphql.operation.name']}")
        span.set_attributes({k: v for k, v in attributes.items() if v is not None})
        if failed:
            span.set_status(Status(StatusCode.ERROR))
        span.end()

    # ---- upstream exchanges (the VendorClient exchange hook) ---------------------------------
    @contextmanager
    def upstream_span(self, exchange: Exchange) -> Iterator[Span]:
        url = urlsplit(exchange.url)
        template = exchange.route.partition(" ")[2]
        attributes: dict[str, Any] = {
            "campusgraph.vendor": exchange.vendor, "http.request.method": exchange.method,
            "url.template": template, "url.full": exchange.url, "server.address": url.hostname or "",
            "server.port": url.port or (443 if url.scheme == "https" else 80)}
        if exchange.attempt > 1:
            attributes["http.request.resend_count"] = exchange.attempt - 1
        with self.tracer.start_as_current_span(f"{exchange.vendor} {exchange.route}", kind=SpanKind.CLIENT,
                                               attributes=attributes, record_exception=False,
                                               set_status_on_exception=False) as span:
            self.propagator.inject(exchange.headers)
            try:
                yield span
            finally:
                if exchange.status is not None:
                    span.set_attribute("http.response.status_code", exchange.status)
                    if exchange.status >= 500:
                        span.set_attributes({"error.type": str(exchange.status)})
                        span.set_status(Status(StatusCode.ERROR))
                if exchange.error is not None:
                    span.set_attribute("error.type", "transport")
                    span.set_status(Status(StatusCode.ERROR, exchange.error))
