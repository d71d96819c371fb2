"""Where the project's folders are. (Code versions are per stage: see :mod:`pipeline.versions`.)"""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_RAW_DIR = PROJECT_ROOT / "raw"
DEFAULT_OUTPUTS_DIR = PROJECT_ROOT / "outputs"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
