"""Writing and reading Parquet so that the same rows give the same bytes, run after run.

Files are written through the declared Arrow schema (no pandas metadata), sorted by the primary key,
with fixed compression, row-group size and writer options.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pyarrow
import pyarrow.parquet as pq

from pipeline.bulk import collector_paused
from pipeline.metadata.datasets import Dataset
from pipeline.metadata.fields import LIST_DTYPES
from pipeline.metadata.schemas import arrow_schema, typed

ROW_GROUP_SIZE = 100_000
COMPRESSION = "zstd"
COMPRESSION_LEVEL = 9


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def to_arrow(frame: pd.DataFrame, dataset: Dataset) -> pyarrow.Table:
    """The frame as an Arrow table of exactly the declared schema, sorted by the primary key."""
    ordered = frame.loc[:, dataset.columns].sort_values(list(dataset.primary_key), kind="stable")
    schema = arrow_schema(dataset)
    arrays = [_array(ordered[f.name], f.dtype, schema.field(f.name).type) for f in dataset.fields]
    return pyarrow.Table.from_arrays(arrays, schema=schema)


def _array(column: pd.Series, declared: str, arrow_type: pyarrow.DataType) -> pyarrow.Array:
    """One column as an Arrow array of its declared type, missing values (None, NaN, NA) as nulls. A column
    whose pandas dtype already is the declared kind (numbers, strings) is converted as it is; anything else
    (object columns, lists) value by value, which is the same array, several times slower."""
    dtype = column.dtype
    direct = (
        (declared == "int64" and (dtype == np.int64 or isinstance(dtype, pd.Int64Dtype)))
        or (declared == "float64" and (dtype == np.float64 or isinstance(dtype, pd.Float64Dtype)))
        or (declared == "string" and isinstance(dtype, pd.StringDtype))
    )
    if not direct:
        return pyarrow.array(column.to_numpy(dtype=object), type=arrow_type, from_pandas=True)
    array = pyarrow.array(column, type=arrow_type, from_pandas=True)
    return array.combine_chunks() if isinstance(array, pyarrow.ChunkedArray) else array


def write_parquet(frame: pd.DataFrame, dataset: Dataset, path: Path) -> str:
    """Write ``frame`` to ``path`` atomically (temp file + rename); return the file's sha256."""
    table = to_arrow(frame, dataset)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(
        table,
        tmp,
        row_group_size=ROW_GROUP_SIZE,
        compression=COMPRESSION,
        compression_level=COMPRESSION_LEVEL,
        use_dictionary=True,
        write_statistics=True,
        version="2.6",
        data_page_version="1.0",
        store_schema=True,
    )
    os.replace(tmp, path)
    return sha256_file(path)


def read_parquet(path: Path, dataset: Dataset) -> pd.DataFrame:
    """Read a file written by :func:`write_parquet` back with the declared pandas dtypes."""
    with collector_paused():
        frame = pq.read_table(path).to_pandas()
        for f in dataset.fields:  # Arrow lists come back as numpy arrays: as Python lists they compare and hash
            if f.dtype in LIST_DTYPES:
                frame[f.name] = [None if v is None else list(v) for v in frame[f.name]]
        return typed(frame, dataset)


def source_ids(path: Path) -> set[str]:
    """The distinct ``source_id`` values of a file written by :func:`write_parquet` (that column only)."""
    column = pq.read_table(path, columns=["source_id"]).column(0)
    return {str(v) for v in column.unique().to_pylist() if v is not None}
