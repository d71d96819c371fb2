"""The per-document steps of the pipeline, declared once: which sources each reads, with which
function and parameters (see :mod:`pipeline.documents`). The assets that build datasets run them
(reading what is cached), and ``parsed_documents`` runs them ahead, split into shards that Dagster's
executor can send to different processes or machines."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pipeline.clean.documents import figures_document, mentions_document
from pipeline.clean.zones import read_reference_zones
from pipeline.documents import DocumentResult, DocumentStep, RunStats, per_document
from pipeline.errors import RegistryError, SourceError
from pipeline.parse.tables import PARSERS, table_step
from pipeline.publish.workspace import Workspace
from pipeline.raw.registry import Source, read_source_text

NEWS = "news_article"
REF = {
    "zones": "ref_pilot_zones",
    "batches": "ref_pilot_zone_batches",
    "dictionary": "ref_indicator_dictionary",
    "rates": "ref_cny_per_usd",
}


def reference(sources: list[Source], raw_dir: Path, key: str) -> tuple[str, dict[str, str]]:
    """Verify a reference table's hash; return its path and its lineage entry."""
    source = next((s for s in sources if s.id == REF[key]), None)
    if source is None:
        raise RegistryError(
            f"raw/sources.yaml: the reference table {REF[key]!r} is not registered, or its entry is invalid "
            "(see the registry problems in the run log). Restore its entry."
        )
    read_source_text(source, raw_dir)
    return str(source.file(raw_dir)), {source.id: source.sha256}


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


def all_steps(sources: list[Source], raw_dir: Path) -> list[DocumentStep]:
    """Every per-document step that can run; one whose reference table is broken is left to its asset,
    which fails with that error."""
    steps = [table_step(sources, parser) for parser in PARSERS]
    for make in (figures_step, mentions_step):
        try:
            steps.append(make(sources, raw_dir))
        except (RegistryError, SourceError):
            continue
    return steps


def run_step(step: DocumentStep, raw_dir: Path, workspace: Workspace) -> tuple[list[DocumentResult], RunStats]:
    return per_document(step.name, step.function, step.sources, raw_dir, step.params, workspace.cache(step.name))


def shard_of(source_id: str, shards: int) -> int:
    """A stable shard for a source (the same on every machine and run)."""
    return int(hashlib.sha256(source_id.encode()).hexdigest()[:8], 16) % shards


def shard_cache(workspace: Workspace, step: str, shard: int, shards: int) -> Path:
    return workspace.cache(step).with_name(f"{step}.shard-{shard}-of-{shards}.pickle")
