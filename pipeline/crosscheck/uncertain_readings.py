"""``uncertain_readings``: figures the extractor read but is unsure of (``reported_figures.uncertainty``): a
bare number whose noun comes from an earlier sentence, a growth rate printed in another clause, a count of
zones whose role no word states. No cross-check rests on them (a finding built on a guess would be a false
alarm or a false all-clear); each is a warning that says what to read in the source."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipeline.crosscheck.common import CheckInputs, finding, quote_of, records


def run(inputs: CheckInputs) -> list[dict[str, Any]]:
    return check_uncertain_readings(inputs.figures)


def check_uncertain_readings(figures: pd.DataFrame) -> list[dict[str, Any]]:
    if figures.empty or "uncertainty" not in figures:
        return []
    findings = []
    for figure in records(figures.loc[figures["uncertainty"].notna()]):
        message = (
            f"'{figure['printed']}' read as {figure['value']:g} {figure['unit']} ({figure['measure']}, "
            f"{figure['period']}) is uncertain: {figure['uncertainty']}. No cross-check uses it; read the quote and, "
            "if the reading is wrong, report the sentence as an extractor gap."
        )
        key = figure["figure_id"]
        findings.append(finding("uncertain_readings", key, "uncertain", message, [quote_of(figure)], [key]))
    return findings
