# campusgraph: the gateway by default, the vendor sandbox with `docker run IMAGE sandbox --host 0.0.0.0`.
# Checked without a Docker engine by tests/deploy/test_container.py (stages, user, healthcheck, command),
# which also installs the same wheel into a clean virtualenv and runs this image's command to /readyz.

# Build stage: wheels of the project and of its runtime dependencies; whatever building needs stays here.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY gateway ./gateway
COPY schema ./schema
COPY resolvers ./resolvers
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

# Runtime stage: the wheels installed without an index (no dev extras, no compiler), run as a non-root user.
FROM python:3.11-slim AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    CAMPUSGRAPH_HOST=0.0.0.0 \
    CAMPUSGRAPH_PORT=8000
RUN useradd --create-home --uid 10001 campusgraph
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links=/wheels campusgraph && rm -rf /wheels
USER campusgraph
WORKDIR /home/campusgraph
# 8000: the gateway; 8101-8103: the sandbox's Stellic, HUBmis and Dartmouth.
EXPOSE 8000 8101 8102 8103
# The process is up (liveness); readiness is GET /readyz, for the orchestrator's own probe.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('CAMPUSGRAPH_PORT', '8000'), timeout=2)"]
ENTRYPOINT ["campusgraph"]
CMD ["serve"]
