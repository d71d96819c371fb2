"""``currency_conversions``: a printed CNY/USD conversion against the year's average rate."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipeline.crosscheck.common import CheckInputs, finding, quote_of

CONVERSION_TOLERANCE = 0.10  # spot rates on publication day differ from the annual average by a few percent


def run(inputs: CheckInputs) -> list[dict[str, Any]]:
    return check_currency_conversions(inputs.figures, inputs.rates)


def check_currency_conversions(figures: pd.DataFrame, rates: pd.DataFrame) -> list[dict[str, Any]]:
    findings = []
    by_year = dict(zip(rates["year"].astype(int), rates["cny_per_usd"].astype(float), strict=True))
    pairs = {("CNY", "USD"), ("USD", "CNY")}
    converted = figures.loc[
        figures["converted_value"].notna()
        & pd.Series(
            [(u, c) in pairs for u, c in zip(figures["unit"], figures["converted_unit"], strict=True)],
            index=figures.index,
            dtype=bool,
        )
    ]
    for _, figure in converted.iterrows():
        cny = figure["value"] if figure["unit"] == "CNY" else figure["converted_value"]
        usd = figure["converted_value"] if figure["unit"] == "CNY" else figure["value"]
        year = int(str(figure["period"])[:4])
        key = figure["figure_id"]
        if year not in by_year:
            unchecked = f"'{figure['printed']}': no reference rate for {year}; not checked."
            # about no observation: it checked nothing, so it must not make the figure 'consistent'
            findings.append(finding("currency_conversions", key, "consistent", unchecked, [quote_of(figure)]))
            continue
        implied, reference = cny / usd, by_year[year]
        off = implied / reference - 1
        head = f"'{figure['printed']}' implies {implied:.4g} CNY per USD; the {year} average is {reference:.4f}"
        if abs(off) <= CONVERSION_TOLERANCE:
            status = "consistent"
            message = f"{head} ({off:+.1%}, within the {CONVERSION_TOLERANCE:.0%} allowed for spot rates)."
        elif 0.5 <= implied / reference <= 2:
            status = "mismatch"
            message = f"{head} ({off:+.1%}, beyond the {CONVERSION_TOLERANCE:.0%} allowed for spot rates)."
        else:
            status = "mismatch"
            message = (
                f"{head}: {implied / reference:.1f} times the average, a gross mismatch; at the average rate "
                f"the USD figure would be about {cny / reference / 1e9:,.1f} billion."
            )
        findings.append(finding("currency_conversions", key, status, message, [quote_of(figure)], [key]))
    return findings
