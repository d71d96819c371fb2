"""Helpers shared by tests that run the real graph."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from pipeline.definitions import ALL_JOB, build_definitions


def run_graph(raw: Path, outputs: Path) -> dg.ExecuteInProcessResult:
    """Materialise the whole graph (observing the raw files) into ``outputs``, in this process."""
    job = build_definitions(raw, outputs).resolve_job_def(ALL_JOB)
    with dg.DagsterInstance.ephemeral() as instance:
        return job.execute_in_process(instance=instance, raise_on_error=False)
