"""Reading ``reference/indicator_dictionary.csv``, which says what each column of the appendix indicator
table measures and in which unit.

The file has one known defect: the meaning of 'The market scale of cross-' contains an unquoted comma,
so that row has 7 fields instead of 6. :func:`read_indicator_dictionary` rejoins it (the only row where
it may happen, asserted exactly) instead of letting a general CSV option swallow it.
"""

from __future__ import annotations

import pandas as pd


def require_declaration_matches(dictionary: pd.DataFrame, path: str) -> None:
    """The declared raw headers and units of ``annual_indicators`` must be the dictionary's."""
    from pipeline.metadata.datasets import ANNUAL_INDICATORS

    declared = {f.raw_header: f.unit for f in ANNUAL_INDICATORS.fields if f.raw_header}
    listed = dict(zip(dictionary["raw_header"], dictionary["unit"], strict=True))
    if declared != listed:
        differ = sorted(set(declared.items()) ^ set(listed.items()))
        raise ValueError(
            f"{path}: the indicator dictionary and the annual_indicators declaration disagree on {differ}. "
            "Update the column's raw_header/unit in pipeline/metadata/datasets.py, or the dictionary, so they agree."
        )
