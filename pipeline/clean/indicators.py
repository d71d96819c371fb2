"""Building ``annual_indicators`` from parsed indicator-table cells: each rebuilt header is mapped to a
declared column through the column's ``raw_header`` (see :mod:`pipeline.datasets`), and the long cells
are pivoted to one row per year."""

from __future__ import annotations

import pandas as pd

from pipeline.datasets import ANNUAL_INDICATORS
from pipeline.errors import SourceError
from pipeline.parse.indicator_table import RULE
from pipeline.schemas import empty_frame, typed


def _key(header: str) -> str:
    return " ".join(header.split()).casefold()


HEADER_TO_COLUMN = {_key(f.raw_header): f.name for f in ANNUAL_INDICATORS.fields if f.raw_header}
INDICATOR_COLUMNS = [f.name for f in ANNUAL_INDICATORS.fields if f.raw_header]


def map_headers(cells: pd.DataFrame, paths: dict[str, str]) -> pd.DataFrame:
    """Add the curated ``column`` of each cell; raise for a header no declared column claims."""
    column = cells["header"].map(lambda h: HEADER_TO_COLUMN.get(_key(h)))
    unknown = cells.loc[column.isna()].drop_duplicates(["source_id", "header"])
    for row in unknown.itertuples():
        raise SourceError(
            paths.get(row.source_id, row.source_id),
            f"indicator column header {row.header!r} is not a known indicator "
            f"(known: {'; '.join(f.raw_header or '' for f in ANNUAL_INDICATORS.fields if f.raw_header)}).",
            line=int(str(row.header_lines).split(",")[0]),
            action="If it is a new indicator, declare a column with this raw_header in pipeline/datasets.py.",
        )
    mapped = cells.assign(column=column)
    doubled = mapped.drop_duplicates(["source_id", "column_index"]).loc[lambda f: f.duplicated(["source_id", "column"])]
    for row in doubled.itertuples():
        raise SourceError(
            paths.get(row.source_id, row.source_id),
            f"two columns of the indicator table map to {row.column!r} (header {row.header!r}).",
            line=int(str(row.header_lines).split(",")[0]),
            action="Fix the header in the extract so that each indicator appears once.",
        )
    return mapped


def _reject_repeated_years(cells: pd.DataFrame, paths: dict[str, str]) -> None:
    rows = cells.drop_duplicates(["source_id", "year"])
    repeated = rows.loc[rows.duplicated("year", keep=False)].sort_values(["year", "source_id"])
    if not repeated.empty:
        first = repeated.iloc[0]
        others = repeated.loc[repeated["year"] == first["year"]]
        where = " and ".join(f"{paths.get(r.source_id, r.source_id)}:{r.line}" for r in others.itertuples())
        raise SourceError(
            paths.get(first["source_id"], first["source_id"]),
            f"year {first['year']} is given by more than one indicator table ({where}).",
            line=int(first["line"]),
            action="Keep one table per year: remove the table from one source's `tables` in raw/sources.yaml.",
        )


def build_annual_indicators(cells: pd.DataFrame, paths: dict[str, str]) -> pd.DataFrame:
    """One row per year with a column per indicator, in the printed unit, and the row's provenance."""
    if cells.empty:
        return empty_frame(ANNUAL_INDICATORS)
    cells = map_headers(cells, paths)
    _reject_repeated_years(cells, paths)
    values = cells.pivot(index="year", columns="column", values="value").reindex(columns=INDICATOR_COLUMNS)
    rows = (
        cells.drop_duplicates("year")
        .set_index("year")[["source_id", "line", "row_char_start", "row_char_end"]]
        .rename(
            columns={
                "line": "source_line",
                "row_char_start": "source_char_start",
                "row_char_end": "source_char_end",
            }
        )
    )
    frame = values.join(rows).reset_index().assign(parse_rule=RULE)
    frame.columns.name = None
    frame = typed(frame, ANNUAL_INDICATORS)
    return frame.loc[:, ANNUAL_INDICATORS.columns].sort_values("year").reset_index(drop=True)
