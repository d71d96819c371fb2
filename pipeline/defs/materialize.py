"""What every dataset-writing asset does after computing its frame: validate it with pandera (nothing
is written if it fails), write deterministic Parquet, and describe the result to Dagster; and the
decorator that gives each asset its own code version (:mod:`pipeline.versions`)."""

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import dagster as dg
import pandas as pd

from pipeline.defs.metadata import column_lineage, table_schema
from pipeline.metadata.datasets import DATASETS, Dataset
from pipeline.records import SourceFailure
from pipeline.store.memo import jsonable_metadata, outputs_record, reusable, stage_key
from pipeline.store.parquet import write_parquet
from pipeline.store.workspace import Workspace, load_failures_of, write_json
from pipeline.validate import gx_worker
from pipeline.validate.asset_checks import SOURCES_READ, sources_read_outcome
from pipeline.validate.pandera_checks import require_valid
from pipeline.versions import function_version

# asset name -> code version of the function that materialises it (filled as the assets are defined)
STAGE_VERSIONS: dict[str, str] = {}
OWNERS = ["team:ccbec-data"]  # who answers for every asset of this location (the UI's owner filter)


def refresh_cron() -> str:
    return os.environ.get("PIPELINE_SCHEDULE_CRON", "0 6 * * *")


def refresh_condition() -> dg.AutomationCondition:
    """The full refresh, declared on every asset and check: once per tick of ``PIPELINE_SCHEDULE_CRON``
    (default 06:00 UTC daily), after everything upstream has been updated since that tick. The raw files,
    which have nothing upstream, are observed first; then every other asset and check in one run."""
    return dg.AutomationCondition.on_cron(refresh_cron(), "UTC")


def check_condition() -> dg.AutomationCondition:
    """A check runs whenever its asset is requested, in the same run (the publish gate needs the audits of
    the files the release step promotes, before it runs)."""
    return dg.AutomationCondition.any_deps_match(dg.AutomationCondition.will_be_requested())


def asset_tags(group: str) -> dict[str, str]:
    """Tags every asset carries: its layer (the group), to filter the catalog and select runs by (``tag:layer=raw``)."""
    return {"layer": group}


SOURCES_READ_DESCRIPTION = (
    "Every registered source this asset reads was read. A failure (ERROR) names each quarantined file, the "
    "line and what to do: the root cause, on the asset that read the file. It does not block: the other "
    "sources are still processed, and no release is published while a source is quarantined."
)


def versioned_asset(*, files: Iterable[Path] = (), **asset_arguments: Any) -> Callable[[Callable[..., Any]], Any]:
    """``@dg.asset(...)`` whose ``code_version`` is the version of exactly the code the function uses
    (and ``files``), recorded in :data:`STAGE_VERSIONS` for the staged file's sidecar and the release.
    A dataset declared ``reads_sources`` quarantines sources it cannot read, and its asset has the check
    ``sources_read`` (its result comes with the materialisation: :func:`write_dataset`'s ``failures``)."""

    def decorate(function: Callable[..., Any]) -> dg.AssetsDefinition:
        version = function_version(function, files=tuple(files))
        name = asset_arguments.get("name", function.__name__)
        if name in DATASETS and DATASETS[name].reads_sources:
            check = dg.AssetCheckSpec(SOURCES_READ, asset=name, blocking=False, description=SOURCES_READ_DESCRIPTION)
            asset_arguments["check_specs"] = [*asset_arguments.get("check_specs", []), check]
        STAGE_VERSIONS[name] = version
        if name in DATASETS:  # the columns, and where they come from, visible in the UI before the first run
            schema: dict[str, Any] = {"dagster/column_schema": table_schema(DATASETS[name])}
            lineage = column_lineage(DATASETS[name])
            if lineage is not None:
                schema["dagster/column_lineage"] = lineage
            asset_arguments["metadata"] = {**schema, **asset_arguments.get("metadata", {})}
        asset_arguments.setdefault("owners", OWNERS)
        asset_arguments.setdefault("tags", asset_tags(asset_arguments.get("group_name", "default")))
        return dg.asset(code_version=version, **asset_arguments)(function)

    return decorate


def sources_read(dataset: Dataset, failures: list[SourceFailure]) -> dg.AssetCheckResult:
    """The ``sources_read`` check: failed (ERROR) when a source was quarantined, naming each (the outcome
    the release counts, :func:`pipeline.validate.asset_checks.sources_read_outcome`)."""
    outcome = sources_read_outcome(dataset.name, failures)
    listed = "\n".join(f"- `{f.path}` ({f.source_id}, at {f.step}): {f.message}" for f in failures[:100])
    return dg.AssetCheckResult(
        asset_key=dataset.name,
        check_name=SOURCES_READ,
        passed=outcome.passed,
        severity=dg.AssetCheckSeverity.ERROR,
        description=None if outcome.passed else outcome.description,
        metadata={"quarantined": len(failures), "sources": dg.MetadataValue.md(listed or "none")},
    )


# metadata about the work a run did (not about the data): a reused materialisation did none of it
WORK_METADATA = frozenset({"documents_parsed", "documents_from_cache"})


def write_dataset(
    frame: pd.DataFrame,
    dataset: Dataset,
    workspace: Workspace,
    inputs: dict[str, str],
    failures: list[SourceFailure] | None = None,
    key: str = "",
    **extra: object,
) -> dg.MaterializeResult:
    """Validate, then stage ``frame`` and the lineage of raw inputs (id -> sha256) it was built from.
    ``failures``: the sources quarantined on the way, reported as the asset's ``sources_read`` check.
    ``key``: the stage key of this run (:mod:`pipeline.store.memo`), recorded with the sha256 of every
    file the asset wrote, so that a run with the same key reuses them (:func:`reused_dataset`)."""
    gx_worker.warm()  # this dataset's suite will run: GX imports on the other core meanwhile
    require_valid(frame, dataset)
    path = workspace.staged(dataset)
    code = STAGE_VERSIONS[dataset.name]  # the version of the asset that writes it
    sha = write_parquet(frame, dataset, path)
    written = outputs_record(workspace.root, _written_files(workspace, dataset))
    kept = {k: v for k, v in extra.items() if k not in WORK_METADATA}
    record = {"code": code, "inputs": dict(sorted(inputs.items())), "key": key, "outputs": written}
    sidecar = {**record, "rows": len(frame), "metadata": jsonable_metadata(kept)}
    write_json(workspace.inputs(dataset), sidecar, compact=True)
    return _materialized(dataset, workspace, sha, len(frame), inputs, failures, reused=False, extra=extra)


def _materialized(
    dataset: Dataset,
    workspace: Workspace,
    sha: str,
    rows: int,
    inputs: dict[str, str],
    failures: list[SourceFailure] | None,
    *,
    reused: bool,
    extra: dict[str, object],
) -> dg.MaterializeResult:
    """What Dagster is told of a staged ``dataset`` (written now or reused): row count, column schema,
    path, sha256 (also the data version), inputs, and the ``sources_read`` check if it reads sources."""
    metadata: dict[str, object] = {
        "dagster/row_count": dg.MetadataValue.int(rows),
        "dagster/column_schema": table_schema(dataset),
        "path": dg.MetadataValue.path(str(workspace.staged(dataset))),
        "sha256": sha,
        "inputs": _inputs_metadata(inputs),
        "reused": reused,
        **extra,
    }
    checks = [sources_read(dataset, failures)] if failures is not None else None
    return dg.MaterializeResult(
        metadata=metadata,  # type: ignore[arg-type]
        data_version=dg.DataVersion(sha),
        check_results=checks,
    )


def _written_files(workspace: Workspace, dataset: Dataset) -> list[Path]:
    """What an asset of ``dataset`` writes besides the sidecar: the staged file and, if it keeps them, the
    corrections it logged and the sources it quarantined."""
    return [workspace.staged(dataset), workspace.corrections(dataset.name), workspace.failures(dataset.name)]


def reused_dataset(
    context: dg.AssetExecutionContext, dataset: Dataset, workspace: Workspace, key: str
) -> dg.MaterializeResult | None:
    """The last materialisation of ``dataset`` again, if it had stage ``key`` (the same code and inputs)
    and the files it wrote are unchanged; None: the asset computes. Nothing is read but the sidecar and
    the hashes of those files, and the result is the same data version, metadata and checks."""
    record = reusable(workspace.inputs(dataset), key, workspace.root) if key else None
    if record is None:
        return None
    path = workspace.staged(dataset)
    sha = record["outputs"][str(path.relative_to(workspace.root))]
    context.log.info(
        f"{dataset.name}: its code and every input it reads are as when it was last written (stage key "
        f"{key[:12]}); the staged file is reused, not rebuilt"
    )
    failures = load_failures_of(workspace, dataset.name) if dataset.reads_sources else None
    extra = {k: dg.MetadataValue.json(v) if isinstance(v, dict | list) else v for k, v in record["metadata"].items()}
    return _materialized(dataset, workspace, sha, record["rows"], record["inputs"], failures, reused=True, extra=extra)


def stage_version(name: str) -> str:
    """The code version of the asset ``name``. (Stages call this, not :data:`STAGE_VERSIONS`: a stage's own
    version would hash the dict's contents, which grow as the location's assets are defined.)"""
    return STAGE_VERSIONS[name]


def dataset_key(dataset: Dataset, **parts: object) -> str:
    """The stage key of an asset of ``dataset``: its code version and its inputs' identities."""
    return stage_key(STAGE_VERSIONS[dataset.name], parts)


METADATA_INPUTS_LISTED = 50


def _inputs_metadata(inputs: dict[str, str]) -> dg.MetadataValue:
    """The inputs (id -> sha256) as JSON; for a large corpus their count and a hash of the whole map
    (the sidecar next to the staged file keeps the full map)."""
    ordered = dict(sorted(inputs.items()))
    if len(ordered) <= METADATA_INPUTS_LISTED:
        return dg.MetadataValue.json(ordered)
    digest = hashlib.sha256(json.dumps(ordered).encode()).hexdigest()
    return dg.MetadataValue.json({"count": len(ordered), "sha256_of_inputs": digest})
