"""Settings come from CAMPUSGRAPH_* variables, fail fast with every problem, and never show a secret."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from gateway.settings import Settings, SettingsError
from tests.gatewayproc import sandbox_env
from tests.sandboxproc import SandboxProcess, free_port

SANDBOX_ENV = {
    "CAMPUSGRAPH_AUTH_DEV_KEY": "a-development-signing-key-of-enough-length",
    "CAMPUSGRAPH_STELLIC_BASE_URL": "http://127.0.0.1:8101",
    "CAMPUSGRAPH_STELLIC_TOKEN": "sandbox-stellic-pat",
    "CAMPUSGRAPH_HUBMIS_BASE_URL": "http://127.0.0.1:8102",
    "CAMPUSGRAPH_HUBMIS_CLIENT_ID": "sandbox-client",
    "CAMPUSGRAPH_HUBMIS_CLIENT_SECRET": "sandbox-secret",
    "CAMPUSGRAPH_HUBMIS_REALM": "S999",
    "CAMPUSGRAPH_DARTMOUTH_BASE_URL": "http://127.0.0.1:8103/",
    "CAMPUSGRAPH_DARTMOUTH_API_KEY": "sandbox-dartmouth-key",
}


def test_reads_every_vendor_and_policy() -> None:
    settings = Settings.from_env({**SANDBOX_ENV, "CAMPUSGRAPH_HUBMIS_TIMEOUT_S": "2.5",
                                  "CAMPUSGRAPH_DARTMOUTH_SCOPES": "a:b c:d", "CAMPUSGRAPH_REDIS_URL": "redis://x:1/0"})
    assert settings.dartmouth.base_url == "http://127.0.0.1:8103"
    assert settings.hubmis.http.timeout_s == 2.5 and settings.stellic.http.timeout_s == 10.0
    assert settings.dartmouth.scopes == ("a:b", "c:d")
    assert settings.hubmis.rate_limit_bucket == 500 and settings.hubmis.rate_limit_refill_s == 5.0
    assert settings.redis_url == "redis://x:1/0"


def test_secrets_never_show_in_a_repr() -> None:
    text = repr(Settings.from_env(SANDBOX_ENV))
    for secret in ("sandbox-stellic-pat", "sandbox-secret", "sandbox-dartmouth-key"):
        assert secret not in text


def test_fails_fast_listing_every_problem_without_echoing_values() -> None:
    env = {**SANDBOX_ENV, "CAMPUSGRAPH_HUBMIS_TIMEOUT_S": "soon", "CAMPUSGRAPH_STELLIC_BASE_URL": "ftp://x"}
    del env["CAMPUSGRAPH_DARTMOUTH_API_KEY"]
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(env)
    message = str(caught.value)
    assert "CAMPUSGRAPH_DARTMOUTH_API_KEY is required" in message
    assert "CAMPUSGRAPH_HUBMIS_TIMEOUT_S" in message and "CAMPUSGRAPH_STELLIC_BASE_URL" in message
    assert "sandbox-secret" not in message


def test_a_misspelt_setting_is_said_with_the_one_it_may_mean() -> None:
    """A CAMPUSGRAPH_* variable no setting reads was ignored without a word, leaving the default in force (a HUBmis
    timeout of 10 s where 3 was meant). It is said now, with the closest setting; not refused, since an orchestrator
    may set variables of that prefix (Kubernetes' CAMPUSGRAPH_SERVICE_HOST for a service named campusgraph)."""
    settings = Settings.from_env({**SANDBOX_ENV, "CAMPUSGRAPH_HUBMIS_TIMOUT_S": "3", "CAMPUSGRAPH_CALLBUDGET": "20",
                                  "CAMPUSGRAPH_SERVICE_HOST": "10.0.0.1", "CAMPUSGRAPH_AUTH_JWKS_URL": ""})
    assert settings.hubmis.http.timeout_s == 10.0
    assert settings.notes == (
        "CAMPUSGRAPH_CALLBUDGET is not a setting and is ignored (did you mean CAMPUSGRAPH_CALL_BUDGET?)",
        "CAMPUSGRAPH_HUBMIS_TIMOUT_S is not a setting and is ignored (did you mean CAMPUSGRAPH_HUBMIS_TIMEOUT_S?)",
        "CAMPUSGRAPH_SERVICE_HOST is not a setting and is ignored")
    assert Settings.from_env(SANDBOX_ENV).notes == ()


def test_kubernetes_service_link_for_the_port_is_said_not_refused() -> None:
    """A Service named campusgraph makes Kubernetes set CAMPUSGRAPH_PORT=tcp://<address>:8000 in every pod beside it,
    and `serve` refused to start ("is not a whole number"); it is the service's address, so the default is taken."""
    settings = Settings.from_env({**SANDBOX_ENV, "CAMPUSGRAPH_PORT": "tcp://10.96.0.12:8000",
                                  "CAMPUSGRAPH_PORT_8000_TCP_PORT": "8000"})
    assert settings.port == 8000
    assert settings.notes[0].startswith("CAMPUSGRAPH_PORT is a Kubernetes service link"), settings.notes
    assert "10.96.0.12" not in " ".join(settings.notes)
    assert Settings.from_env({**SANDBOX_ENV, "CAMPUSGRAPH_PORT": "9000"}).port == 9000


def refusal(name: str, value: str) -> str:
    """What start-up says when CAMPUSGRAPH_<name> is ``value`` over the sandbox's settings, which it must refuse."""
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({**SANDBOX_ENV, f"CAMPUSGRAPH_{name}": value})
    return str(caught.value)


@pytest.mark.parametrize(("name", "value", "said"), [
    ("HUBMIS_TIMEOUT_S", "10s", "'10s' is not a number: give seconds without a unit (10, 0.5)"),
    ("TASK_WAIT_S", "500ms", "'500ms' is not a number: give seconds without a unit (10, 0.5)"),
    ("CALL_BUDGET", "1.5", "'1.5' is not a whole number"),
    ("STELLIC_RETRIES", "two", "'two' is not a whole number"),
    ("TRACE_SAMPLE_RATIO", "half", "'half' is not a number"),
    ("HUBMIS_TIMEOUT_S", "inf", "'inf' is not a finite number"),
    ("TASK_WAIT_S", "nan", "'nan' is not a finite number"),
    ("TRACE_SAMPLE_RATIO", "NaN", "'NaN' is not a finite number"),
])
def test_a_malformed_number_is_said_in_words(name: str, value: str, said: str) -> None:
    """Python's own words reached the operator: "invalid literal for int() with base 10", "could not convert string
    to float", and nothing said that a duration takes no unit."""
    assert f"CAMPUSGRAPH_{name}: {said}\n" in refusal(name, value) + "\n"


@pytest.mark.parametrize(("name", "value", "said"), [
    ("STELLIC_BASE_URL", "https://dartmouth.stellic.com/partnerapi/v1/", "ends with /partnerapi/v1, which the gateway"),
    ("HUBMIS_BASE_URL", "https://api.hubmis.com/api/v1", "ends with /api/v1, which the gateway adds"),
    ("DARTMOUTH_BASE_URL", "https://api.dartmouth.edu/api", "ends with /api, which the gateway adds"),
    ("HUBMIS_BASE_URL", "https://proxy.example/hubmis/api/v1/", "ends with /api/v1, which the gateway adds"),
    ("HUBMIS_BASE_URL", "https://client:hunter2@api.hubmis.com", "with no user, query or fragment"),
    ("DARTMOUTH_BASE_URL", "https://api.dartmouth.edu?key=hunter2", "with no user, query or fragment"),
])
def test_a_base_url_the_gateway_cannot_call_is_refused_at_start(name: str, value: str, said: str) -> None:
    """The API path copied into the base URL (as the vendors' documents write their URLs) made every call 404, the
    credential exchange too, and a credential written into it went out with every call, and into every trace."""
    refused = refusal(name, value)
    assert f"CAMPUSGRAPH_{name}: " in refused and said in refused
    assert "hunter2" not in refused


def test_a_base_url_with_a_path_of_its_own_is_taken() -> None:
    """A proxy in front of a vendor may serve it under a path: that is not the vendor's API path."""
    settings = Settings.from_env({**SANDBOX_ENV, "CAMPUSGRAPH_HUBMIS_BASE_URL": "https://proxy.example/hubmis/",
                                  "CAMPUSGRAPH_DARTMOUTH_BASE_URL": "http://127.0.0.1:8103/"})
    assert settings.hubmis.base_url == "https://proxy.example/hubmis"
    assert settings.dartmouth.base_url == "http://127.0.0.1:8103"


@pytest.mark.parametrize(("name", "value"), [
    ("HUBMIS_BASE_URL", "https://egress.example.edu/hubmis/api"),
    ("DARTMOUTH_BASE_URL", "https://egress.example.edu/vendors/api/"),
    ("STELLIC_BASE_URL", "https://egress.example.edu/stellic/exports"),
])
def test_a_proxy_path_that_ends_as_the_api_path_begins_is_taken_with_a_warning(name: str, value: str) -> None:
    """A proxy serving a vendor under a path of its own that happens to end in /api (an API gateway's usual
    naming) was refused with no way around it: that path is not the vendor's, whose own begins after it. Only the
    base URL whose path is the vendor's API path itself, or ends with its versioned form, is surely a mistake."""
    settings = Settings.from_env({**SANDBOX_ENV, f"CAMPUSGRAPH_{name}": value})
    assert getattr(settings, name.split("_")[0].lower()).base_url == value.rstrip("/")
    (note,) = [n for n in settings.notes if n.startswith(f"CAMPUSGRAPH_{name}: ")]
    assert "which the gateway adds" in note and "egress" not in note


def test_a_gateway_nobody_could_call_does_not_start() -> None:
    env = {k: v for k, v in SANDBOX_ENV.items() if k != "CAMPUSGRAPH_AUTH_DEV_KEY"}
    with pytest.raises(SettingsError, match="configure at least one way for callers to authenticate"):
        Settings.from_env(env)


def test_the_log_level_is_one_of_the_four() -> None:
    assert Settings.from_env(SANDBOX_ENV).log_level == "INFO"
    assert Settings.from_env({**SANDBOX_ENV, "CAMPUSGRAPH_LOG_LEVEL": "debug"}).log_level == "DEBUG"
    with pytest.raises(SettingsError, match="CAMPUSGRAPH_LOG_LEVEL"):
        Settings.from_env({**SANDBOX_ENV, "CAMPUSGRAPH_LOG_LEVEL": "verbose"})


@pytest.mark.parametrize("name", ["CALLER_RATE_PER_MIN", "CALLER_BURST", "MAX_BATCH", "MAX_BODY_BYTES",
                                  "MAX_TOKENS", "CALL_BUDGET", "HUBMIS_PAGE_SIZE", "DARTMOUTH_PAGE_SIZE",
                                  "HUBMIS_RATE_LIMIT_REFILL_S", "HUBMIS_INDEX_REFRESH_S", "STELLIC_TIMEOUT_S",
                                  "DARTMOUTH_BREAKER_FAILURES"])
def test_zero_is_refused_where_it_would_break_the_gateway(name: str) -> None:
    """0 requests a minute divided by zero at start-up; a batch, body, burst or page of 0 refused every request
    or listed nothing; a timeout of 0 failed every call. Each is a configuration problem, listed as the others."""
    with pytest.raises(SettingsError, match=f"CAMPUSGRAPH_{name}: must be above 0"):
        Settings.from_env({**SANDBOX_ENV, f"CAMPUSGRAPH_{name}": "0"})


def test_zero_still_turns_off_what_it_can_turn_off() -> None:
    settings = Settings.from_env({**SANDBOX_ENV, "CAMPUSGRAPH_STELLIC_RETRIES": "0",
                                  "CAMPUSGRAPH_STELLIC_PRECONNECT": "0", "CAMPUSGRAPH_MAX_ALIASES": "0"})
    assert settings.stellic.http.retries == 0 and settings.stellic.http.preconnect == 0
    assert settings.access.limits.max_aliases == 0


def test_serve_refuses_to_start_on_a_zero_rate_without_a_traceback() -> None:
    """`campusgraph serve` with CAMPUSGRAPH_CALLER_RATE_PER_MIN=0 started, then died in a ZeroDivisionError."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAMPUSGRAPH_")}
    env.update({**SANDBOX_ENV, "CAMPUSGRAPH_CALLER_RATE_PER_MIN": "0", "CAMPUSGRAPH_PORT": str(free_port())})
    proc = subprocess.run([sys.executable, "-m", "gateway.cli", "serve"], env=env, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert "CAMPUSGRAPH_CALLER_RATE_PER_MIN: must be above 0" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("value", ["notaurl", "localhost:6379", "http://redis:6379/0", "unix:///run/redis.sock",
                                   "redis://redis:6379/cache",
                                   "redis://redis:99999/0", "redis:///0"])
def test_a_redis_url_the_gateway_cannot_use_is_a_configuration_problem(value: str) -> None:
    """`CAMPUSGRAPH_REDIS_URL=notaurl` started `campusgraph serve`, then died in a traceback from the cache."""
    with pytest.raises(SettingsError, match=r"CAMPUSGRAPH_REDIS_URL: must be redis://\[\[user\]"):
        Settings.from_env({**SANDBOX_ENV, "CAMPUSGRAPH_REDIS_URL": value})


def test_redis_urls_as_documented_are_taken() -> None:
    for value in ("redis://redis:6379/0", "redis://127.0.0.1", "redis://:pw@redis:6380/2", "redis://redis:6379/",
                  "redis://alice:pw@redis:6379/0", "rediss://redis:6380/0"):
        assert Settings.from_env({**SANDBOX_ENV, "CAMPUSGRAPH_REDIS_URL": value}).redis_url == value


@pytest.mark.parametrize(("name", "value"), [("PORT", "99999"), ("PORT", "0"), ("HUBMIS_RATE_LIMIT_BUCKET", "0")])
def test_a_port_out_of_range_or_an_empty_hubmis_bucket_is_refused(name: str, value: str) -> None:
    """Port 99999 started and said "running on http://127.0.0.1:99999"; a HUBmis bucket of 0 let no HUBmis call
    go, ever (every HUBmis field VENDOR_RATE_LIMITED after a wait, the crosswalk's index never built)."""
    with pytest.raises(SettingsError, match=f"CAMPUSGRAPH_{name}: must be"):
        Settings.from_env({**SANDBOX_ENV, f"CAMPUSGRAPH_{name}": value})


def test_serve_refuses_a_malformed_redis_url_and_port_listing_both_without_a_traceback() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAMPUSGRAPH_")}
    env.update({**SANDBOX_ENV, "CAMPUSGRAPH_REDIS_URL": "notaurl", "CAMPUSGRAPH_PORT": "99999",
                "CAMPUSGRAPH_HUBMIS_BASE_URL": "https://api.hubmis.com/api/v1"})
    proc = subprocess.run([sys.executable, "-m", "gateway.cli", "serve"], env=env, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert "CAMPUSGRAPH_HUBMIS_BASE_URL: ends with /api/v1" in proc.stderr
    assert "CAMPUSGRAPH_REDIS_URL: must be redis://[[user]" in proc.stderr and "Traceback" not in proc.stderr
    assert "CAMPUSGRAPH_PORT: must be a port number" in proc.stderr
    refused = subprocess.run([sys.executable, "-m", "gateway.cli", "serve", "--port", "99999"], env=env,
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "not a port number" in refused.stderr, refused.stderr


@pytest.mark.parametrize(("name", "value", "reason"), [
    ("DARTMOUTH_API_KEY", "sandbox-dartmouth-basic", "dartmouth: the API key was not granted the configured scopes"),
    ("HUBMIS_CLIENT_SECRET", "not-the-secret", "hubmis (POST /api/v1/token) HTTP 401: the client id or secret was"),
    ("STELLIC_TOKEN", "not-the-token", "stellic (GET /partnerapi/v1/students/{student_username}/{property}) HTTP 401"),
])
def test_a_credential_a_vendor_refuses_stops_serve_in_one_line(sandbox: SandboxProcess, name: str, value: str,
                                                                reason: str) -> None:
    """A Dartmouth key without the configured scopes, or a HUBmis secret HUBmis refuses, stopped `campusgraph serve`
    as meant, but said so at the end of a traceback through Starlette's lifespan, inside one JSON log line."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAMPUSGRAPH_")}
    env.update({**sandbox_env(sandbox), f"CAMPUSGRAPH_{name}": value, "CAMPUSGRAPH_PORT": str(free_port()),
                "CAMPUSGRAPH_HUBMIS_TIMOUT_S": "3"})  # misspelt: said at start-up, before the vendors are asked
    proc = subprocess.run([sys.executable, "-m", "gateway.cli", "serve"], env=env, capture_output=True, text=True,
                          timeout=60)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    errors = [line for line in output.splitlines() if '"level": "error"' in line]
    assert any(reason in line and f"CAMPUSGRAPH_{name}" in line for line in errors), output
    warnings = [line for line in output.splitlines() if '"level": "warning"' in line]
    said = "CAMPUSGRAPH_HUBMIS_TIMOUT_S is not a setting and is ignored (did you mean CAMPUSGRAPH_HUBMIS_TIMEOUT_S?)"
    assert any(said in line for line in warnings), output
    assert "Traceback" not in output and value not in output


def test_cors_origins_are_taken_as_browsers_send_them() -> None:
    settings = Settings.from_env({**SANDBOX_ENV, "CAMPUSGRAPH_CORS_ORIGINS":
                                  "https://app.campus.example/, http://localhost:3000,https://app.campus.example"})
    assert settings.access.cors_origins == ("https://app.campus.example", "http://localhost:3000")
    assert Settings.from_env(SANDBOX_ENV).access.cors_origins == ()


@pytest.mark.parametrize("value", ["*", "app.campus.example", "https://app.campus.example/graphql",
                                   "ftp://app.campus.example", "https://app.campus.example:99999"])
def test_a_cors_origin_that_is_not_one_is_refused(value: str) -> None:
    """`*` would let any page read the demo's GraphiQL page (it carries a token); a path or no scheme never matches
    the Origin a browser sends, so the front-end would fail with nothing said."""
    with pytest.raises(SettingsError, match="CAMPUSGRAPH_CORS_ORIGINS: "):
        Settings.from_env({**SANDBOX_ENV, "CAMPUSGRAPH_CORS_ORIGINS": value})


@pytest.mark.parametrize("value", ["{key}@{domain}", "{key}@dartmouth.edu}", "{{key}}", "{key}-{0}", "{key.upper}"])
def test_a_stellic_username_template_with_other_braces_is_refused(value: str) -> None:
    """`{key}@{domain}` passed the check ({key} once) and started: every query that needed a Stellic username then
    failed with INTERNAL_ERROR (str.format's KeyError); `{{key}}` gave every student the one username "{key}"."""
    refused = refusal("CROSSWALK_STELLIC_USERNAME", value)
    assert "CAMPUSGRAPH_CROSSWALK_STELLIC_USERNAME: " in refused and "{key}" in refused
    assert Settings.from_env({**SANDBOX_ENV, "CAMPUSGRAPH_CROSSWALK_STELLIC_USERNAME": "stu-{key}@dartmouth.edu"})
