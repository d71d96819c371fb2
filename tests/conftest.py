"""Shared fixtures: the real raw folder, a throw-away copy of it, and a published outputs folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.settings import DEFAULT_RAW_DIR
from tests.helpers import keep_only, run_graph


@pytest.fixture(scope="session")
def real_raw_dir() -> Path:
    return DEFAULT_RAW_DIR


@pytest.fixture
def project_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of ``raw/`` registering only the seed extracts and references (:func:`keep_only`: the
    suite's counts hold whatever a user registers next), and an empty outputs folder under
    ``tmp_path``: (raw_dir, outputs_dir)."""
    raw = tmp_path / "raw"
    shutil.copytree(DEFAULT_RAW_DIR, raw)
    return keep_only(raw), tmp_path / "outputs"


@pytest.fixture
def seed_raw(tmp_path: Path) -> Path:
    """A copy of ``raw/`` registering only the five seed extracts and the six reference tables: for
    tests about mechanics that must not change when a user registers another extract."""
    raw = tmp_path / "seed_raw"
    shutil.copytree(DEFAULT_RAW_DIR, raw)
    return keep_only(raw)


@pytest.fixture(scope="session")
def published_once(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A published outputs folder of the seed extracts, made once per session by a real run of the graph."""
    root = tmp_path_factory.mktemp("published")
    raw, outputs = root / "raw", root / "outputs"
    shutil.copytree(DEFAULT_RAW_DIR, raw)
    keep_only(raw)
    assert run_graph(raw, outputs).success
    return raw, outputs


@pytest.fixture
def published(published_once: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """(raw_dir, outputs_dir): a private copy with one release, staged files and audit records."""
    raw, outputs = tmp_path / "raw", tmp_path / "outputs"
    shutil.copytree(published_once[0], raw)
    shutil.copytree(published_once[1], outputs, symlinks=True)
    return raw, outputs
