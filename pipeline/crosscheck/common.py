"""What every cross-check shares: the inputs it may read, how a finding and its quoted evidence are
written, and how a count of zones is read (a total, an increment, the number before a batch)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from pipeline.ids import digest
from pipeline.records import frame_records

EVIDENCE_PAIRS = 3  # pairs of figures quoted when a finding summarises many
ZONE_UNITS = {"zones", "cities", "areas"}


# the declared input names (metadata.crosschecks) -> the CheckInputs field each fills
INPUT_FIELDS = {
    "reported_figures": "figures",
    "zone_mentions": "mentions",
    "ref:batches": "batches",
    "ref:zones": "zones",
    "ref:rates": "rates",
    "annual_indicators": "indicators",
    "pilot_zones": "pilot_zones",
    "texts:tables": "texts",
    "texts:news": "news",
}


@dataclass(frozen=True)
class CheckInputs:
    """Everything a cross-check may read; each check declares which (``metadata.crosschecks``)."""

    figures: pd.DataFrame
    mentions: pd.DataFrame
    batches: pd.DataFrame
    zones: pd.DataFrame
    rates: pd.DataFrame
    indicators: pd.DataFrame
    texts: dict[str, str] = field(default_factory=dict)
    pilot_zones: pd.DataFrame = field(default_factory=pd.DataFrame)
    news: dict[str, str] = field(default_factory=dict)


def quote_of(row: Any) -> dict[str, Any]:
    return {
        "source_id": row["source_id"],
        "char_start": int(row["quote_char_start"]),
        "char_end": int(row["quote_char_end"]),
        "text": row["quote"],
    }


def finding(
    check: str,
    key: str,
    status: str,
    message: str,
    evidence: list[dict[str, Any]],
    concerns: Iterable[str] = (),
) -> dict[str, Any]:
    """One row of ``findings``. ``key``: what the finding is about within its check, from stable ids (a
    figure's figure_id, a source and batch; never an offset); its ``finding_id`` is a hash of check and key.
    ``concerns``: the observation ids it is about, the checked one first. The reference tables a check
    compares against are added to ``source_ids`` by :mod:`pipeline.crosscheck.registry`."""
    quotes = [
        {"source_id": e["source_id"], "char_start": int(e["char_start"]), "char_end": int(e["char_end"]),
         "text": e["text"]}
        for e in evidence
    ]  # fmt: skip
    return {
        "finding_id": digest("finding", check, key),
        "cross_check": check,
        "status": status,
        "message": message,
        "observation_ids": list(dict.fromkeys(str(c) for c in concerns)),
        "source_ids": sorted({e["source_id"] for e in evidence}),
        "evidence": quotes,
    }


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts (``iterrows`` builds a Series per row, a hundred times slower)."""
    return frame_records(frame)


def firm_levels(figures: pd.DataFrame, whole_period: bool = True) -> pd.Series:
    """The figures a cross-check may rest on: firm readings (no ``uncertainty``) of a level (not a stated
    change, not a range), and with ``whole_period`` only those of a whole year, month or day (no
    ``period_note``: not a quarter, a half, January-May or a plan period)."""

    def column(name: str) -> pd.Series:
        return figures[name] if name in figures else pd.Series(None, index=figures.index, dtype="object")

    mask = column("uncertainty").isna() & column("value_high").isna() & column("states").fillna("level").eq("level")
    if whole_period:
        mask &= column("period_note").isna()
    return mask


def count_role(figure: Any) -> str:
    """The role of a count in the registry's terms: for a count of zones the extractor's ``zone_count_role``
    (its measure: pilot_zones_total / added / before), for batches, approvals and provinces the words before it."""
    role = figure.get("zone_count_role") if hasattr(figure, "get") else None
    if isinstance(role, str) and role:
        return {"total": "total", "added": "added", "before": "prior"}[role]
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
