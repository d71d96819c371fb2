"""Every per-document step, listed once: what ``parsed_documents`` runs ahead of the dataset assets."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import RegistryError, SourceError
from pipeline.metadata.tables import TABLE_PARSERS
from pipeline.raw.registry import Source
from pipeline.steps import DocumentStep
from pipeline.steps.news import figures_step, mentions_step
from pipeline.steps.tables import table_step

NEWS_STEPS = (figures_step, mentions_step)


def all_steps(sources: list[Source], raw_dir: Path) -> list[DocumentStep]:
    """Every per-document step that can run; one whose reference table is broken is left to its asset,
    which fails with that error."""
    steps = []
    for parser in TABLE_PARSERS:
        try:
            steps.append(table_step(sources, parser, raw_dir))
        except (RegistryError, SourceError):
            continue
    for make in NEWS_STEPS:
        try:
            steps.append(make(sources, raw_dir))
        except (RegistryError, SourceError):
            continue
    return steps
