"""The ``published`` group: the ``release`` asset, which promotes the audited staged files into a new
immutable release (or finds the identical release already there) and moves ``outputs/latest``, and its
checks: the release's ``datapackage.json`` is valid (blocking) and its schema has not drifted from the
previous release (warning)."""

from pathlib import Path
from typing import Any

import dagster as dg

from pipeline.defs.materialize import check_condition, stage_version, versioned_asset
from pipeline.defs.resources import PipelinePaths
from pipeline.metadata.datasets import INDICATOR_TABLE_CELLS, PUBLISHED, ZONE_TABLE_LINES
from pipeline.publish.datapackage import validate_datapackage
from pipeline.publish.release import (
    DATAPACKAGE,
    SCHEMA_DRIFT,
    PublicationRefused,
    ReportRenderer,
    datapackage_outcome,
    drift_outcome,
    publish,
)
from pipeline.raw.registry import Source
from pipeline.raw.state import raw_state
from pipeline.records import CheckOutcome
from pipeline.report.build import build_report, gather_inputs
from pipeline.report.render import write_report
from pipeline.settings import EXPECTATIONS_DIR
from pipeline.store.parquet import read_parquet
from pipeline.store.workspace import Workspace, load_failures, read_json
from pipeline.versions import combined_version

GROUP = "published"


def _renderer(workspace: Workspace, sources: list[Source], raw_dir: Path) -> ReportRenderer:
    def render(manifest: dict[str, Any], outcomes: list[CheckOutcome], changes: dict[str, Any], folder: Path) -> None:
        frames = {
            d.name: read_parquet(workspace.staged(d), d) for d in (*PUBLISHED, INDICATOR_TABLE_CELLS, ZONE_TABLE_LINES)
        }
        previous = workspace.releases / changes["previous_release"] if changes["previous_release"] else None
        failures = load_failures(workspace)
        inputs = gather_inputs(sources, frames, failures, raw_dir, with_warnings=False, previous=previous)
        write_report(build_report(manifest, outcomes, changes, inputs), folder, inputs.texts)

    return render


def release_code() -> str:
    """The code a release records (and its id depends on): the versions of the assets that write its
    datasets, of this asset (which writes the report) and of the expectation suites."""
    return combined_version({name: stage_version(name) for name in (*(d.name for d in PUBLISHED), "release")})


@versioned_asset(
    # the suites, and the reviews the finding checks counted in the manifest and the report depend on
    files=[*sorted(EXPECTATIONS_DIR.glob("*.json")), EXPECTATIONS_DIR / "reviewed_findings.csv"],
    group_name=GROUP,
    deps=[d.name for d in PUBLISHED],
    description="Write -> audit -> promote: copies the staged datasets whose blocking checks passed "
    "into outputs/releases/<release_id>/ with a manifest, a datapackage.json and the quality report, "
    "then points outputs/latest at it. Refuses (and leaves the current release in place) if any check "
    "failed or any source was quarantined. Same inputs and code: same release id, no new release.",
    kinds={"parquet"},
)
def release(context: dg.AssetExecutionContext, paths: PipelinePaths) -> dg.MaterializeResult:
    workspace = paths.workspace
    sources = paths.sources()
    try:
        result = publish(
            workspace,
            sources,
            paths.raw,
            release_code(),
            _renderer(workspace, sources, paths.raw),
            keep=paths.keep_releases,
            stage_versions={d.name: stage_version(d.name) for d in PUBLISHED},
        )
    except PublicationRefused as refused:
        raise dg.Failure(description=str(refused)) from None
    for action in result.reconciled:  # what a publisher that stopped mid-way left behind, finished or undone
        context.log.warning(f"reconciled the outputs folder before publishing: {action}")
    status = "published a new release" if result.created else "unchanged: identical release already existed"
    if result.repaired:  # say it where the user looks: the run log and the asset's metadata
        status = "rebuilt the current release, whose folder was damaged"
        for problem in result.repaired:
            context.log.warning(f"release {result.release_id} was damaged and has been rebuilt: {problem}")
    context.log.info(f"{status}: {result.release_id}")
    warnings = raw_state(paths.raw, sources).warnings
    for warning in warnings:
        context.log.warning(warning)
    rows = {name: info["rows"] for name, info in result.manifest["datasets"].items()}
    return dg.MaterializeResult(
        metadata={
            "release_id": result.release_id,
            "status": status,
            "new_release": result.created,
            "repaired": dg.MetadataValue.json(result.repaired),
            "reconciled": dg.MetadataValue.json(result.reconciled),
            "previous_release": result.previous or "",
            "removed_by_retention": dg.MetadataValue.json(result.removed),
            "path": dg.MetadataValue.path(str(result.path)),
            "rows": dg.MetadataValue.json(rows),
            "checks": dg.MetadataValue.json(result.manifest["checks"]),  # as this UI counts them
            "rules": dg.MetadataValue.json(result.manifest.get("rules", {})),
            "raw_warnings": dg.MetadataValue.json(warnings),
        },
        data_version=dg.DataVersion(result.release_id),
    )


@dg.asset_check(
    asset=release,
    name=DATAPACKAGE,
    blocking=True,
    automation_condition=check_condition(),
    description="datapackage.json of the current release describes exactly the files beside it: "
    "paths, sha256, bytes, field names and types, descriptions, primary keys, sources.",
)
def datapackage_check(paths: PipelinePaths) -> dg.AssetCheckResult:
    folder = paths.workspace.latest.resolve()
    problems = validate_datapackage(folder)
    outcome = datapackage_outcome(problems)  # what the release counted when it was assembled
    return dg.AssetCheckResult(
        passed=outcome.passed,
        severity=dg.AssetCheckSeverity.ERROR,
        description=None if outcome.passed else outcome.description,
        metadata={"release_id": folder.name, "problems": dg.MetadataValue.json(problems)},
    )


@dg.asset_check(
    asset=release,
    name=SCHEMA_DRIFT,
    blocking=False,
    automation_condition=check_condition(),
    description="Columns added, removed or retyped since the previous release (a warning: a "
    "deliberate schema change still publishes, but downstream readers should hear of it).",
)
def schema_drift_check(paths: PipelinePaths) -> dg.AssetCheckResult:
    report = read_json(paths.workspace.latest / "quality_report.json")
    drift = report["changes"]["drift"]
    outcome = drift_outcome(drift)  # what the release counted when it was assembled
    return dg.AssetCheckResult(
        passed=outcome.passed,
        description=None if outcome.passed else outcome.description,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "release_id": report["release_id"],
            "previous_release": report["changes"]["previous_release"] or "",
            "drift": dg.MetadataValue.json(drift),
        },
    )


release_checks = [datapackage_check, schema_drift_check]
