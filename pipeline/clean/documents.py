"""The per-document steps of the curated layer (see :mod:`pipeline.store.cache`): figures and zone
mentions of one news article. They run in worker processes, so they take plain parameters and read
the reference tables themselves (once per process)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from pipeline.clean.figures import reported_figure_records
from pipeline.clean.mentions import MentionIndex, zone_mention_records
from pipeline.raw.reference import read_reference_batches, read_reference_zones
from pipeline.raw.registry import Source, read_source_text
from pipeline.records import DocumentResult


def figures_document(source: Source, raw_dir: str, params: dict[str, Any]) -> DocumentResult:
    """``params``: ``cities``, the reference zone names that set a figure's geography."""
    text = read_source_text(source, Path(raw_dir))
    return DocumentResult(source.id, reported_figure_records(text, source.id, source.published, params["cities"]))


@cache
def _mention_index(zones_path: str, zones_sha256: str, batches_path: str, batches_sha256: str) -> MentionIndex:
    # the sha256s are part of the cache key: a changed reference table is read again
    return MentionIndex.of(read_reference_zones(zones_path), read_reference_batches(batches_path))


def mentions_document(source: Source, raw_dir: str, params: dict[str, Any]) -> DocumentResult:
    """``params``: paths and sha256s of the (verified) reference zone and batch tables."""
    index = _mention_index(
        params["zones_path"], params["zones_sha256"], params["batches_path"], params["batches_sha256"]
    )
    text = read_source_text(source, Path(raw_dir))
    return DocumentResult(source.id, zone_mention_records(text, source.id, source.published, index))
