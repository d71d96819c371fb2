"""The per-document steps that parse tables: one per table parser, over the sources that declare such a
table. A source that cannot be read or parsed does not stop the others: its error is returned as a
:class:`~pipeline.records.SourceFailure`, and publication is refused while any source has failed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.corrections import Correction
from pipeline.metadata.schemas import columns_frame
from pipeline.metadata.tables import TABLE_PARSERS
from pipeline.parse.tables import parse_document
from pipeline.raw.reference import read_header_dictionary, read_region_names, reference
from pipeline.raw.registry import Source
from pipeline.records import SourceFailure, combine
from pipeline.steps import DocumentStep
from pipeline.store.cache import RunStats, per_document


@dataclass
class ParseOutcome:
    frame: pd.DataFrame
    corrections: list[Correction]
    failures: list[SourceFailure]
    stats: RunStats


def table_step(sources: list[Source], parser: str, raw_dir: Path) -> DocumentStep:
    """The per-document step that parses every table of kind ``parser``. Indicator tables are given the
    header dictionary's headers and the region names (verified reference tables; part of every
    document's cache key, so a new dictionary row re-reads the tables)."""
    with_tables = [s for s in sources if any(t.parser == parser for t in s.tables)]
    params: dict[str, object] = {"parser": parser}
    if parser == "indicator_table" and with_tables:
        headers_path, _ = reference(sources, raw_dir, "headers")
        regions_path, _ = reference(sources, raw_dir, "regions")
        params["known_headers"] = tuple(read_header_dictionary(Path(headers_path)).headers())
        params["region_names"] = tuple(sorted(read_region_names(Path(regions_path)).items()))
    return DocumentStep(f"parse_{parser}", parse_document, with_tables, params)


def parse_tables(sources: list[Source], raw_dir: Path, parser: str, cache: Path | None = None) -> ParseOutcome:
    """Parse every table of kind ``parser`` in ``sources``; collect failures instead of raising.

    Each document's result is cached by content under ``cache`` and the misses run in parallel."""
    dataset = TABLE_PARSERS[parser].parsed
    step = table_step(sources, parser, raw_dir)
    results, stats = per_document(step.name, step.function, step.sources, raw_dir, step.params, cache)
    corrections: list[Correction] = []
    failures: list[SourceFailure] = []
    for source, result in zip(sorted(step.sources, key=lambda s: s.id), results, strict=True):
        if result.error is not None:
            failures.append(SourceFailure(source.id, f"raw/{source.path}", parser, result.error))
            continue
        corrections += result.corrections
    frame = columns_frame(combine(results, dataset.columns), dataset)
    return ParseOutcome(frame, corrections, failures, stats)
