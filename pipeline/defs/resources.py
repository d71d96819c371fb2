"""The one Dagster resource: where raw inputs are read from and outputs written to."""

from pathlib import Path

import dagster as dg

from pipeline.raw.registry import Source, read_registry
from pipeline.store.workspace import Workspace


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
