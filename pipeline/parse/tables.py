"""Running the table parsers declared in :mod:`pipeline.metadata.tables` on one source's text.

A source that cannot be read or parsed does not stop the others: its error is returned as a
:class:`SourceFailure`, and the publish step refuses to promote a release while any source has failed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.corrections import Correction
from pipeline.metadata.tables import TABLE_PARSERS, config_from_options
from pipeline.parse.indicator_table import parse_indicator_tables
from pipeline.parse.zone_table import parse_zone_table
from pipeline.raw.registry import Source, read_source_text
from pipeline.records import DocumentResult, frame_records

PARSERS = ("indicator_table", "zone_table")
if set(PARSERS) != set(TABLE_PARSERS):
    raise ImportError(f"table parsers declared {sorted(TABLE_PARSERS)}, implemented {sorted(PARSERS)}")


def parse_document(source: Source, raw_dir: str, params: dict[str, Any]) -> DocumentResult:
    """One source's tables of kind ``params["parser"]``, as rows (see :mod:`pipeline.store.cache`).

    The indicator tables of a file are read in registry order, each after the previous one; they are
    given the dictionary's headers (``params["known_headers"]``, to cut a header printed row-wise into its
    columns) and the region names (``params["region_names"]``)."""
    parser = params["parser"]
    text = read_source_text(source, Path(raw_dir))
    path = f"raw/{source.path}"
    specs = [(n, s) for n, s in enumerate(source.tables, start=1) if s.parser == parser]
    configs = [config_from_options(parser, s.options, f"raw/sources.yaml: {source.id}, table {n}") for n, s in specs]
    if parser == "indicator_table":
        cells, corrections = parse_indicator_tables(
            text,
            configs,
            source_id=source.id,
            path=path,
            known_headers=params.get("known_headers", ()),
            region_names=dict(params.get("region_names", ())),
        )
        return DocumentResult(source.id, cells, corrections)
    records: list[dict[str, Any]] = []
    fixed: list[Correction] = []
    for config in configs:
        frame, corrections = parse_zone_table(text, config, source_id=source.id, path=path)
        records += frame_records(frame)
        fixed += corrections
    return DocumentResult(source.id, records, fixed)
