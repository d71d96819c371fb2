"""From parsed indicator-table cells to curated datasets, through the header dictionary
(``raw/reference/indicator_headers.csv``): each printed header is matched (case, spacing and hyphenation
ignored) to the indicator it measures, with its unit.

- ``indicator_values``: every cell of every table, long and tidy (one row per cell, keyed by year or
  region), with the indicator, unit and the printed header and cell.
- ``annual_indicators``: the wide per-year view of the indicators it declares (a column each, by
  ``indicator_id``), from the year-keyed tables; a table's other indicators are in ``indicator_values`` only.

A source whose tables print a header the dictionary does not know is quarantined with one error naming
every such header and the closest known ones; adding the header to the dictionary is all it takes.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from pipeline.errors import SourceError
from pipeline.ids import VALUE_KIND, stable_ids
from pipeline.metadata.datasets import ANNUAL_INDICATORS, INDICATOR_VALUES
from pipeline.metadata.schemas import empty_frame, typed
from pipeline.parse.indicator_table import RULE
from pipeline.raw.reference import HeaderDictionary

INDICATOR_COLUMNS = [f.name for f in ANNUAL_INDICATORS.fields if f.raw_header]
HEADERS_FILE = "raw/reference/indicator_headers.csv"


def _first_line(header_lines: object) -> int:
    return int(str(header_lines).split(",")[0])


def map_headers(
    cells: pd.DataFrame, dictionary: HeaderDictionary, paths: Mapping[str, str]
) -> tuple[pd.DataFrame, dict[str, SourceError]]:
    """``cells`` with the ``indicator_id`` and ``unit`` of each header, and an error for each source
    that prints a header the dictionary does not know (naming every one of them)."""
    columns = cells.drop_duplicates(["source_id", "table_number", "column_index"])
    entries = {h: dictionary.lookup(h) for h in columns["header"].unique()}
    ids = {h: e.indicator_id for h, e in entries.items() if e is not None}
    units = {h: e.unit for h, e in entries.items() if e is not None}
    mapped = cells.assign(indicator_id=cells["header"].map(ids), unit=cells["header"].map(units))
    errors: dict[str, SourceError] = {}
    unknown = columns.loc[columns["header"].map(lambda h: entries[h] is None)]
    for source_id, rows in unknown.groupby("source_id", sort=True):
        described = []
        for row in rows.sort_values(["table_number", "column_index"]).itertuples():
            close = dictionary.closest(str(row.header))
            hint = f"closest known: {', '.join(repr(c) for c in close)}" if close else "no known header is close"
            described.append(f"{row.header!r} (table {row.table_number}, line {_first_line(row.header_lines)}; {hint})")
        errors[str(source_id)] = SourceError(
            paths.get(str(source_id), str(source_id)),
            f"{len(described)} column header(s) of its indicator tables are not in the indicator dictionary: "
            f"{', '.join(described)}.",
            line=_first_line(rows.iloc[0]["header_lines"]),
            action=f"A misprint or another wrapping of a known header: add it as a row of {HEADERS_FILE} with that "
            f"header's indicator_id and unit. A new indicator: add a row (header, indicator_id, unit, description). "
            f"Then record the file's new sha256 (python -m pipeline register ref_indicator_headers).",
        )
    return mapped, errors


def build_indicator_values(
    cells: pd.DataFrame,
    dictionary: HeaderDictionary,
    region_codes: Mapping[str, str],
    paths: Mapping[str, str],
) -> tuple[pd.DataFrame, dict[str, SourceError]]:
    """Every cell of every table with its indicator, unit and region; the sources with unknown headers
    are left out and returned as errors."""
    if cells.empty:
        return empty_frame(INDICATOR_VALUES), {}
    mapped, errors = map_headers(cells, dictionary, paths)
    good = mapped.loc[~mapped["source_id"].isin(errors)]
    region = good["key"].where(good["key_kind"] == "region")
    frame = good.assign(
        region=region,
        region_code=region.map(lambda r: region_codes.get(r) if isinstance(r, str) else None),
        parse_rule=RULE,
    ).sort_values(["source_id", "char_start"], kind="stable")
    keys = zip(frame["source_id"], frame["key"], frame["indicator_id"], strict=True)
    frame = frame.assign(value_id=stable_ids(VALUE_KIND, keys))
    frame = typed(frame.loc[:, INDICATOR_VALUES.columns].reset_index(drop=True), INDICATOR_VALUES)
    return frame.sort_values(list(INDICATOR_VALUES.primary_key)).reset_index(drop=True), errors


def build_annual_indicators(
    cells: pd.DataFrame, paths: Mapping[str, str], dictionary: HeaderDictionary
) -> pd.DataFrame:
    """One row per year and table with a column per declared annual indicator, in the printed unit, and
    the row's provenance. Raises :class:`SourceError` for a defect of a table.

    Two tables that print the same year give two rows, told apart by ``source_id``; they are not merged."""
    if cells.empty:
        return empty_frame(ANNUAL_INDICATORS)
    mapped, errors = map_headers(cells, dictionary, paths)
    if errors:
        raise errors[min(errors)]
    return _pivot(mapped, paths)


def _pivot(mapped: pd.DataFrame, paths: Mapping[str, str]) -> pd.DataFrame:
    cells = mapped.loc[(mapped["key_kind"] == "year") & mapped["indicator_id"].isin(INDICATOR_COLUMNS)]
    if cells.empty:
        return empty_frame(ANNUAL_INDICATORS)
    cells = cells.astype({"year": "int64"})
    columns = cells.drop_duplicates(["source_id", "table_number", "column_index"])
    doubled = columns.loc[columns.duplicated(["source_id", "table_number", "indicator_id"])]
    for row in doubled.itertuples():
        raise SourceError(
            paths.get(row.source_id, row.source_id),
            f"two columns of indicator table {row.table_number} measure {row.indicator_id!r} (header {row.header!r}).",
            line=_first_line(row.header_lines),
            action="If the two headers mean different things, give one its own indicator_id in "
            "raw/reference/indicator_headers.csv; a column printed twice is a defect of the extract to report, "
            "and the table cannot go into annual_indicators until then.",
        )
    key = ["source_id", "year"]
    twice = cells.loc[cells.duplicated([*key, "indicator_id"], keep=False)].sort_values("line")
    if not twice.empty:
        first = twice.iloc[0]
        raise SourceError(
            paths.get(first["source_id"], first["source_id"]),
            f"year {first['year']} of {first['indicator_id']!r} is printed twice in this file's indicator tables "
            f"(lines {', '.join(str(n) for n in twice.loc[twice['year'] == first['year'], 'line'].unique())}).",
            line=int(first["line"]),
            action="Register only one of the tables in raw/sources.yaml, or split the file.",
        )
    values = cells.pivot(index=key, columns="indicator_id", values="value").reindex(columns=INDICATOR_COLUMNS)
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
    cells: pd.DataFrame, paths: Mapping[str, str], dictionary: HeaderDictionary
) -> tuple[pd.DataFrame, dict[str, SourceError]]:
    """:func:`build_annual_indicators` over many tables at once, quarantining a source with defects (its
    error is returned by source id) instead of stopping the others. The checks run vectorised over all
    cells; only a source that fails one is rebuilt alone, to get its error message."""
    if cells.empty:
        return empty_frame(ANNUAL_INDICATORS), {}
    mapped, errors = map_headers(cells, dictionary, paths)
    annual = mapped.loc[(mapped["key_kind"] == "year") & mapped["indicator_id"].isin(INDICATOR_COLUMNS)]
    columns = annual.drop_duplicates(["source_id", "table_number", "column_index"])
    doubled = set(columns.loc[columns.duplicated(["source_id", "table_number", "indicator_id"]), "source_id"])
    twice = set(annual.loc[annual.duplicated(["source_id", "year", "indicator_id"]), "source_id"])
    for source_id in sorted((doubled | twice) - set(errors)):
        try:
            _pivot(mapped.loc[mapped["source_id"] == source_id], paths)
        except SourceError as error:
            errors[str(source_id)] = error
    good = mapped.loc[~mapped["source_id"].isin(errors)]
    return _pivot(good, paths), errors
