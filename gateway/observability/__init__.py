"""Running the gateway in production: Prometheus metrics, OpenTelemetry traces, the per-request log line,
readiness, and the GraphQL extension that feeds them."""
