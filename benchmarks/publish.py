"""Time publishing a release (in-process, without Dagster): a new release, and an unchanged one.

Usage: uv run python benchmarks/publish.py [OUTPUTS]   (OUTPUTS: a folder with a current release and
staged, audited files, e.g. after scripts/run-pipeline; default outputs/). Works on a temporary copy.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from pipeline.defs.release import _renderer
from pipeline.publish.release import publish
from pipeline.raw.registry import load_registry
from pipeline.settings import DEFAULT_OUTPUTS_DIR, DEFAULT_RAW_DIR
from pipeline.store.workspace import Workspace


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUTS_DIR
    with tempfile.TemporaryDirectory() as tmp:
        outputs = Path(tmp) / "outputs"
        shutil.copytree(source, outputs, symlinks=True)
        workspace, sources = Workspace(outputs), load_registry(DEFAULT_RAW_DIR)
        render = _renderer(workspace, sources, DEFAULT_RAW_DIR)
        for label, codes in (("new release", [f"bench-{i}" for i in range(5)]), ("unchanged", ["bench-4"] * 5)):
            times = []
            for code in codes:
                start = time.perf_counter()
                publish(workspace, sources, DEFAULT_RAW_DIR, code, render, keep=100)
                times.append(time.perf_counter() - start)
            print(
                f"{label:12} median {statistics.median(times) * 1000:7.1f} ms  (runs: "
                + ", ".join(f"{t * 1000:.1f}" for t in times)
                + ")"
            )
        latest = (outputs / "latest").resolve()
        size = sum(p.stat().st_size for p in latest.iterdir())
        print(f"release size {size:,} bytes in {len(list(latest.iterdir()))} files")


if __name__ == "__main__":
    main()
