# Build stage: build a wheel of the project.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY gateway ./gateway
COPY schema ./schema
COPY resolvers ./resolvers
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

# Runtime stage: the wheel and its dependencies only, as a non-root user.
FROM python:3.11-slim
RUN useradd --create-home --uid 10001 campusgraph
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER campusgraph
EXPOSE 8101 8102 8103
# The sandbox runs from this image: docker run IMAGE sandbox --host 0.0.0.0
ENTRYPOINT ["campusgraph"]
CMD ["sandbox", "--host", "0.0.0.0"]
