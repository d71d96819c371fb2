"""The report of a run that was not published: what would have been released, why it was refused,
which sources were quarantined and which checks failed. Written to ``outputs/candidate/``; the current
release is not touched.

It is built from whatever the working area holds: a dataset that was not staged shows as empty, a
check that did not run shows as missing.
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from typing import Any

from pipeline.metadata.datasets import INDICATOR_TABLE_CELLS, PUBLISHED, ZONE_TABLE_LINES
from pipeline.metadata.schemas import empty_frame
from pipeline.publish.catalog import current_release
from pipeline.publish.compare import compare_releases
from pipeline.publish.release import gather_audits
from pipeline.raw.registry import Source
from pipeline.report.build import build_report, gather_inputs
from pipeline.report.render import write_report
from pipeline.store.parquet import read_parquet, sha256_file
from pipeline.store.workspace import Workspace, load_code, load_failures
from pipeline.versions import combined_version


def write_candidate_report(workspace: Workspace, sources: list[Source], raw_dir: Path) -> Path:
    """Its ``code_version`` combines the versions recorded beside the staged files (what built them)."""
    frames = {}
    datasets = {}
    for dataset in (*PUBLISHED, INDICATOR_TABLE_CELLS, ZONE_TABLE_LINES):
        staged = workspace.staged(dataset)
        frames[dataset.name] = read_parquet(staged, dataset) if staged.exists() else empty_frame(dataset)
    for dataset in PUBLISHED:
        staged = workspace.staged(dataset)
        sha = sha256_file(staged) if staged.exists() else ""
        datasets[dataset.name] = {"path": f"{dataset.name}.parquet", "sha256": sha, "rows": len(frames[dataset.name])}
    outcomes, _, _ = gather_audits(workspace, sources, raw_dir)  # a check that did not run is a failed one
    code = combined_version({d.name: load_code(workspace, d) or "not staged" for d in PUBLISHED})
    manifest = {"release_id": "not published", "code_version": code, "datasets": datasets, "inputs": {}}
    folder = workspace.outputs_dir / "candidate"
    folder.mkdir(parents=True, exist_ok=True)
    current = current_release(workspace)
    changes: dict[str, Any] = {"datasets": {}, "drift": {}, "previous_release": current}
    if current:
        candidate_files = folder / "files"
        candidate_files.mkdir(exist_ok=True)
        for dataset in PUBLISHED:
            if workspace.staged(dataset).exists():
                (candidate_files / f"{dataset.name}.parquet").write_bytes(workspace.staged(dataset).read_bytes())
        with suppress(OSError, ValueError, KeyError):  # a dataset that was not staged: no diff to show
            changes = {**compare_releases(workspace.releases / current, candidate_files), "previous_release": current}
    previous = workspace.releases / current if current else None
    inputs = gather_inputs(sources, frames, load_failures(workspace), raw_dir, previous=previous)
    write_report(build_report(manifest, outcomes, changes, inputs), folder, inputs.texts)
    return folder / "quality_report.html"
