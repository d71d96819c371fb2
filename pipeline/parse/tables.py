"""Running a table parser over every registered source that declares such a table.

A source that cannot be read or parsed does not stop the others: its error is returned as a
:class:`SourceFailure`, and the publish step refuses to promote a release while any source has failed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.corrections import Correction
from pipeline.datasets import INDICATOR_TABLE_CELLS, ZONE_TABLE_LINES
from pipeline.documents import DocumentResult, DocumentStep, RunStats, combine, per_document
from pipeline.parse.indicator_table import IndicatorTableConfig, parse_indicator_table
from pipeline.parse.zone_table import ZoneTableConfig, parse_zone_table
from pipeline.raw.registry import Source, TableSpec, read_source_text
from pipeline.schemas import empty_frame


@dataclass(frozen=True)
class SourceFailure:
    """A raw file that was quarantined: which, at which step, and the error meant for a person."""

    source_id: str
    path: str
    step: str
    message: str


@dataclass
class ParseOutcome:
    frame: pd.DataFrame
    corrections: list[Correction]
    failures: list[SourceFailure]
    stats: RunStats


def _indicator(text: str, spec: TableSpec, source: Source) -> tuple[pd.DataFrame, list[Correction]]:
    config = IndicatorTableConfig(
        key_header=spec.options.get("key_header", "Year"),
        page_furniture=tuple(spec.options.get("page_furniture", ())),
        null_tokens=tuple(spec.options.get("null_tokens", ())),
    )
    return parse_indicator_table(text, config, source_id=source.id, path=f"raw/{source.path}")


def _zone(text: str, spec: TableSpec, source: Source) -> tuple[pd.DataFrame, list[Correction]]:
    config = ZoneTableConfig(
        header=spec.options.get("header", ZoneTableConfig.header),
        extents=tuple(spec.options.get("extents", ZoneTableConfig.extents)),
        page_furniture=tuple(spec.options.get("page_furniture", ())),
        end_marker=spec.options.get("end_marker"),
    )
    return parse_zone_table(text, config, source_id=source.id, path=f"raw/{source.path}")


PARSERS = {"indicator_table": (_indicator, INDICATOR_TABLE_CELLS), "zone_table": (_zone, ZONE_TABLE_LINES)}


def parse_document(source: Source, raw_dir: str, params: dict[str, Any]) -> DocumentResult:
    """One source's tables of kind ``params["parser"]``, as rows (see :mod:`pipeline.documents`)."""
    function, _ = PARSERS[params["parser"]]
    text = read_source_text(source, Path(raw_dir))
    records: list[dict[str, Any]] = []
    corrections: list[Correction] = []
    for spec in (t for t in source.tables if t.parser == params["parser"]):
        frame, fixed = function(text, spec, source)
        records += frame.to_dict(orient="records")
        corrections += fixed
    return DocumentResult(source.id, records, corrections)


def table_step(sources: list[Source], parser: str) -> DocumentStep:
    """The per-document step that parses every table of kind ``parser`` (see :mod:`pipeline.steps`)."""
    with_tables = [s for s in sources if any(t.parser == parser for t in s.tables)]
    return DocumentStep(f"parse_{parser}", parse_document, with_tables, {"parser": parser})


def parse_tables(sources: list[Source], raw_dir: Path, parser: str, cache: Path | None = None) -> ParseOutcome:
    """Parse every table of kind ``parser`` in ``sources``; collect failures instead of raising.

    Each document's result is cached by content under ``cache`` and the misses run in parallel."""
    _, dataset = PARSERS[parser]
    step = table_step(sources, parser)
    results, stats = per_document(step.name, step.function, step.sources, raw_dir, step.params, cache)
    corrections: list[Correction] = []
    failures: list[SourceFailure] = []
    for source, result in zip(sorted(step.sources, key=lambda s: s.id), results, strict=True):
        if result.error is not None:
            failures.append(SourceFailure(source.id, f"raw/{source.path}", parser, result.error))
            continue
        corrections += result.corrections
    columns = combine(results, dataset.columns)
    frame = pd.DataFrame(columns, columns=dataset.columns) if any(columns.values()) else empty_frame(dataset)
    return ParseOutcome(frame, corrections, failures, stats)
