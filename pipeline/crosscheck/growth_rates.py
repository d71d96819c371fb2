"""``growth_rates``: a stated growth rate against the same measure's figures for two consecutive years
from different sources."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipeline.crosscheck.common import EVIDENCE_PAIRS, CheckInputs, finding, firm_levels, quote_of, records

GROWTH_TOLERANCE_POINTS = 1.0


def run(inputs: CheckInputs) -> list[dict[str, Any]]:
    return check_growth_rates(inputs.figures)


def check_growth_rates(figures: pd.DataFrame) -> list[dict[str, Any]]:
    findings = []
    amounts = figures.loc[
        figures["kind"].eq("amount")
        & figures["value"].gt(0)
        & firm_levels(figures)  # firm readings of whole years only
        & figures["period"].str.fullmatch(r"\d{4}")
    ]
    firm = firm_levels(figures)
    growth = figures.loc[figures["kind"].eq("growth") & firm & figures["period"].str.fullmatch(r"\d{4}")]
    stated = [(row, float(row["growth_pct"])) for row in records(amounts.loc[amounts["growth_pct"].notna()])] + [
        (row, float(row["value"])) for row in records(growth)
    ]
    # amounts by (subject, geography, period), so each statement looks up its two years directly
    indexed: dict[tuple[Any, Any, Any], list[dict[str, Any]]] = {}
    for row in records(amounts.loc[amounts[["subject", "geography", "period"]].notna().all(axis=1)]):
        indexed.setdefault((row["subject"], row["geography"], row["period"]), []).append(row)
    for statement, rate in stated:
        year, subject = int(statement["period"]), statement["subject"]
        current = indexed.get((subject, statement["geography"], str(year)), [])
        previous = indexed.get((subject, statement["geography"], str(year - 1)), [])
        pairs = [
            (now, before, (now["value"] / before["value"] - 1) * 100)
            for now in current
            for before in previous
            if before["unit"] == now["unit"] and not (before["source_id"] == now["source_id"] == statement["source_id"])
        ]
        if pairs:
            findings.append(_growth_finding(statement, rate, pairs))
    return findings


def _growth_finding(
    statement: dict[str, Any], rate: float, pairs: list[tuple[dict[str, Any], dict[str, Any], float]]
) -> dict[str, Any]:
    """One finding per stated rate, keyed by the statement's figure: against the one pair of figures that
    can test it, or a summary of all of them when several sources give the two years (one finding per
    pair would grow quadratically)."""
    year, subject = int(statement["period"]), statement["subject"]
    key = statement["figure_id"]
    fits = [abs(implied - rate) <= GROWTH_TOLERANCE_POINTS for _, _, implied in pairs]
    status = "consistent" if all(fits) else "contradiction"
    if len(pairs) == 1:
        now, before, implied = pairs[0]
        message = (
            f"{subject}, {year}: stated growth {rate:g}%; {now['printed']} ({year}) against "
            f"{before['printed']} ({year - 1}) gives {implied:.1f}%"
            + (
                " (consistent)."
                if fits[0]
                else f", {abs(implied - rate):.1f} points apart: the sources' figures do not fit the stated rate."
            )
        )
        shown = pairs
    else:
        implied_all = [implied for _, _, implied in pairs]
        message = (
            f"{subject}, {year}: stated growth {rate:g}%; {len(pairs)} pairs of figures for {year} and {year - 1} "
            f"from the sources give {min(implied_all):.1f}% to {max(implied_all):.1f}%, {sum(fits)} of them within "
            f"{GROWTH_TOLERANCE_POINTS:g} point"
            + ("." if all(fits) else ": the sources' figures do not all fit the stated rate.")
        )
        shown = sorted(pairs, key=lambda p: -abs(p[2] - rate))[:EVIDENCE_PAIRS]  # the farthest apart first
    evidence = [quote_of(statement)] + [e for now, before, _ in shown for e in (quote_of(now), quote_of(before))]
    evidence = [e for i, e in enumerate(evidence) if e not in evidence[:i]]
    # every figure it judged, the farthest from the rate first (the evidence quotes only the first few)
    judged = sorted(pairs, key=lambda p: -abs(p[2] - rate))
    concerns = [key] + [f["figure_id"] for now, before, _ in judged for f in (now, before)]
    return finding("growth_rates", key, status, message, evidence, concerns)
