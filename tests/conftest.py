"""Shared fixtures: the project's real raw folder, and a throw-away copy of it for runs that write."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.settings import DEFAULT_RAW_DIR


@pytest.fixture(scope="session")
def real_raw_dir() -> Path:
    return DEFAULT_RAW_DIR


@pytest.fixture
def project_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of ``raw/`` and an empty outputs folder under ``tmp_path``: (raw_dir, outputs_dir)."""
    raw = tmp_path / "raw"
    shutil.copytree(DEFAULT_RAW_DIR, raw)
    return raw, tmp_path / "outputs"
