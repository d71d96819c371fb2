"""The per-document steps of the pipeline: what a step is and how it runs (cached, in parallel, see
:mod:`pipeline.store.cache`). The steps themselves are declared in :mod:`pipeline.steps.tables` and
:mod:`pipeline.steps.news`, and listed once in :mod:`pipeline.steps.registry`. The assets that build
datasets run them (reading what is cached), and ``parsed_documents`` runs them ahead, split into
shards that Dagster's executor can send to different processes or machines."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.raw.registry import Source
from pipeline.records import DocumentResult
from pipeline.store.cache import Function, RunStats, document_keys, per_document
from pipeline.store.workspace import Workspace


@dataclass(frozen=True)
class DocumentStep:
    """One per-document step: its name (also its cache file's), function, sources and parameters."""

    name: str
    function: Function
    sources: list[Source]
    params: dict[str, Any]


def run_step(step: DocumentStep, raw_dir: Path, workspace: Workspace) -> tuple[list[DocumentResult], RunStats]:
    return per_document(step.name, step.function, step.sources, raw_dir, step.params, workspace.cache(step.name))


def step_keys(step: DocumentStep, raw_dir: Path) -> list[str]:
    """The cache key of every document of ``step`` (code, registry entry, bytes as they are now, parameters)."""
    ordered = sorted(step.sources, key=lambda s: s.id)
    return document_keys(step.name, step.function, ordered, raw_dir, step.params)


def shard_of(source_id: str, shards: int) -> int:
    """A stable shard for a source (the same on every machine and run)."""
    return int(hashlib.sha256(source_id.encode()).hexdigest()[:8], 16) % shards


def shard_cache(workspace: Workspace, step: str, shard: int, shards: int) -> Path:
    return workspace.cache(step).with_name(f"{step}.shard-{shard}-of-{shards}.pickle")
