"""Column lineage between datasets: which upstream columns each column of a dataset is computed from
(``"dataset.column"``), where the dependence is direct. Shown in Dagster as each asset's
``dagster/column_lineage`` (the Lineage tab of a column), before the first run. A test checks that every
upstream column exists and that its dataset is upstream of the asset."""

from __future__ import annotations

from pipeline.metadata.datasets import ANNUAL_INDICATORS

CELLS = "indicator_table_cells"
LINES = "zone_table_lines"

LINEAGE: dict[str, dict[str, tuple[str, ...]]] = {
    "annual_indicators": {
        # each printed indicator column: the cells' values under the header the dictionary maps to it
        **{f.name: (f"{CELLS}.value", f"{CELLS}.header") for f in ANNUAL_INDICATORS.fields if f.raw_header},
        "year": (f"{CELLS}.year",),
        "source_id": (f"{CELLS}.source_id",),
        "line": (f"{CELLS}.line",),
        "char_start": (f"{CELLS}.row_char_start",),
        "char_end": (f"{CELLS}.row_char_end",),
    },
    "pilot_zones": {
        "extent": (f"{LINES}.text", f"{LINES}.field"),
        "objectives": (f"{LINES}.text", f"{LINES}.field"),
        "table_source_id": (f"{LINES}.source_id",),
        "table_line_start": (f"{LINES}.line",),
        "table_line_end": (f"{LINES}.line",),
        "table_char_start": (f"{LINES}.char_start",),
        "table_char_end": (f"{LINES}.char_end",),
        "mentioned_in": ("zone_mentions.source_id",),
    },
    "findings": {
        "source_ids": ("reported_figures.source_id", "zone_mentions.source_id"),
    },
}
