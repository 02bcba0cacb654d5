"""The container, checked without a Docker engine: the Dockerfile's stages, user, healthcheck and command, the
compose file, and the image's start-up command run from a clean install of the wheel the image installs."""

from __future__ import annotations

import json
import os
import re
import secrets
import shlex
import signal
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import yaml

from gateway.settings import Settings
from tests.gatewayproc import sandbox_env
from tests.sandboxproc import SandboxProcess, free_port
from tests.scratch import scratch_dir

ROOT = Path(__file__).parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]

    def last(self, keyword: str) -> str | None:
        found = self.all(keyword)
        return found[-1] if found else None


def dockerfile_stages(text: str) -> list[Stage]:
    """Instructions by stage, continuation lines joined and comments dropped."""
    logical, current = [], ""
    for line in text.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        current += line.rstrip().removesuffix("\\") + " "
        if not line.rstrip().endswith("\\"):
            logical.append(current.strip())
            current = ""
    stages: list[Stage] = []
    for instruction in logical:
        keyword, _, args = instruction.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            parts = args.split()
            stages.append(Stage(parts[0], parts[2] if len(parts) > 2 and parts[1].upper() == "AS" else None))
        else:
            stages[-1].instructions.append((keyword, args.strip()))
    return stages


def exec_form(args: str) -> list[str]:
    parsed = json.loads(args)
    assert isinstance(parsed, list) and all(isinstance(a, str) for a in parsed), args
    return parsed


STAGES = dockerfile_stages((ROOT / "Dockerfile").read_text())
FINAL = STAGES[-1]


def test_the_dockerfile_builds_in_one_stage_and_runs_in_another_as_a_non_root_user() -> None:
    assert len(STAGES) >= 2
    assert FINAL.base.startswith("python:3.11-slim")
    user = FINAL.last("USER")
    assert user is not None and user.split(":")[0] not in ("root", "0")
    # What the build stage copies exists, and the final stage takes only the built wheels from it.
    for stage in STAGES[:-1]:
        for copy in stage.all("COPY"):
            *sources, _ = shlex.split(copy)
            assert all((ROOT / s).exists() for s in sources if not s.startswith("--")), copy
    names = {s.name for s in STAGES[:-1]}
    for copy in FINAL.all("COPY"):
        source = re.match(r"--from=(\S+) ", copy)
        assert source is not None and source[1] in names, copy
    runs = " ".join(FINAL.all("RUN"))
    assert "--no-index" in runs and "[dev]" not in runs and "-e " not in runs  # no dev extras, no editable source
    assert not re.search(r"apt-get install|build-essential|gcc", runs)


def test_the_image_runs_the_console_script_declared_in_pyproject() -> None:
    entrypoint, cmd = FINAL.last("ENTRYPOINT"), FINAL.last("CMD")
    assert entrypoint is not None and cmd is not None
    command = exec_form(entrypoint) + exec_form(cmd)
    assert command == ["campusgraph", "serve"]
    assert PYPROJECT["project"]["scripts"]["campusgraph"] == "gateway.cli:main"
    env = dict(re.findall(r"(CAMPUSGRAPH_[A-Z_]+)=(\S+)", " ".join(FINAL.all("ENV"))))
    assert env["CAMPUSGRAPH_HOST"] == "0.0.0.0"  # reachable from outside the container  # noqa: S104


def healthcheck_command() -> list[str]:
    healthcheck = FINAL.last("HEALTHCHECK")
    assert healthcheck is not None
    options, _, command = healthcheck.partition("CMD ")
    assert "--interval" in options and "--timeout" in options
    argv = exec_form(command)
    assert argv[0] == "python" and "/healthz" in argv[-1]  # no curl in a slim image: Python asks
    return argv


def interpolate(value: str) -> str:
    """Compose's ``${NAME:-default}`` and ``${NAME:?message}``, as if the required ones were set."""
    return re.sub(r"\$\{([A-Z_]+):([-?])([^}]*)\}",
                  lambda m: m[3] if m[2] == "-" else secrets.token_urlsafe(48), value)


def test_the_compose_file_runs_two_replicas_sharing_redis_over_the_sandbox() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"redis", "sandbox"} <= services.keys()
    assert services["sandbox"]["command"] == ["sandbox", "--host", "0.0.0.0"]  # noqa: S104 - inside its container
    gateways = {name: s for name, s in services.items() if name.startswith("gateway")}
    assert len(gateways) >= 2
    ports = set()
    for service in gateways.values():
        assert service.get("build") == "." and "command" not in service  # the image's own command: serve
        env = {k: interpolate(str(v)) for k, v in service["environment"].items()}
        assert env["CAMPUSGRAPH_REDIS_URL"].startswith("redis://redis:")
        assert all(env[f"CAMPUSGRAPH_{v}_BASE_URL"].startswith("http://sandbox:") for v in
                   ("STELLIC", "HUBMIS", "DARTMOUTH"))
        Settings.from_env(env)  # raises, listing every problem, if a replica would refuse to start
        readme = (ROOT / "README.md").read_text()
        assert all(f"`{name}`" in readme for name in env), "every variable set here is documented"
        assert service["depends_on"]["redis"]["condition"] == "service_healthy"
        ports |= {p.split(":")[0] for p in service["ports"]}
    assert len(ports) == len(gateways)
    assert {services["sandbox"].get("image"), *(g.get("image") for g in gateways.values())} == {"campusgraph:latest"}


@pytest.fixture(scope="module")
def clean_install() -> Iterator[Path]:
    """The project's wheel (as the image's build stage makes it) in a new virtualenv with only its runtime deps."""
    work = scratch_dir("clean-install-")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(work / "wheels"), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    subprocess.run([sys.executable, "-m", "venv", str(work / "venv")], check=True, timeout=120)
    wheel = next((work / "wheels").glob("campusgraph-*.whl"))
    subprocess.run([str(work / "venv" / "bin" / "pip"), "install", "-q", str(wheel)], check=True,
                   capture_output=True, timeout=480)
    yield work / "venv"


def test_the_images_command_starts_from_a_clean_install(clean_install: Path, sandbox: SandboxProcess) -> None:
    bin_dir = clean_install / "bin"
    port = free_port()
    entrypoint, cmd = exec_form(FINAL.last("ENTRYPOINT") or "[]"), exec_form(FINAL.last("CMD") or "[]")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CAMPUSGRAPH_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(sandbox_env(sandbox), CAMPUSGRAPH_HOST="127.0.0.1", CAMPUSGRAPH_PORT=str(port),
               PATH=f"{bin_dir}{os.pathsep}{env['PATH']}")
    home = str(scratch_dir("home-"))  # not the repository: only the installed wheel can be imported
    where = subprocess.run(["python", "-c", "import gateway, strawberry; print(gateway.__file__)"], cwd=home, env=env,
                           capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(clean_install))
    dev_only = subprocess.run(["python", "-c", "import pytest"], cwd=home, env=env, capture_output=True)
    assert dev_only.returncode != 0, "dev dependencies are not installed with the wheel"

    log = open(Path(home) / "serve.log", "w")  # noqa: SIM115 - the process writes to it until stopped
    proc = subprocess.Popen(entrypoint + cmd, cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline, status = time.monotonic() + 60, None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                status = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code
            except httpx.HTTPError:
                status = None
            if status == 200:
                break
            time.sleep(0.2)
        assert status == 200, (Path(home) / "serve.log").read_text()
        check = subprocess.run(healthcheck_command(), cwd=home, env=env, capture_output=True, timeout=10)
        assert check.returncode == 0, check.stderr
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    # SIGTERM is a clean stop: uvicorn drains, shuts the app down, then re-raises the signal (exit 143 in Docker).
    assert proc.returncode in (0, -signal.SIGTERM)
    assert "Application shutdown complete" in (Path(home) / "serve.log").read_text()
    stopped = subprocess.run(healthcheck_command(), cwd=home, env=env, capture_output=True, timeout=10)
    assert stopped.returncode != 0  # and the healthcheck notices a gateway that is not there
