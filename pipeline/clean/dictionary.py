"""Reading ``reference/indicator_dictionary.csv``, which says what each column of the appendix indicator
table measures and in which unit.

The file has one known defect: the meaning of 'The market scale of cross-' contains an unquoted comma,
so that row has 7 fields instead of 6. :func:`read_indicator_dictionary` rejoins it (the only row where
it may happen, asserted exactly) instead of letting a general CSV option swallow it.
"""

from __future__ import annotations

import pandas as pd

from pipeline.raw.reference import HeaderDictionary


def require_declaration_matches(dictionary: pd.DataFrame, path: str, headers: HeaderDictionary | None = None) -> None:
    """The declared raw headers and units of ``annual_indicators`` must be the dictionary's, and the header
    dictionary must map each declared raw header to that column, in its unit."""
    from pipeline.metadata.datasets import ANNUAL_INDICATORS

    for f in ANNUAL_INDICATORS.fields:
        if not f.raw_header or headers is None:
            continue
        entry = headers.lookup(f.raw_header)
        if entry is None or (entry.indicator_id, entry.unit) != (f.name, f.unit):
            found = f"({entry.indicator_id!r}, {entry.unit!r}) on line {entry.line}" if entry else "no row"
            raise ValueError(
                f"raw/reference/indicator_headers.csv: the annual_indicators column {f.name!r} (printed "
                f"{f.raw_header!r}, unit {f.unit!r}) has {found}. The header must map to the column's name and unit."
            )

    declared = {f.raw_header: f.unit for f in ANNUAL_INDICATORS.fields if f.raw_header}
    listed = dict(zip(dictionary["raw_header"], dictionary["unit"], strict=True))
    if declared != listed:
        differ = sorted(set(declared.items()) ^ set(listed.items()))
        raise ValueError(
            f"{path}: the indicator dictionary and the annual_indicators declaration disagree on {differ}. "
            "Update the column's raw_header/unit in pipeline/metadata/datasets.py, or the dictionary, so they agree."
        )
