"""``parsed_documents``: every per-document step run ahead of the dataset assets, split into shards.

The graph is ``plan_shards`` → ``parse_shard`` × N (a dynamic fan-out, one step per shard) →
``merge_shards``. Each shard runs every step of :mod:`pipeline.steps` for the sources whose id hashes
to it and writes its own cache file; the merge folds them into each step's cache. The dataset assets
downstream then find every document in the cache and only assemble, validate and write.

``PIPELINE_SHARDS`` (default 1) sets N. On one machine one shard is right: the shard already parses
its documents on every core. With the Celery executor each ``parse_shard[k]`` step is a Celery task,
so N shards spread the parsing over up to N workers (machines) that share the outputs folder.
"""

import inspect
import os
from typing import Any

import dagster as dg
from dagster._core.definitions.data_version import DATA_VERSION_TAG

from pipeline.defs.materialize import OWNERS, asset_tags
from pipeline.defs.raw import raw_versions
from pipeline.defs.resources import PipelinePaths
from pipeline.raw.registry import Source
from pipeline.steps import shard_cache, shard_of
from pipeline.steps.registry import all_steps
from pipeline.store.cache import load_cache, per_document, remove_cache, save_cache
from pipeline.versions import function_version

GROUP = "parsed"


def shard_count() -> int:
    return max(1, int(os.environ.get("PIPELINE_SHARDS", "1")))


def _plan_shards(raw_inputs: list[str]) -> dg.OpDefinition:
    @dg.op(
        name="plan_shards",
        ins={name: dg.In(dg.Nothing) for name in raw_inputs},  # ordered after the raw files, nothing passed
        out=dg.DynamicOut(tuple),
        description="Record what every raw file is now (an observation of its raw asset), then one output "
        "(shard, shards) per document shard (PIPELINE_SHARDS).",
    )
    def plan_shards(context: dg.OpExecutionContext, paths: PipelinePaths) -> Any:
        # The UI's "Materialize all" runs only materialisable assets, not the raw files' observations: without
        # these events the raw assets' data versions would lag until someone clicks "Observe sources", and the
        # assets downstream would not show as unsynced when a file changed.
        for key, version in raw_versions(paths.sources(), paths).items():
            context.log_event(dg.AssetObservation(asset_key=key, tags={DATA_VERSION_TAG: version}))
        shards = shard_count()  # read once here and passed on: every worker splits the same way
        context.log.info(f"{shards} shard(s)")
        for shard in range(shards):
            yield dg.DynamicOutput((shard, shards), mapping_key=f"shard_{shard}")

    return plan_shards


@dg.op(description="Run every per-document step for the sources of one shard, into the shard's cache files.")
def parse_shard(context: dg.OpExecutionContext, paths: PipelinePaths, shard: tuple) -> dict[str, int]:
    index, shards = shard
    sources = paths.sources()
    counts: dict[str, int] = {}
    for step in all_steps(sources, paths.raw):
        mine: list[Source] = [s for s in step.sources if shard_of(s.id, shards) == index]
        cache = shard_cache(paths.workspace, step.name, index, shards)
        shared = paths.workspace.cache(step.name)
        try:
            _, stats = per_document(
                step.name, step.function, mine, paths.raw, step.params, cache, shared, collect=False
            )
        except Exception:
            context.log.exception(f"shard {index}: {step.name} failed; its asset will parse its documents itself")
            continue
        context.log.info(f"shard {index}: {step.name}: {stats.documents} documents, {stats.computed} computed")
        counts[step.name] = stats.documents
    return counts


@dg.op(description="Fold the shards' cache files into each step's cache.")
def merge_shards(paths: PipelinePaths, counts: list[dict[str, int]]) -> dict[str, int]:
    workspace = paths.workspace
    total: dict[str, int] = {}
    for step in all_steps(paths.sources(), paths.raw):
        parts = sorted(workspace.cache(step.name).parent.glob(f"{step.name}.shard-*.pickle"))
        if parts:  # nothing new: the shared cache already holds every document
            merged = load_cache(workspace.cache(step.name))
            for part in parts:
                merged.update(load_cache(part))
            save_cache(workspace.cache(step.name), merged)
            for part in parts:
                remove_cache(part)  # idempotent: a concurrent run may have merged it
        total[step.name] = sum(c.get(step.name, 0) for c in counts)
    return total


def parsed_documents_asset(raw: list[dg.AssetKey]) -> dg.AssetsDefinition:
    """The graph asset, downstream of every raw asset (so it shows as unsynced when a raw file changes)."""
    names = {"__".join(key.path): key for key in raw}
    plan_shards = _plan_shards(list(names))

    def parsed_documents(**raw_files: Any) -> Any:
        return merge_shards(plan_shards(**raw_files).map(parse_shard).collect())

    parameters = [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY) for n in names]
    parsed_documents.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    return dg.graph_asset(
        name="parsed_documents",
        group_name=GROUP,
        owners=OWNERS,
        tags=asset_tags(GROUP),
        ins={name: dg.AssetIn(key, dagster_type=dg.Nothing) for name, key in names.items()},
        code_version=function_version(all_steps),  # the steps' code; each document's cache key has its own
        description="Every extract parsed once per content and code version (the cache the dataset assets "
        "read), in PIPELINE_SHARDS shards that the executor can run on different workers.",
    )(parsed_documents)
