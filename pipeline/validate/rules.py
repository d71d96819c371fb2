"""Rules about one dataset that a column schema cannot say, named on the dataset's declaration
(``Dataset.rules``) and run with its pandera schema by the blocking ``schema`` check. Each takes the
staged frame and what it may need from the registry, and returns one :class:`CheckOutcome`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.metadata.datasets import CORRECTIONS, DATASETS, INDICATOR_TABLE_CELLS, PILOT_ZONE_BATCHES, PILOT_ZONES
from pipeline.parse.lines import split_lines
from pipeline.raw.reference import read_reference_batches, reference
from pipeline.raw.registry import Source, read_source_text
from pipeline.records import CheckOutcome, frame_records


@dataclass(frozen=True)
class RuleContext:
    sources: list[Source]
    raw_dir: Path


def pinned_quirks(corrections: pd.DataFrame, context: RuleContext) -> CheckOutcome:
    """Each source's registered ``expected_corrections`` must be met exactly, rule by rule."""
    failures = []
    for source in context.sources:
        for rule, expected in sorted(source.expected_corrections.items()):
            found = int(((corrections["source_id"] == source.id) & (corrections["rule"] == rule)).sum())
            if found != expected:
                failures.append({"source_id": source.id, "rule": rule, "expected": expected, "found": found})
    return CheckOutcome(
        dataset=CORRECTIONS.name,
        check="pinned_quirks",
        passed=not failures,
        severity="ERROR",
        description="Known defects of each source (raw/sources.yaml `expected_corrections`) were each "
        "corrected exactly the registered number of times.",
        failures=failures,
    )


def batches_add_up(batches: pd.DataFrame, context: RuleContext) -> CheckOutcome:
    """Each batch's cumulative total is the previous total plus the zones it added."""
    ordered = batches.sort_values("batch")
    previous = ordered["zones_total"].shift(1, fill_value=0)
    wrong = ordered.loc[previous + ordered["zones_added"] != ordered["zones_total"]]
    return CheckOutcome(
        dataset=PILOT_ZONE_BATCHES.name,
        check="totals_add_up",
        passed=wrong.empty,
        severity="ERROR",
        description="Zones before a batch + zones it added = cumulative total, for every batch.",
        failures=[
            {"batch": int(r.batch), "zones_added": int(r.zones_added), "zones_total": int(r.zones_total)}
            for r in wrong.itertuples()
        ],
    )


def names_known_match(zones: pd.DataFrame, context: RuleContext) -> CheckOutcome:
    """The registry names exactly as many zones per batch as the batch table says are known."""
    batches = read_reference_batches(reference(context.sources, context.raw_dir, "batches")[0])
    named = zones.groupby("batch").size()
    failures = [
        {"batch": int(r.batch), "names_known": int(r.names_known), "named": int(named.get(r.batch, 0))}
        for r in batches.itertuples()
        if int(named.get(r.batch, 0)) != int(r.names_known) or int(named.get(r.batch, 0)) > int(r.zones_added)
    ]
    return CheckOutcome(
        dataset=PILOT_ZONES.name,
        check="names_known_match",
        passed=not failures,
        severity="ERROR",
        description="Per batch, the zones named in pilot_zones equal the batch table's names_known and "
        "never exceed zones_added.",
        failures=failures,
    )


def table_lines_accounted(cells: pd.DataFrame, context: RuleContext) -> CheckOutcome:
    """Every non-blank line of each table, from its header to its last row, is a header line, a row (or
    the continuation of a wrapped key) or furniture the parser logged: recounted from the raw text, so
    that a table read short cannot pass."""
    by_id = {s.id: s for s in context.sources}
    failures = []
    listed_lines = ("header_lines", "key_lines", "furniture_lines")
    tables: dict[tuple[str, int], list[dict[str, Any]]] = {}  # plain rows: a pandas group per table is slow
    for row in frame_records(cells.loc[:, ["source_id", "table_number", "table_first_line", "table_last_line",
                                           *listed_lines]]):  # fmt: skip
        tables.setdefault((row["source_id"], row["table_number"]), []).append(row)
    for (source_id, table), rows in sorted(tables.items()):
        source = by_id.get(str(source_id))
        if source is None:
            continue
        lines = split_lines(read_source_text(source, context.raw_dir))
        first, last = int(rows[0]["table_first_line"]), int(rows[0]["table_last_line"])
        region = {line.number for line in lines[first - 1 : last] if not line.is_blank}
        used = {first}
        for column in listed_lines:
            for listed in {str(r[column]) for r in rows if not pd.isna(r[column])}:
                used |= {int(n) for n in listed.split(",") if n}
        missing = sorted(region - used)
        if missing:
            failures.append(
                {
                    "source_id": str(source_id),
                    "table": int(table),
                    "lines": f"{first}-{last}",
                    "unaccounted": ", ".join(f"{n}: {lines[n - 1].text.strip()[:60]}" for n in missing[:10]),
                }
            )
    return CheckOutcome(
        dataset=INDICATOR_TABLE_CELLS.name,
        check="table_lines_accounted",
        passed=not failures,
        severity="ERROR",
        description="Every non-blank line from a table's header to its last row is a header line, a row or "
        "logged page furniture (recounted from the raw text).",
        failures=failures,
    )


Rule = Callable[[pd.DataFrame, RuleContext], CheckOutcome]
RULES: dict[str, Rule] = {
    "pinned_quirks": pinned_quirks,
    "totals_add_up": batches_add_up,
    "names_known_match": names_known_match,
    "table_lines_accounted": table_lines_accounted,
}
# a rule a dataset names must exist: a programming error, caught on import
_unknown = sorted({r for d in DATASETS.values() for r in d.rules} - set(RULES))
if _unknown:
    raise ImportError(f"datasets name rules {_unknown} that pipeline/validate/rules.py does not define")


def run_rule(name: str, frame: pd.DataFrame, context: RuleContext) -> CheckOutcome:
    return RULES[name](frame, context)


# the rules that read, of the registry and the raw folder, only the entries and files of the sources the
# frame's rows came from (its ``source_id`` column); every other rule may read any entry or file
READS_ROW_SOURCES = frozenset({"table_lines_accounted"})


def sources_read(rules: Iterable[str], row_sources: Callable[[], set[str]], sources: list[Source]) -> list[Source]:
    """The registry entries whose entries and files ``rules`` may read: those of the frame's rows' sources
    (``row_sources``, called only then) when every rule reads only them, else all of them. A check's outcome
    is reused only while these are as they were, so an article changed beside the tables re-checks no table."""
    if all(rule in READS_ROW_SOURCES for rule in rules):
        ids = row_sources()
        return [s for s in sources if s.id in ids]
    return sources
