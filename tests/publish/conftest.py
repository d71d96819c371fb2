"""A published outputs folder, made once per session by a real run of the graph, copied per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pytest

from pipeline.definitions import ALL_JOB, build_definitions
from pipeline.settings import DEFAULT_RAW_DIR


def run_graph(raw: Path, outputs: Path) -> dg.ExecuteInProcessResult:
    job = build_definitions(raw, outputs).resolve_job_def(ALL_JOB)
    with dg.DagsterInstance.ephemeral() as instance:
        return job.execute_in_process(instance=instance, raise_on_error=False)


@pytest.fixture(scope="session")
def published_once(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
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
