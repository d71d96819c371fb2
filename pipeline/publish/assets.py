"""The ``published`` group: the ``release`` asset, which promotes the audited staged files into a new
immutable release (or finds the identical release already there) and moves ``outputs/latest``."""

from pathlib import Path
from typing import Any

import dagster as dg

from pipeline.datasets import CORRECTIONS, PUBLISHED
from pipeline.parquet import read_parquet
from pipeline.publish.release import PublicationRefused, publish
from pipeline.publish.workspace import Workspace, load_failures
from pipeline.raw.registry import Source, load_registry
from pipeline.report.build import build_report
from pipeline.report.render import write_report
from pipeline.resources import PipelinePaths
from pipeline.settings import code_version
from pipeline.validate.results import CheckOutcome

GROUP = "published"


def _renderer(workspace: Workspace, sources: list[Source]):
    def render(manifest: dict[str, Any], outcomes: list[CheckOutcome], folder: Path) -> None:
        corrections = read_parquet(workspace.staged(CORRECTIONS), CORRECTIONS)
        report = build_report(manifest, outcomes, corrections, load_failures(workspace), sources)
        write_report(report, folder)

    return render


@dg.asset(
    group_name=GROUP,
    deps=[d.name for d in PUBLISHED],
    code_version=code_version(),
    description="Write -> audit -> promote: copies the staged datasets whose blocking checks passed "
    "into outputs/releases/<release_id>/ with a manifest and the quality report, then points "
    "outputs/latest at it. Refuses (and leaves the current release in place) if any check failed or "
    "any source was quarantined.",
    kinds={"parquet"},
)
def release(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
    workspace = paths.workspace
    sources = load_registry(paths.raw)
    try:
        result = publish(workspace, sources, code_version(), _renderer(workspace, sources))
    except PublicationRefused as refused:
        raise dg.Failure(description=str(refused)) from None
    status = "published a new release" if result.created else "unchanged: identical release already existed"
    context.log.info(f"{status}: {result.release_id}")
    rows = {name: info["rows"] for name, info in result.manifest["datasets"].items()}
    return dg.MaterializeResult(
        metadata={
            "release_id": result.release_id,
            "status": status,
            "new_release": result.created,
            "path": dg.MetadataValue.path(str(result.path)),
            "rows": dg.MetadataValue.json(rows),
            "checks": dg.MetadataValue.json(result.manifest["checks"]),
        },
        data_version=dg.DataVersion(result.release_id),
    )
