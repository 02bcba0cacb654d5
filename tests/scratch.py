"""Scratch space for the test harness's files (gateway logs, redis-server's directory, a clean install's venv).

Each is made inside one directory for the whole test run, removed when the run's process exits, so that
``make test`` leaves nothing behind in the system's temporary directory (a clean install alone is ~120 MB).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

_RUN = tempfile.TemporaryDirectory(prefix="cg-tests-")  # its finalizer removes it at interpreter exit


def scratch_dir(prefix: str) -> Path:
    """A new directory, named ``prefix…``, that lasts until the end of the test run."""
    return Path(tempfile.mkdtemp(prefix=prefix, dir=_RUN.name))
