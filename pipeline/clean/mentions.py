"""Finding pilot-zone cities named in news articles and linking them to the registry.

A name is matched against the reference registry's English names (whole words, any letter case, either
apostrophe). A name shared by two zones (Taizhou) is not linked: the text alone cannot say which.
A sentence that speaks of the "latest" batch or "new additions" claims that every zone it names is in
the latest batch announced before the article's publication date; "the first pilot zone" claims batch 1
for the first zone named. Whether the claim holds is a cross-check (:mod:`pipeline.crosscheck.registry`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from pipeline.clean.figures import publication_period
from pipeline.clean.zones import zone_id
from pipeline.ids import masked, stable_ids
from pipeline.metadata.datasets import ZONE_MENTIONS
from pipeline.metadata.schemas import empty_frame, typed
from pipeline.parse.figures import flatten, sentences
from pipeline.parse.lines import line_numbers

RULE = "zone_mentions/v1"
LATEST = re.compile(r"\b(?:latest|new additions|newly)\b", re.IGNORECASE)
FIRST = re.compile(r"\bthe first pilot zone\b", re.IGNORECASE)


def latest_batch(batches: pd.DataFrame, on: str) -> int | None:
    """The newest batch published on or before ``on`` (ISO dates, partial ones compare by prefix)."""
    published = batches.loc[batches["published_on"].map(lambda d: d[: len(on)] <= on), "batch"]
    return int(published.max()) if not published.empty else None


@dataclass(frozen=True)
class MentionIndex:
    """The reference zones by lower-cased name, the pattern that finds them, and the batch table."""

    by_name: dict[str, list[tuple[str, str, int]]]
    pattern: re.Pattern[str]
    batches: pd.DataFrame
    announced: dict[int, str]
    latest: dict[str, int | None] = field(default_factory=dict)  # latest batch by publication date

    @classmethod
    def of(cls, reference_zones: pd.DataFrame, batches: pd.DataFrame) -> MentionIndex:
        by_name: dict[str, list[tuple[str, str, int]]] = {}
        for row in reference_zones.itertuples():
            by_name.setdefault(row.city.casefold(), []).append(
                (row.city, zone_id(row.city, row.province), int(row.batch))
            )
        names = sorted(by_name, key=len, reverse=True)
        pattern = re.compile(
            r"\b(?:" + "|".join(re.escape(n).replace("'", "['’]") for n in names) + r")\b", re.IGNORECASE
        )
        announced = dict(zip(batches["batch"].astype(int), batches["published_on"], strict=True))
        return cls(by_name, pattern, batches, announced)


def find_zone_mentions(
    text: str, source_id: str, published: str, reference_zones: pd.DataFrame, batches: pd.DataFrame
) -> pd.DataFrame:
    records = zone_mention_records(text, source_id, published, MentionIndex.of(reference_zones, batches))
    if not records:
        return empty_frame(ZONE_MENTIONS)
    return typed(pd.DataFrame.from_records(records, columns=ZONE_MENTIONS.columns), ZONE_MENTIONS)


def zone_mention_records(text: str, source_id: str, published: str, index: MentionIndex) -> list[dict[str, Any]]:
    """The rows of :func:`find_zone_mentions` as plain dicts (a corpus builds one frame from all)."""
    flat = flatten(text)
    by_name, pattern, announced = index.by_name, index.pattern, index.announced
    latest = _latest_batch(index, publication_period(published))
    line_of = line_numbers(text)
    records: list[dict[str, Any]] = []
    for sentence in sentences(text):
        found = [m for m in pattern.finditer(flat, sentence.start, sentence.end)]
        candidates = [(m, by_name[m.group(0).casefold().replace("’", "'")]) for m in found]
        linked = [(m, zones[0]) for m, zones in candidates if len(zones) == 1]
        quote = flat[sentence.start : sentence.end]
        for position, (match, (city, zid, batch)) in enumerate(linked):
            claim, claimed = None, None
            if LATEST.search(quote):
                claim, claimed = "latest batch", latest
            elif position == 0 and FIRST.search(quote):
                claim, claimed = "first zone", 1
            records.append(
                {
                    "source_id": source_id,
                    "char_start": match.start(),
                    "char_end": match.end(),
                    "line": line_of(match.start()),
                    "printed": match.group(0),
                    "zone_id": zid,
                    "city": city,
                    "registry_batch": batch,
                    "claim": claim,
                    "claimed_batch": claimed,
                    "claimed_announced_on": announced.get(claimed) if claimed else None,
                    "names_in_sentence": len(linked),
                    "quote": " ".join(quote.split()),
                    "quote_char_start": sentence.start,
                    "quote_char_end": sentence.end,
                    "parse_rule": RULE,
                }
            )
    keys = ((r["source_id"], masked(r["quote"]), r["zone_id"]) for r in records)
    for record, mention_id in zip(records, stable_ids("zone_mention", keys), strict=True):
        record["mention_id"] = mention_id
    return records


def _latest_batch(index: MentionIndex, on: str) -> int | None:
    if on not in index.latest:  # many articles share a publication date
        index.latest[on] = latest_batch(index.batches, on)
    return index.latest[on]
