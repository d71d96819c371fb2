"""What a GX suite sees: the staged frame, plus per-table columns for datasets with ``series_by``.

GX's row-order expectations (``expect_column_values_to_be_increasing``) compare each row with the one
before it in the whole frame, so they cannot say "within each table". For a dataset whose rows come
from several tables (``annual_indicators``: one row per year per table) the suite runs on this view
instead, sorted by table and year, with:

- ``table_rows``: how many rows the row's table has;
- ``<key>_step``: the key's increase from the previous row of the same table (null on a table's first row);
- ``<column>_change`` for every numeric value column: the change from the last printed value of the
  same table (null on a table's first value).

So "years strictly increase" is ``year_step >= 1`` and "this series never falls" is
``<column>_change >= 0``, each per table, with the suite's own severity.
"""

from __future__ import annotations

import pandas as pd

from pipeline.metadata.datasets import Dataset


def suite_view(frame: pd.DataFrame, dataset: Dataset) -> pd.DataFrame:
    if dataset.series_by is None or dataset.contiguous is None:
        return frame.reset_index(drop=True)
    table, key = dataset.series_by, dataset.contiguous
    view = frame.sort_values([table, key], kind="stable").reset_index(drop=True)
    groups = view.groupby(table, sort=False)
    extra = {"table_rows": groups[key].transform("size").astype("int64"), f"{key}_step": groups[key].diff()}
    for f in dataset.fields:
        if f.dtype == "float64" and f.raw_header:
            extra[f"{f.name}_change"] = view.groupby(table, sort=False)[f.name].ffill().groupby(view[table]).diff()
    return view.assign(**extra)
