"""``different_measures``: an article's figure and the appendix series for the same year that measure
different things (industry estimate vs. customs figure), said instead of merged; and a zone's figure
larger than the country's."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from pipeline.crosscheck.common import EVIDENCE_PAIRS, CheckInputs, finding, firm_levels, quote_of
from pipeline.ids import value_id
from pipeline.records import frame_records

# Appendix series an article figure could be confused with, and why they differ.
COMPARABLE_SERIES = {
    "cross-border e-commerce trade": (
        "cross_border_ecommerce_market_100m_cny",
        1e8,
        "the appendix series is 100EC.cn's industry estimate of the cross-border e-commerce market "
        "including B2B; the article's figure is the customs-cleared trade",
    ),
    "cross-border e-commerce imports and exports": (
        "cross_border_ecommerce_market_100m_cny",
        1e8,
        "the appendix series is 100EC.cn's industry estimate of the cross-border e-commerce market "
        "including B2B; the article's figure is the customs-cleared imports and exports",
    ),
    "e-commerce market value": (
        "ecommerce_transactions_trillion_cny",
        1e12,
        "the appendix series is the national e-commerce transaction volume (NBS, B2B included); the "
        "article's 'e-commerce market' is a narrower measure",
    ),
}


TRADE_SUBJECTS = {"cross-border e-commerce trade", "cross-border e-commerce imports and exports"}


def run(inputs: CheckInputs) -> list[dict[str, Any]]:
    return check_different_measures(inputs.figures, inputs.indicators, inputs.rates, inputs.texts)


def check_different_measures(
    figures: pd.DataFrame, indicators: pd.DataFrame, rates: pd.DataFrame, texts: dict[str, str]
) -> list[dict[str, Any]]:
    findings = _part_exceeds_whole(figures, rates)
    amounts = figures.loc[
        figures["kind"].eq("amount")
        & figures["value"].gt(0)
        & firm_levels(figures)  # firm readings of whole years only
        & figures["unit"].eq("CNY")
        & figures["geography"].eq("China")
    ]
    by_year = {int(year): rows for year, rows in indicators.groupby("year", sort=True)}
    for _, figure in amounts.iterrows():
        if figure["subject"] not in COMPARABLE_SERIES or not re.fullmatch(r"\d{4}", figure["period"]):
            continue
        column, scale, why = COMPARABLE_SERIES[figure["subject"]]
        year_rows = by_year.get(int(figure["period"]))
        if year_rows is None:
            continue
        tables = list(year_rows.loc[year_rows[column].notna()].itertuples())
        if not tables:
            continue
        appendix = [
            {
                "source_id": str(row.source_id),
                "char_start": int(row.char_start),
                "char_end": int(row.char_end),
                "text": " ".join(texts.get(str(row.source_id), "")[row.char_start : row.char_end].split())
                or f"annual_indicators {figure['period']}",
            }
            for row in tables[:EVIDENCE_PAIRS]
        ]
        values = [float(getattr(row, column)) for row in tables]
        if len(tables) == 1:
            series = values[0] * scale
            compared = (
                f"the appendix's {column} = {values[0]:g} ({series / 1e12:.2f} trillion CNY, "
                f"{series / figure['value']:.1f}x)"
            )
        else:
            low, high = min(values) * scale, max(values) * scale
            compared = (
                f"{len(tables)} appendix tables' {column} = {min(values):g} to {max(values):g} "
                f"({low / 1e12:.2f} to {high / 1e12:.2f} trillion CNY, {low / figure['value']:.1f}x to "
                f"{high / figure['value']:.1f}x)"
            )
        message = (
            f"{figure['period']}: the article's {figure['printed']} and {compared} are different measures: "
            f"{why}. They are kept apart, not merged."
        )
        cells = [value_id(str(row.source_id), str(figure["period"]), column) for row in tables]
        findings.append(finding("different_measures", figure["figure_id"], "different measures", message,
                                [quote_of(figure), *appendix], [figure["figure_id"], *cells]))  # fmt: skip
    return findings


def _in_cny(row: Any, rates: dict[int, float]) -> float | None:
    if row["unit"] == "CNY":
        return float(row["value"])
    year = int(str(row["period"])[:4])
    return float(row["value"]) * rates[year] if row["unit"] == "USD" and year in rates else None


def _part_exceeds_whole(figures: pd.DataFrame, rates_table: pd.DataFrame) -> list[dict[str, Any]]:
    """A zone's cross-border e-commerce figure larger than another source's national figure for the
    same year: the two cannot measure the same thing (or one is wrong)."""
    rates = dict(zip(rates_table["year"].astype(int), rates_table["cny_per_usd"].astype(float), strict=True))
    trade = figures.loc[
        figures["kind"].eq("amount")
        & figures["value"].gt(0)
        & firm_levels(figures)  # no stated change ("rose by 300 billion yuan"), no quarter
        & figures["subject"].isin(TRADE_SUBJECTS)
        & figures["period"].str.fullmatch(r"\d{4}")
    ]
    findings = []
    national_by_period: dict[str, list[tuple[dict[str, Any], float | None]]] = {}
    local = []
    for row in frame_records(trade):  # in the frame's order; each figure in CNY once
        if row["geography"] == "China":
            national_by_period.setdefault(str(row["period"]), []).append((row, _in_cny(row, rates)))
        else:
            local.append(row)
    for part in local:
        part_cny = _in_cny(part, rates) if str(part["period"]) in national_by_period else None
        if part_cny is None:
            continue
        for whole, whole_cny in national_by_period[str(part["period"])]:
            if part["source_id"] == whole["source_id"] or whole_cny is None or part_cny <= whole_cny:
                continue
            message = (
                f"{part['period']}: {part['geography']}'s {part['printed']} (about {part_cny / 1e9:,.0f} billion CNY) "
                f"is {part_cny / whole_cny:.1f} times the national {whole['printed']}: one zone cannot exceed the "
                "country, so the two figures measure different things (e.g. all cross-border e-commerce including "
                "B2B vs. customs-cleared retail) or one is wrong."
            )
            concerns = [part["figure_id"], whole["figure_id"]]
            findings.append(finding("different_measures", ">".join(concerns), "contradiction", message,
                                    [quote_of(part), quote_of(whole)], concerns))  # fmt: skip
    return findings
