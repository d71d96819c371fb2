"""The Dagster resources: where raw inputs are read from and outputs written to, and where the Great
Expectations suites run."""

import os
from pathlib import Path

import dagster as dg
import pandas as pd

from pipeline.raw.registry import Source, read_registry
from pipeline.records import CheckOutcome
from pipeline.store.workspace import Workspace
from pipeline.validate import gx_worker


class PipelinePaths(dg.ConfigurableResource):
    """``raw_dir`` holds ``sources.yaml`` and the registered files; ``outputs_dir`` the working area,
    the releases and the catalog."""

    raw_dir: str
    outputs_dir: str
    keep_releases: int = 10  # retention: release folders kept besides the current one's history

    @property
    def raw(self) -> Path:
        return Path(self.raw_dir)

    @property
    def workspace(self) -> Workspace:
        return Workspace(Path(self.outputs_dir))

    def sources(self) -> list[Source]:
        """The valid registry entries (a broken entry is reported by the parse assets, not fatal here)."""
        return read_registry(self.raw)[0]


class GreatExpectations(dg.ConfigurableResource):
    """Runs the expectation suites (:mod:`pipeline.validate.gx_worker`). With the in-process executor,
    Dagster sets it up when a run that has expectation checks starts, before its first step, and the run
    may then use a GX worker, which imports GX (5-10 s) on the other core: the one the process started
    when its command was to execute a run (:mod:`pipeline.validate.gx_prewarm`; stopped at the run's end if
    the run rebuilt nothing), or else one the first asset that rebuilds its dataset starts. With another
    executor each step is a process of its own, and its suite runs in it.
    ``in_worker=False`` runs every suite in the step's own process."""

    # (a field also keeps Dagster from reading pydantic's deprecated ``__fields__`` of a model without any)
    in_worker: bool = True

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        gx_worker.allow(self.in_worker and os.environ.get("PIPELINE_EXECUTOR", "in_process") == "in_process")

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        gx_worker.end_of_run()  # a worker started with the process that this run did not need is stopped

    def run_suite(self, frame: pd.DataFrame, dataset: str, suite_path: Path) -> list[CheckOutcome]:
        return gx_worker.run_suite(frame, dataset, suite_path)
