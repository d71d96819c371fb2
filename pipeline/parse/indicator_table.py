"""The ``indicator_table`` parser's output: one row per printed cell of a numeric table (keyed by year or
by region), with its rebuilt header, the cell as printed and as a number, the row's key, its line and
character spans, and where the table stands. The reading itself is :mod:`pipeline.parse.data_table`.

The output is long and untidy on purpose: mapping headers to indicators is the cleaning step's job.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

import pandas as pd

from pipeline.corrections import Correction
from pipeline.metadata.tables import IndicatorTableConfig
from pipeline.parse.data_table import RULE, ParsedTable, join_header_fragments, parse_tables

__all__ = ["CELL_COLUMNS", "RULE", "IndicatorTableConfig", "join_header_fragments", "parse_indicator_table"]

CELL_COLUMNS = [
    "source_id",
    "table_number",
    "key_kind",
    "key",
    "key_text",
    "year",
    "row_kind",
    "column_index",
    "header",
    "header_lines",
    "value_text",
    "value",
    "footnote",
    "line",
    "char_start",
    "char_end",
    "row_char_start",
    "row_char_end",
    "key_lines",
    "table_first_line",
    "table_last_line",
    "stated_source",
    "furniture_lines",
]


def table_records(tables: Sequence[ParsedTable], source_id: str) -> list[dict[str, Any]]:
    """One record per cell of ``tables`` (columns :data:`CELL_COLUMNS`)."""
    records = []
    for number, table in enumerate(tables, start=1):
        for row in table.rows:
            key_lines = ",".join(str(n) for n in [row.line.number, *row.extra_lines])
            for cell in row.cells:
                records.append(
                    {
                        "source_id": source_id,
                        "table_number": number,
                        "key_kind": table.key_kind,
                        "key": row.key,
                        "key_text": row.key_printed,
                        "year": row.year,
                        "row_kind": "total" if row.is_total else "data",
                        "column_index": cell.column_index,
                        "header": table.headers[cell.column_index],
                        "header_lines": ",".join(str(n) for n in table.header_lines[cell.column_index]),
                        "value_text": cell.printed,
                        "value": cell.value,
                        "footnote": cell.footnote,
                        "line": row.line.number,
                        "char_start": cell.char_start,
                        "char_end": cell.char_end,
                        "row_char_start": row.line.start,
                        "row_char_end": row.line.end,
                        "key_lines": key_lines,
                        "table_first_line": table.header_start_line,
                        "table_last_line": table.last_row_line,
                        "stated_source": table.stated_source,
                        "furniture_lines": ",".join(str(n) for n in table.furniture_lines),
                    }
                )
    return records


def parse_indicator_tables(
    text: str,
    configs: Sequence[IndicatorTableConfig],
    *,
    source_id: str,
    path: str,
    known_headers: Collection[str] = (),
    region_names: dict[str, str] | None = None,
) -> tuple[list[dict[str, Any]], list[Correction]]:
    """Every indicator table of a file, in registry order; a :class:`SourceError` naming every damaged
    line of the first table that has one."""
    tables = parse_tables(
        text, configs, path=path, source_id=source_id, known_headers=known_headers, region_names=region_names
    )
    for table in tables:
        table.raise_problems()
    corrections = [c for t in tables for c in t.corrections]
    return table_records(tables, source_id), corrections


def parse_indicator_table(
    text: str,
    config: IndicatorTableConfig,
    *,
    source_id: str,
    path: str,
    known_headers: Collection[str] = (),
    region_names: dict[str, str] | None = None,
) -> tuple[pd.DataFrame, list[Correction]]:
    """The first table ``config`` describes in ``text``, as a frame of :data:`CELL_COLUMNS`."""
    records, corrections = parse_indicator_tables(
        text, [config], source_id=source_id, path=path, known_headers=known_headers, region_names=region_names
    )
    return pd.DataFrame.from_records(records, columns=CELL_COLUMNS), corrections
