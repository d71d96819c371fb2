"""A column already of its declared pandas dtype is converted to Arrow as it is: the same array, nulls and
all, as the value-by-value conversion of the same values in an object column, so the same file bytes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.metadata.datasets import Dataset
from pipeline.metadata.fields import Field
from pipeline.metadata.schemas import typed
from pipeline.store.parquet import sha256_file, to_arrow, write_parquet

DATASET = Dataset(
    name="mixed",
    title="Mixed",
    description="One column of each kind, missing values in each nullable one.",
    layer="curated",
    fields=(
        Field("row_id", "string", "Key."),
        Field("year", "int64", "A count.", nullable=True),
        Field("value", "float64", "An amount.", nullable=True),
        Field("note", "string", "A text.", nullable=True),
        Field("ids", "list<string>", "A list.", nullable=True),
    ),
    primary_key=("row_id",),
)
FRAME = pd.DataFrame(
    {
        "row_id": ["c", "a", "b", "d"],
        "year": [2020, None, 2018, 2021],
        "value": [1.5, np.nan, -0.0, 3.0],
        "note": ["x", None, "", "Ü"],
        "ids": [["p"], None, [], ["q", "r"]],
    }
)


def test_typed_columns_give_the_arrays_and_bytes_of_object_columns(tmp_path: Path) -> None:
    frame = typed(FRAME, DATASET)
    assert isinstance(frame["year"].dtype, pd.Int64Dtype) and frame["value"].dtype == np.float64
    fast, slow = to_arrow(frame, DATASET), to_arrow(frame.astype(object), DATASET)
    assert fast.equals(slow, check_metadata=True)
    assert fast.column("year").to_pylist() == [None, 2018, 2020, 2021]  # sorted by the key; NA is a null
    assert fast.column("value").null_count == 1 and fast.column("note").to_pylist() == [None, "", "x", "Ü"]
    assert all(fast.column(i).num_chunks == 1 for i in range(fast.num_columns))
    a = write_parquet(frame, DATASET, tmp_path / "a.parquet")
    b = write_parquet(frame.astype(object), DATASET, tmp_path / "b.parquet")
    assert a == b == sha256_file(tmp_path / "a.parquet")
