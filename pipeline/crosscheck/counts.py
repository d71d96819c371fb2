"""``counts``: every count of zones, cities, batches, approvals or provinces against the registry at
the date the count refers to; within one article, prior + added = total."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from pipeline.clean.mentions import latest_batch
from pipeline.crosscheck.common import ROLE_WORDS, ZONE_UNITS, CheckInputs, count_role, finding, firm_levels, quote_of
from pipeline.ids import reference_count_id
from pipeline.raw.reference import REF


def run(inputs: CheckInputs) -> list[dict[str, Any]]:
    return check_counts(inputs.figures, inputs.batches, inputs.zones)


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


def _registry_count(role: str, batch: int) -> str | None:
    """The observation id of the registry's count a zone count is compared with (none for batches, provinces)."""
    if role == "prior":
        return reference_count_id(REF["batches"], batch - 1, "pilot_zones_total") if batch > 1 else None
    measure = {"total": "pilot_zones_total", "added": "pilot_zones_added"}.get(role)
    return reference_count_id(REF["batches"], batch, measure) if measure else None


def check_counts(figures: pd.DataFrame, batches: pd.DataFrame, zones: pd.DataFrame) -> list[dict[str, Any]]:
    counts = figures.loc[
        figures["kind"].eq("count")
        & figures["value"].gt(0)
        & firm_levels(figures, whole_period=False)  # no finding rests on a reading the extractor is unsure of
        & figures["unit"].isin(ZONE_UNITS | {"batches", "approvals", "provinces"})
    ]
    if "zone_count_role" in counts:  # cities or areas the text does not say are zones are no count of zones
        counts = counts.loc[~counts["unit"].isin(("cities", "areas")) | counts["zone_count_role"].notna()]
    findings = []
    states = {int(b): _state_after(batches, zones, int(b)) for b in batches["batch"]}
    latest_on: dict[str, int | None] = {}
    for _, figure in counts.iterrows():
        role = count_role(figure)
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
        key = figure["figure_id"]
        evidence = [quote_of(figure)]
        if state is None:
            message = f"'{figure['printed']}' ({figure['period']}): the registry has no zone approved by then."
            findings.append(finding("counts", key, "contradiction", message, evidence, [key]))
            continue
        expected = state[role]
        compared = _registry_count(role, state["batch"])
        concerns = [key, compared] if compared else [key]
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
        findings.append(finding("counts", key, status, message, evidence, concerns))
    findings += _arithmetic(counts)
    return findings


def _arithmetic(counts: pd.DataFrame) -> list[dict[str, Any]]:
    """Within one article: zones before the latest batch + zones it added = zones now."""
    findings = []
    # only counts the article states about its own time, not ones it dates itself ("13 zones in 2015"):
    # "had designated 35" (carried), "another 24" (publication date), "there are now 59" (present tense)
    own_time = counts["period_basis"].isin(("publication date", "present tense", "carried"))
    zone_counts = counts.loc[counts["unit"].isin(ZONE_UNITS) & own_time]
    for source_id, rows in zone_counts.groupby("source_id", sort=True):
        roles: dict[str, Any] = {}
        for _, row in rows.iterrows():
            roles.setdefault(count_role(row), row)
        if {"prior", "added", "total"} <= set(roles):
            prior, added, total = (int(roles[r]["value"]) for r in ("prior", "added", "total"))
            ok = prior + added == total
            findings.append(finding(
                "counts", f"{source_id}:prior+added=total", "consistent" if ok else "contradiction",
                f"{prior} before + {added} added {'=' if ok else '!='} {total} in total.",
                [quote_of(roles[r]) for r in ("prior", "added", "total")],
                [roles[r]["figure_id"] for r in ("prior", "added", "total")],
            ))  # fmt: skip
    return findings
