"""``city_lists``: the zones a sentence names as the latest (or first) batch against the batch each is in."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipeline.crosscheck.common import ZONE_UNITS, CheckInputs, count_role, finding, quote_of


def run(inputs: CheckInputs) -> list[dict[str, Any]]:
    return check_city_lists(inputs.mentions, inputs.figures, inputs.batches)


def check_city_lists(mentions: pd.DataFrame, figures: pd.DataFrame, batches: pd.DataFrame) -> list[dict[str, Any]]:
    findings = []
    # a claim with no batch behind it (an article older than the first batch) cannot be checked
    claimed = mentions.loc[mentions["claim"].notna() & mentions["claimed_batch"].notna()]
    for (source_id, _), rows in claimed.groupby(["source_id", "quote_char_start"], sort=True):
        claim = rows["claim"].iloc[0]
        batch = int(rows["claimed_batch"].iloc[0])
        wrong = rows.loc[rows["registry_batch"] != batch]
        evidence = [quote_of(rows.iloc[0])]
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
            added = [r for _, r in stated.iterrows() if count_role(r) == "added"]
            if added and len(rows) != int(added[0]["value"]):
                message += f" The article says the batch added {int(added[0]['value'])}; the list has {len(rows)}."
                evidence.append(quote_of(added[0]))
        # about zone mentions, which are no observations: keyed by the sentence's first mention
        findings.append(finding("city_lists", rows["mention_id"].iloc[0], status, message, evidence))
    return findings
