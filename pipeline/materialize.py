"""What every dataset-writing asset does after computing its frame: validate it with pandera (nothing
is written if it fails), write deterministic Parquet, and describe the result to Dagster."""

from pathlib import Path

import dagster as dg
import pandas as pd

from pipeline.datasets import Dataset
from pipeline.parquet import write_parquet
from pipeline.schemas import table_schema
from pipeline.validate.pandera_checks import require_valid


def write_dataset(frame: pd.DataFrame, dataset: Dataset, path: Path, **extra: object) -> dg.MaterializeResult:
    require_valid(frame, dataset)
    sha = write_parquet(frame, dataset, path)
    metadata: dict[str, object] = {
        "dagster/row_count": dg.MetadataValue.int(len(frame)),
        "dagster/column_schema": table_schema(dataset),
        "path": dg.MetadataValue.path(str(path)),
        "sha256": sha,
        **extra,
    }
    return dg.MaterializeResult(metadata=metadata, data_version=dg.DataVersion(sha))  # type: ignore[arg-type]
