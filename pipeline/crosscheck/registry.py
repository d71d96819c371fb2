"""Every cross-check's code, by the name it is declared under in :mod:`pipeline.metadata.crosschecks`;
:func:`all_findings` runs them in that order into the ``findings`` dataset.

A finding is a fact about the sources, not a defect of the curated data: an article that contradicts
the registry is still published faithfully, and the finding says so with the quotes it rests on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from pipeline.crosscheck import (
    city_lists,
    counts,
    currency_conversions,
    different_measures,
    growth_rates,
    inputs_yield,
    series_jumps,
    table_coverage,
    uncertain_readings,
)
from pipeline.crosscheck.common import INPUT_FIELDS, CheckInputs
from pipeline.metadata.crosschecks import CHECK_NAMES, CROSS_CHECKS, inputs_read
from pipeline.metadata.datasets import FINDINGS
from pipeline.metadata.schemas import empty_frame, typed
from pipeline.raw.reference import REF

Runner = Callable[[CheckInputs], list[dict[str, Any]]]
RUNNERS: dict[str, Runner] = {
    module.__name__.rsplit(".", 1)[1]: module.run
    for module in (
        counts,
        city_lists,
        currency_conversions,
        growth_rates,
        series_jumps,
        table_coverage,
        inputs_yield,
        uncertain_readings,
        different_measures,
    )
}
# a programming error, caught on import: say which side is missing what
if set(RUNNERS) != set(CHECK_NAMES) or set(INPUT_FIELDS) != set(inputs_read()):
    raise ImportError(
        f"cross-checks declared {sorted(CHECK_NAMES)} reading {sorted(inputs_read())}, but implemented "
        f"{sorted(RUNNERS)} reading {sorted(INPUT_FIELDS)}"
    )


def findings_from(loaded: dict[str, Any]) -> pd.DataFrame:
    """The findings from the inputs by their declared names (see :mod:`pipeline.metadata.crosschecks`)."""
    inputs = CheckInputs(**{INPUT_FIELDS[name]: _in_document_order(value) for name, value in loaded.items()})
    return _findings(inputs)


def _in_document_order(value: Any) -> Any:
    """A frame of rows with spans (figures, mentions) in document order: the checks read a source's rows in
    the order it prints them ("the first count that says ..."); the files are sorted by their ids."""
    if isinstance(value, pd.DataFrame) and {"source_id", "char_start"} <= set(value.columns):
        return value.sort_values(["source_id", "char_start"], kind="stable").reset_index(drop=True)
    return value


def _findings(inputs: CheckInputs) -> pd.DataFrame:
    records = []
    for check in CROSS_CHECKS:
        compared = {REF[i.removeprefix("ref:")] for i in check.reads if i.startswith("ref:")}
        for record in RUNNERS[check.name](inputs):  # the reference tables compared against are sources too
            records.append({**record, "source_ids": sorted(set(record["source_ids"]) | compared)})
    if not records:
        return empty_frame(FINDINGS)
    return typed(pd.DataFrame.from_records(records, columns=FINDINGS.columns), FINDINGS)


def all_findings(
    figures: pd.DataFrame,
    mentions: pd.DataFrame,
    batches: pd.DataFrame,
    zones: pd.DataFrame,
    rates: pd.DataFrame,
    indicators: pd.DataFrame,
    texts: dict[str, str] | None = None,
    pilot_zones: pd.DataFrame | None = None,
) -> pd.DataFrame:
    registry = pd.DataFrame() if pilot_zones is None else pilot_zones
    figures, mentions = _in_document_order(figures), _in_document_order(mentions)
    return _findings(CheckInputs(figures, mentions, batches, zones, rates, indicators, texts or {}, registry))
