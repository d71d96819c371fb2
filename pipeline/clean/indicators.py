"""Building ``annual_indicators`` from parsed indicator-table cells: each rebuilt header is mapped to a
declared column through the column's ``raw_header`` (see :mod:`pipeline.metadata.datasets`), and the long cells
are pivoted to one row per year."""

from __future__ import annotations

import difflib
import re

import pandas as pd

from pipeline.errors import SourceError
from pipeline.metadata.datasets import ANNUAL_INDICATORS
from pipeline.metadata.schemas import empty_frame, typed
from pipeline.parse.indicator_table import RULE


def _key(header: str) -> str:
    """A printed header as matched: case, spacing and hyphenation ignored, so that 'Network pene-' /
    'tration' (rejoined as 'Network pene-tration') is 'Network penetration'."""
    return re.sub(r"[\s\-‐‑–]+", "", header).casefold()


HEADER_TO_COLUMN = {_key(f.raw_header): f.name for f in ANNUAL_INDICATORS.fields if f.raw_header}
INDICATOR_COLUMNS = [f.name for f in ANNUAL_INDICATORS.fields if f.raw_header]


def map_headers(cells: pd.DataFrame, paths: dict[str, str]) -> pd.DataFrame:
    """Add the curated ``column`` of each cell; raise for a header no declared column claims."""
    column = cells["header"].map(lambda h: HEADER_TO_COLUMN.get(_key(h)))
    unknown = cells.loc[column.isna()].drop_duplicates(["source_id", "header"])
    for source_id, rows in unknown.groupby("source_id", sort=True):  # every unknown header of a table at once
        known = [f.raw_header or "" for f in ANNUAL_INDICATORS.fields if f.raw_header]
        described = []
        for row in rows.itertuples():
            close = difflib.get_close_matches(str(row.header), known, n=1, cutoff=0.6)
            hint = f"closest known: {close[0]!r}" if close else "no known header is close"
            described.append(f"{row.header!r} (line {str(row.header_lines).split(',')[0]}; {hint})")
        first = int(str(rows.iloc[0]["header_lines"]).split(",")[0])
        raise SourceError(
            paths.get(str(source_id), str(source_id)),
            f"{len(described)} indicator column header(s) are not known indicators: {', '.join(described)}. "
            f"Known: {'; '.join(known)}.",
            line=first,
            action="A misprint of a known header: fix the extract. A new indicator: declare a column with this "
            "raw_header in pipeline/metadata/datasets.py and its row in raw/reference/indicator_dictionary.csv.",
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


def build_annual_indicators(cells: pd.DataFrame, paths: dict[str, str]) -> pd.DataFrame:
    """One row per year and table with a column per indicator, in the printed unit, and the row's provenance.

    Two tables that print the same year give two rows, told apart by ``source_id``; they are not merged.
    """
    if cells.empty:
        return empty_frame(ANNUAL_INDICATORS)
    cells = map_headers(cells, paths)
    key = ["source_id", "year"]
    twice = cells.loc[cells.duplicated([*key, "column"], keep=False)].sort_values("line")
    if not twice.empty:
        first = twice.iloc[0]
        raise SourceError(
            paths.get(first["source_id"], first["source_id"]),
            f"year {first['year']} of {first['column']!r} is printed twice in this file's indicator tables "
            f"(lines {', '.join(str(n) for n in twice.loc[twice['year'] == first['year'], 'line'].unique())}).",
            line=int(first["line"]),
            action="Register only one of the tables in raw/sources.yaml, or split the file.",
        )
    values = cells.pivot(index=key, columns="column", values="value").reindex(columns=INDICATOR_COLUMNS)
    rows = (
        cells.drop_duplicates(key)
        .set_index(key)[["line", "row_char_start", "row_char_end"]]
        .rename(columns={"row_char_start": "char_start", "row_char_end": "char_end"})
    )
    frame = values.join(rows).reset_index().assign(parse_rule=RULE)
    frame.columns.name = None
    frame = typed(frame, ANNUAL_INDICATORS)
    return frame.loc[:, ANNUAL_INDICATORS.columns].sort_values(key).reset_index(drop=True)


def build_annual_indicators_by_table(
    cells: pd.DataFrame, paths: dict[str, str]
) -> tuple[pd.DataFrame, dict[str, SourceError]]:
    """:func:`build_annual_indicators` over many tables at once, quarantining a table with defects
    (its error is returned by source id) instead of stopping the others. The checks run vectorised
    over all cells; only a table that fails one is rebuilt alone, to get its error message."""
    column = cells["header"].map(lambda h: HEADER_TO_COLUMN.get(_key(h)))
    mapped = cells.assign(column=column)
    unknown = set(mapped.loc[column.isna(), "source_id"])
    columns = mapped.drop_duplicates(["source_id", "column_index"])
    doubled = set(columns.loc[columns["column"].notna() & columns.duplicated(["source_id", "column"]), "source_id"])
    twice = set(mapped.loc[mapped.duplicated(["source_id", "year", "column"]), "source_id"])
    errors: dict[str, SourceError] = {}
    for source_id in sorted(unknown | doubled | twice):
        try:
            build_annual_indicators(cells.loc[cells["source_id"] == source_id], paths)
        except SourceError as error:
            errors[str(source_id)] = error
    good = cells.loc[~cells["source_id"].isin(errors)]
    return build_annual_indicators(good, paths), errors
