"""The per-document steps that read news articles: reported figures and zone mentions. Both need the
reference zone table (and the mentions its batches), verified against the registry first."""

from __future__ import annotations

from pathlib import Path

from pipeline.clean.documents import figures_document, mentions_document
from pipeline.raw.reference import NEWS, REF, read_reference_zones, reference
from pipeline.raw.registry import Source
from pipeline.steps import DocumentStep


def figures_step(sources: list[Source], raw_dir: Path) -> DocumentStep:
    zones_path, _ = reference(sources, raw_dir, "zones")
    cities = read_reference_zones(zones_path)["city"].tolist()
    return DocumentStep(
        "reported_figures", figures_document, [s for s in sources if s.kind == NEWS], {"cities": cities}
    )


def mentions_step(sources: list[Source], raw_dir: Path) -> DocumentStep:
    zones_path, zones_input = reference(sources, raw_dir, "zones")
    batches_path, batches_input = reference(sources, raw_dir, "batches")
    params = {
        "zones_path": zones_path,
        "zones_sha256": zones_input[REF["zones"]],
        "batches_path": batches_path,
        "batches_sha256": batches_input[REF["batches"]],
    }
    return DocumentStep("zone_mentions", mentions_document, [s for s in sources if s.kind == NEWS], params)
