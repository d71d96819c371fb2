"""Where the project's folders are, and the code version that every asset and release records."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_RAW_DIR = PROJECT_ROOT / "raw"
DEFAULT_OUTPUTS_DIR = PROJECT_ROOT / "outputs"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"


@cache
def code_version() -> str:
    """A hash of the pipeline's code, committed mappings and expectation suites.

    Any change to how data is made changes it, so Dagster marks the assets stale and the release id
    changes; nothing else (comments in the README, tests) does.
    """
    digest = hashlib.sha256()
    files = sorted(PACKAGE_DIR.rglob("*.py")) + sorted(PACKAGE_DIR.rglob("*.csv"))
    files += sorted(EXPECTATIONS_DIR.glob("*.json"))
    for path in files:
        if "__pycache__" in path.parts:
            continue
        digest.update(path.relative_to(PROJECT_ROOT).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes().replace(b"\r\n", b"\n"))
        digest.update(b"\0")
    return digest.hexdigest()[:16]
