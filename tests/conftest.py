"""Shared fixtures: the real raw folder, a throw-away copy of it, and a published outputs folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.settings import DEFAULT_RAW_DIR
from tests.helpers import run_graph


@pytest.fixture(scope="session")
def real_raw_dir() -> Path:
    return DEFAULT_RAW_DIR


@pytest.fixture
def project_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of ``raw/`` and an empty outputs folder under ``tmp_path``: (raw_dir, outputs_dir)."""
    raw = tmp_path / "raw"
    shutil.copytree(DEFAULT_RAW_DIR, raw)
    return raw, tmp_path / "outputs"


@pytest.fixture(scope="session")
def published_once(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A published outputs folder, made once per session by a real run of the graph."""
    root = tmp_path_factory.mktemp("published")
    raw, outputs = root / "raw", root / "outputs"
    shutil.copytree(DEFAULT_RAW_DIR, raw)
    assert run_graph(raw, outputs).success
    return raw, outputs


@pytest.fixture
def published(published_once: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """(raw_dir, outputs_dir): a private copy with one release, staged files and audit records."""
    raw, outputs = tmp_path / "raw", tmp_path / "outputs"
    shutil.copytree(published_once[0], raw)
    shutil.copytree(published_once[1], outputs, symlinks=True)
    return raw, outputs
