"""What every dataset-writing asset does after computing its frame: validate it with pandera (nothing
is written if it fails), write deterministic Parquet, and describe the result to Dagster."""

import hashlib
import json

import dagster as dg
import pandas as pd

from pipeline.datasets import Dataset
from pipeline.parquet import write_parquet
from pipeline.publish.workspace import Workspace, write_json
from pipeline.schemas import table_schema
from pipeline.settings import code_version
from pipeline.validate.pandera_checks import require_valid


def write_dataset(
    frame: pd.DataFrame,
    dataset: Dataset,
    workspace: Workspace,
    inputs: dict[str, str],
    **extra: object,
) -> dg.MaterializeResult:
    """Validate, then stage ``frame`` and the lineage of raw inputs (id -> sha256) it was built from."""
    require_valid(frame, dataset)
    path = workspace.staged(dataset)
    write_json(workspace.inputs(dataset), {"code": code_version(), "inputs": dict(sorted(inputs.items()))})
    sha = write_parquet(frame, dataset, path)
    metadata: dict[str, object] = {
        "dagster/row_count": dg.MetadataValue.int(len(frame)),
        "dagster/column_schema": table_schema(dataset),
        "path": dg.MetadataValue.path(str(path)),
        "sha256": sha,
        "inputs": _inputs_metadata(inputs),
        **extra,
    }
    return dg.MaterializeResult(metadata=metadata, data_version=dg.DataVersion(sha))  # type: ignore[arg-type]


METADATA_INPUTS_LISTED = 50


def _inputs_metadata(inputs: dict[str, str]) -> dg.MetadataValue:
    """The inputs (id -> sha256) as JSON; for a large corpus their count and a hash of the whole map
    (the sidecar next to the staged file keeps the full map)."""
    ordered = dict(sorted(inputs.items()))
    if len(ordered) <= METADATA_INPUTS_LISTED:
        return dg.MetadataValue.json(ordered)
    digest = hashlib.sha256(json.dumps(ordered).encode()).hexdigest()
    return dg.MetadataValue.json({"count": len(ordered), "sha256_of_inputs": digest})
