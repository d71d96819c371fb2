"""Reading ``reference/indicator_dictionary.csv``, which says what each column of the appendix indicator
table measures and in which unit.

The file has one known defect: the meaning of 'The market scale of cross-' contains an unquoted comma,
so that row has 7 fields instead of 6. :func:`read_indicator_dictionary` rejoins it (the only row where
it may happen, asserted exactly) instead of letting a general CSV option swallow it.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

COLUMNS = ["raw_header", "meaning", "unit", "source_of_series", "confidence", "evidence"]
UNQUOTED_COMMA_ROWS = {"The market scale of cross-"}


def read_indicator_dictionary(path: Path) -> pd.DataFrame:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    if rows[0] != COLUMNS:
        raise ValueError(f"{path}: expected columns {COLUMNS}, found {rows[0]}")
    records, rejoined = [], []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) == len(COLUMNS) + 1 and row[0] in UNQUOTED_COMMA_ROWS:
            row = [row[0], f"{row[1]},{row[2]}", *row[3:]]
            rejoined.append(row[0])
        if len(row) != len(COLUMNS):
            raise ValueError(f"{path}:{number}: expected {len(COLUMNS)} fields, found {len(row)}.")
        records.append(dict(zip(COLUMNS, row, strict=True)))
    if sorted(rejoined) != sorted(UNQUOTED_COMMA_ROWS):
        raise ValueError(
            f"{path}: expected the unquoted comma in exactly {sorted(UNQUOTED_COMMA_ROWS)}, found it in "
            f"{sorted(rejoined)}; the file changed, review this reader."
        )
    return pd.DataFrame.from_records(records, columns=COLUMNS)


def require_declaration_matches(dictionary: pd.DataFrame, path: str) -> None:
    """The declared raw headers and units of ``annual_indicators`` must be the dictionary's."""
    from pipeline.datasets import ANNUAL_INDICATORS

    declared = {f.raw_header: f.unit for f in ANNUAL_INDICATORS.fields if f.raw_header}
    listed = dict(zip(dictionary["raw_header"], dictionary["unit"], strict=True))
    if declared != listed:
        differ = sorted(set(declared.items()) ^ set(listed.items()))
        raise ValueError(
            f"{path}: the indicator dictionary and the annual_indicators declaration disagree on {differ}. "
            "Update the column's raw_header/unit in pipeline/datasets.py, or the dictionary, so they agree."
        )
