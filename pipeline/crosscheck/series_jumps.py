"""``series_jumps``: a series of an appendix table that changes by more than a declared factor from one
year to the next. Not wrong by itself (an early series from a small base, a redefinition), but the kind
of jump a misprint, a lost digit or a changed unit makes: a warning that says what to read again."""

from __future__ import annotations

from itertools import groupby, pairwise
from typing import Any

import pandas as pd

from pipeline.crosscheck.common import CheckInputs, finding
from pipeline.ids import value_id
from pipeline.metadata.datasets import ANNUAL_INDICATORS
from pipeline.records import frame_records

JUMP_FACTOR = 3.0  # a year-on-year ratio above this (or below its inverse) is a finding


def run(inputs: CheckInputs) -> list[dict[str, Any]]:
    return check_series_jumps(inputs.indicators, inputs.texts)


def _row(source_id: str, row: Any, texts: dict[str, str]) -> dict[str, Any]:
    start, end = int(row["char_start"]), int(row["char_end"])
    return {"source_id": source_id, "char_start": start, "char_end": end, "text": texts.get(source_id, "")[start:end]}


def check_series_jumps(indicators: pd.DataFrame, texts: dict[str, str]) -> list[dict[str, Any]]:
    findings = []
    series = [f for f in ANNUAL_INDICATORS.fields if f.raw_header]  # the printed indicator columns
    ordered = frame_records(indicators.sort_values(["source_id", "year"], kind="stable"))
    for source_id, table in groupby(ordered, key=lambda row: row["source_id"]):  # one table at a time, by year
        rows = list(table)
        for field in series:
            for before, after in pairwise(rows):
                a, b = before[field.name], after[field.name]
                if after["year"] != before["year"] + 1 or pd.isna(a) or pd.isna(b) or a <= 0 or b <= 0:
                    continue
                ratio = b / a
                if 1 / JUMP_FACTOR <= ratio <= JUMP_FACTOR:
                    continue
                year = int(after["year"])
                message = (
                    f"{field.name} ({field.unit}): {year} is {ratio:.2f} times {year - 1} ({a:g} -> {b:g} as printed), "
                    f"beyond the factor of {JUMP_FACTOR:g} a year this check allows. Read both rows against the "
                    f"source: a misprint, a lost digit, a changed unit or a redefined series. The series: "
                    f"{field.description}"
                )
                evidence = [_row(str(source_id), before, texts), _row(str(source_id), after, texts)]
                cells = [value_id(str(source_id), str(y), field.name) for y in (year, year - 1)]
                findings.append(finding("series_jumps", cells[0], "jump", message, evidence, cells))
    return findings
