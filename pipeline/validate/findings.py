"""Cross-checks of what the extracts claim, against each other and against the reference tables.

Each function returns finding records (the ``findings`` dataset's columns). A finding is a fact about
the sources, not a defect of the curated data: an article that contradicts the registry is still
published faithfully, and the finding says so with the quotes it rests on.

- ``check_counts``: every count of zones, cities, batches, approvals or provinces against the registry
  at the date the count refers to; within one article, prior + added = total.
- ``check_city_lists``: the zones a sentence names as the latest batch against the batch each is in.
- ``check_currency_conversions``: a printed conversion against the year's CNY/USD rate.
- ``check_growth_rates``: a stated growth rate against the same measure's figures from two sources.
- ``check_different_measures``: an article's figure and the appendix series for the same year that
  measure different things (industry estimate vs. customs figure), said instead of merged.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pandas as pd

from pipeline.clean.mentions import latest_batch

CONVERSION_TOLERANCE = 0.10  # spot rates on publication day differ from the annual average by a few percent
GROWTH_TOLERANCE_POINTS = 1.0
EVIDENCE_PAIRS = 3  # pairs of figures quoted when a finding summarises many
ZONE_UNITS = {"zones", "cities", "areas"}

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


def _quote(row: Any) -> dict[str, Any]:
    return {
        "source_id": row["source_id"],
        "char_start": int(row["quote_char_start"]),
        "char_end": int(row["quote_char_end"]),
        "text": row["quote"],
    }


def _finding(check: str, key: str, status: str, message: str, evidence: list[dict[str, Any]]) -> dict[str, str]:
    sources = sorted({e["source_id"] for e in evidence})
    return {
        "check": check,
        "finding": key,
        "status": status,
        "message": message,
        "evidence": json.dumps(evidence, ensure_ascii=False, sort_keys=True),
        "source_ids": ",".join(sources),
    }


def _state_after(batches: pd.DataFrame, zones: pd.DataFrame, batch: int) -> dict[str, int]:
    row = batches.loc[batches["batch"] == batch].iloc[0]
    return {
        "batch": batch,
        "total": int(row["zones_total"]),
        "added": int(row["zones_added"]),
        "prior": int(row["zones_total"]) - int(row["zones_added"]),
        "batches": batch,
        "prior_batches": batch - 1,
        "provinces": int(zones.loc[zones["batch"] <= batch, "province"].nunique()),
    }


def _role(figure: Any) -> str:
    quote = figure["quote"]
    before = quote[: max(0, quote.find(figure["printed"]))][-60:]
    if figure["unit"] == "provinces":
        return "provinces"
    if figure["unit"] in ("batches", "approvals"):
        return "prior_batches" if re.search(r"\bexisting\b", before, re.I) else "batches"
    if re.search(r"\b(?:prior to|had designated|existing|before)\b", quote, re.I):
        return "prior"
    whole_before = quote[: max(0, quote.find(figure["printed"]))]
    if re.search(r"\b(?:another|more|additional|new)\b", before + figure["printed"], re.I) or re.search(
        r"\bapproved the establishment\b[^,;]*$", whole_before, re.I
    ):
        return "added"
    return "total"


ROLE_WORDS = {
    "total": "zones in total", "added": "zones added by the latest batch", "prior": "zones before the latest batch",
    "batches": "batches", "prior_batches": "batches before the latest", "provinces": "provinces covered",
}  # fmt: skip


def check_counts(figures: pd.DataFrame, batches: pd.DataFrame, zones: pd.DataFrame) -> list[dict[str, str]]:
    counts = figures.loc[
        figures["kind"].eq("count") & figures["unit"].isin(ZONE_UNITS | {"batches", "approvals", "provinces"})
    ]
    findings = []
    states = {int(b): _state_after(batches, zones, int(b)) for b in batches["batch"]}
    latest_on: dict[str, int | None] = {}
    for _, figure in counts.iterrows():
        role = _role(figure)
        value = int(figure["value"])
        printed_before = figure["quote"][: max(0, figure["quote"].find(figure["printed"]))]
        claim = f"'{figure['printed']}'"
        named = re.search(r"\b(\w+) and other\s*$", printed_before)
        if role == "total" and named:
            value += 1  # "Hangzhou and other 13 zones" names 14
            claim = f"'{named.group(1)} and other {figure['printed']}' ({value} zones)"
        on = f"{figure['period']}-12-31" if len(figure["period"]) == 4 else figure["period"]
        if on not in latest_on:
            latest_on[on] = latest_batch(batches, on)
        latest = latest_on[on]
        state = states[latest] if latest is not None else None
        key = f"{figure['source_id']}@{int(figure['char_start'])}"
        evidence = [_quote(figure)]
        if state is None:
            message = f"'{figure['printed']}' ({figure['period']}): the registry has no zone approved by then."
            findings.append(_finding("counts", key, "contradiction", message, evidence))
            continue
        expected = state[role]
        # "before the latest batch" facts hold after the batch before it
        at = state["batch"] - 1 if role in ("prior", "prior_batches") else state["batch"]
        when = f"before batch {state['batch']} (after batch {at})" if at != state["batch"] else f"after batch {at}"
        if value == expected:
            status = "consistent"
            message = f"{claim} as {ROLE_WORDS[role]} ({figure['period']}): {value}, as in the registry {when}."
        else:
            earlier = [b for b in range(1, state["batch"]) if states[b][role] == value]
            later = [b for b in range(state["batch"] + 1, int(batches["batch"].max()) + 1)
                     if states[b][role] == value]  # fmt: skip
            status = "stale" if earlier else "contradiction"
            message = (
                f"{claim} as {ROLE_WORDS[role]} ({figure['period']}) says {value}; the registry says {expected} {when}"
            )
            if earlier:
                message += f", and {value} only after batch {earlier[-1]}: the article repeats an outdated count."
            elif later:
                message += f"; {value} is right only after batch {later[0]}, later than the date claimed."
            elif named and (match := [b for b in range(state["batch"] + 1, int(batches["batch"].max()) + 1)
                                      if states[b]["total"] == value - 1]):  # fmt: skip
                announced = batches.loc[batches["batch"] == match[0], "published_on"].iloc[0]
                message += (f"; {value - 1} zones including {named.group(1)} is the total after batch {match[0]} "
                            f"(announced {announced}), later than the date claimed.")  # fmt: skip
            else:
                message += "."
        findings.append(_finding("counts", key, status, message, evidence))
    findings += _arithmetic(counts)
    return findings


def _arithmetic(counts: pd.DataFrame) -> list[dict[str, str]]:
    """Within one article: zones before the latest batch + zones it added = zones now."""
    findings = []
    # only counts the article states about its own day: "had designated 35", "another 24", "now 59"
    zone_counts = counts.loc[counts["unit"].isin(ZONE_UNITS) & counts["period_basis"].eq("publication date")]
    for source_id, rows in zone_counts.groupby("source_id", sort=True):
        roles: dict[str, Any] = {}
        for _, row in rows.iterrows():
            roles.setdefault(_role(row), row)
        if {"prior", "added", "total"} <= set(roles):
            prior, added, total = (int(roles[r]["value"]) for r in ("prior", "added", "total"))
            ok = prior + added == total
            findings.append(_finding(
                "counts", f"{source_id}:prior+added=total", "consistent" if ok else "contradiction",
                f"{prior} before + {added} added {'=' if ok else '!='} {total} in total.",
                [_quote(roles[r]) for r in ("prior", "added", "total")],
            ))  # fmt: skip
    return findings


def check_city_lists(mentions: pd.DataFrame, figures: pd.DataFrame, batches: pd.DataFrame) -> list[dict[str, str]]:
    findings = []
    # a claim with no batch behind it (an article older than the first batch) cannot be checked
    claimed = mentions.loc[mentions["claim"].notna() & mentions["claimed_batch"].notna()]
    for (source_id, start), rows in claimed.groupby(["source_id", "quote_char_start"], sort=True):
        claim = rows["claim"].iloc[0]
        batch = int(rows["claimed_batch"].iloc[0])
        wrong = rows.loc[rows["registry_batch"] != batch]
        evidence = [_quote(rows.iloc[0])]
        size = int(batches.loc[batches["batch"] == batch, "zones_added"].iloc[0])
        named = ", ".join(rows["city"])
        if wrong.empty:
            status = "consistent"
            message = (
                f"The sentence names {len(rows)} zone(s) as the {claim} (batch {batch}): {named}; "
                f"all are in batch {batch}."
            )
        else:
            status = "contradiction"
            by_batch = ", ".join(f"{n} in batch {b}" for b, n in sorted(wrong.groupby("registry_batch").size().items()))
            message = (
                f"The sentence names {len(rows)} zone(s) as the {claim} (batch {batch}, {size} zones) but "
                f"{len(wrong)} are not in it ({by_batch}): {', '.join(wrong['city'])}."
            )
            stated = figures.loc[(figures["source_id"] == source_id) & figures["unit"].isin(ZONE_UNITS)]
            added = [r for _, r in stated.iterrows() if _role(r) == "added"]
            if added and len(rows) != int(added[0]["value"]):
                message += f" The article says the batch added {int(added[0]['value'])}; the list has {len(rows)}."
                evidence.append(_quote(added[0]))
        findings.append(_finding("city_lists", f"{source_id}@{int(start)}", status, message, evidence))
    return findings


def check_currency_conversions(figures: pd.DataFrame, rates: pd.DataFrame) -> list[dict[str, str]]:
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
        key = f"{figure['source_id']}@{int(figure['char_start'])}"
        if year not in by_year:
            findings.append(_finding("currency_conversions", key, "consistent",
                f"'{figure['printed']}': no reference rate for {year}; not checked.", [_quote(figure)]))  # fmt: skip
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
        findings.append(_finding("currency_conversions", key, status, message, [_quote(figure)]))
    return findings


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts (``iterrows`` builds a Series per row, a hundred times slower)."""
    return frame.to_dict(orient="records")


def check_growth_rates(figures: pd.DataFrame) -> list[dict[str, str]]:
    findings = []
    amounts = figures.loc[figures["kind"].eq("amount") & figures["period"].str.fullmatch(r"\d{4}")]
    growth = figures.loc[figures["kind"].eq("growth") & figures["period"].str.fullmatch(r"\d{4}")]
    stated = [(row, float(row["growth_pct"])) for row in _rows(amounts.loc[amounts["growth_pct"].notna()])] + [
        (row, float(row["value"])) for row in _rows(growth)
    ]
    # amounts by (subject, geography, period), so each statement looks up its two years directly
    indexed: dict[tuple[Any, Any, Any], list[dict[str, Any]]] = {}
    for row in _rows(amounts.loc[amounts[["subject", "geography", "period"]].notna().all(axis=1)]):
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
) -> dict[str, str]:
    """One finding per stated rate, keyed by the statement's figure: against the one pair of figures that
    can test it, or a summary of all of them when several sources give the two years (one finding per
    pair would grow quadratically)."""
    year, subject = int(statement["period"]), statement["subject"]
    key = f"{statement['source_id']}@{int(statement['char_start'])}"
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
    evidence = [_quote(statement)] + [e for now, before, _ in shown for e in (_quote(now), _quote(before))]
    evidence = [e for i, e in enumerate(evidence) if e not in evidence[:i]]
    return _finding("growth_rates", key, status, message, evidence)


def check_different_measures(
    figures: pd.DataFrame, indicators: pd.DataFrame, rates: pd.DataFrame, texts: dict[str, str]
) -> list[dict[str, str]]:
    findings = _part_exceeds_whole(figures, rates)
    amounts = figures.loc[figures["kind"].eq("amount") & figures["unit"].eq("CNY") & figures["geography"].eq("China")]
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
                "char_start": int(row.source_char_start),
                "char_end": int(row.source_char_end),
                "text": " ".join(texts.get(str(row.source_id), "")[row.source_char_start : row.source_char_end].split())
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
        findings.append(_finding("different_measures", f"{figure['source_id']}@{int(figure['char_start'])}",
                                 "different measures", message, [_quote(figure), *appendix]))  # fmt: skip
    return findings


TRADE_SUBJECTS = {"cross-border e-commerce trade", "cross-border e-commerce imports and exports"}


def _in_cny(row: Any, rates: dict[int, float]) -> float | None:
    if row["unit"] == "CNY":
        return float(row["value"])
    year = int(str(row["period"])[:4])
    return float(row["value"]) * rates[year] if row["unit"] == "USD" and year in rates else None


def _part_exceeds_whole(figures: pd.DataFrame, rates_table: pd.DataFrame) -> list[dict[str, str]]:
    """A zone's cross-border e-commerce figure larger than another source's national figure for the
    same year: the two cannot measure the same thing (or one is wrong)."""
    rates = dict(zip(rates_table["year"].astype(int), rates_table["cny_per_usd"].astype(float), strict=True))
    trade = figures.loc[
        figures["kind"].eq("amount")
        & figures["subject"].isin(TRADE_SUBJECTS)
        & figures["period"].str.fullmatch(r"\d{4}")
    ]
    national, local = trade.loc[trade["geography"] == "China"], trade.loc[trade["geography"] != "China"]
    findings = []
    national_by_period = {str(period): rows for period, rows in national.groupby("period", sort=True)}
    for _, part in local.loc[local["period"].isin(national_by_period)].iterrows():
        for _, whole in national_by_period[str(part["period"])].iterrows():
            if part["source_id"] == whole["source_id"]:
                continue
            part_cny, whole_cny = _in_cny(part, rates), _in_cny(whole, rates)
            if part_cny is None or whole_cny is None or part_cny <= whole_cny:
                continue
            message = (
                f"{part['period']}: {part['geography']}'s {part['printed']} (about {part_cny / 1e9:,.0f} billion CNY) "
                f"is {part_cny / whole_cny:.1f} times the national {whole['printed']}: one zone cannot exceed the "
                "country, so the two figures measure different things (e.g. all cross-border e-commerce including "
                "B2B vs. customs-cleared retail) or one is wrong."
            )
            key = f"{part['source_id']}@{int(part['char_start'])}>{whole['source_id']}@{int(whole['char_start'])}"
            findings.append(
                _finding("different_measures", key, "contradiction", message, [_quote(part), _quote(whole)])
            )
    return findings


def all_findings(
    figures: pd.DataFrame,
    mentions: pd.DataFrame,
    batches: pd.DataFrame,
    zones: pd.DataFrame,
    rates: pd.DataFrame,
    indicators: pd.DataFrame,
    texts: dict[str, str] | None = None,
) -> pd.DataFrame:
    from pipeline.datasets import FINDINGS
    from pipeline.schemas import empty_frame, typed

    records = (
        check_counts(figures, batches, zones)
        + check_city_lists(mentions, figures, batches)
        + check_currency_conversions(figures, rates)
        + check_growth_rates(figures)
        + check_different_measures(figures, indicators, rates, texts or {})
    )
    if not records:
        return empty_frame(FINDINGS)
    return typed(pd.DataFrame.from_records(records, columns=FINDINGS.columns), FINDINGS)
