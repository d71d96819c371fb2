"""Raw files as observable source assets, their data version the sha256 of the bytes as they are now
(so a changed file shows as a new version in the UI).

Up to ``PIPELINE_RAW_ASSETS_LIMIT`` extracts (default 100) each file is its own asset ``raw/<id>``.
A larger corpus is observed as one asset per kind, ``raw/corpus/<kind>``, whose data version hashes
every file's id and sha256: ten thousand assets would make the UI and every run slow (one observation
step and event per file) without telling an analyst more than the per-kind table in its metadata.
Reference tables are always their own assets.
"""

import hashlib
import warnings
from collections.abc import Callable
from typing import Any

import dagster as dg

from pipeline.defs.materialize import OWNERS, asset_tags
from pipeline.defs.resources import PipelinePaths
from pipeline.raw.observed import (
    REFERENCE,
    UNREADABLE,
    corpus_asset,
    corpus_versions,
    file_asset,
    grouped,
    is_corpus,
    observed_sha256,
    per_file_limit,
    raw_asset_members,
    readable_problems,
)
from pipeline.raw.registry import Source
from pipeline.validate.asset_checks import READABLE

GROUP = "raw"
READABLE_DESCRIPTION = (
    "The file is the one registered (its sha256), a regular file of at most 4 MiB, and UTF-8 text. A failure "
    "names the file, the line and what to do. It does not block: the other extracts are still processed, "
    "and no release is published while a registered file fails."
)


def raw_key(source: Source) -> dg.AssetKey:
    return dg.AssetKey(list(file_asset(source)))


def corpus_key(kind: str) -> dg.AssetKey:
    return dg.AssetKey(list(corpus_asset(kind)))


def raw_keys(registered: list[Source], selected: list[Source]) -> list[dg.AssetKey]:
    """The raw asset keys that ``selected`` sources are observed under."""
    if not grouped(registered):
        return [raw_key(s) for s in selected]
    return sorted(
        {raw_key(s) if s.kind == REFERENCE else corpus_key(s.kind) for s in selected}, key=lambda k: k.to_string()
    )


def _readable(key: dg.AssetKey, problems: list[str], files: int) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        asset_key=key,
        check_name=READABLE,
        passed=not problems,
        severity=dg.AssetCheckSeverity.ERROR,
        description=problems[0] if len(problems) == 1 else None,
        metadata={
            "files": files,
            "unreadable": len(problems),
            "problems": dg.MetadataValue.md("\n".join(f"- {p}" for p in problems[:100]) or "none"),
        },
    )


def _observable(**kwargs: Any) -> Callable[[Callable[..., dg.ObserveResult]], dg.AssetsDefinition]:
    """``dg.multi_observable_source_asset``, the one decorator for an observable asset with a check, without
    the BetaWarning it emits on every load of the code location (the daemon's log filled with it): using the
    beta API is deliberate, and pinned Dagster keeps its behaviour fixed."""

    def decorate(function: Callable[..., dg.ObserveResult]) -> dg.AssetsDefinition:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=dg.BetaWarning)
            return dg.multi_observable_source_asset(**kwargs)(function)

    return decorate


def _observe(source: Source, paths: PipelinePaths) -> tuple[str, dict[str, Any]]:
    actual, problem = observed_sha256(source, paths.raw)
    if problem is not None:
        return actual, {"status": problem}
    return actual, {
        "sha256": actual,
        "matches_registry": actual == source.sha256,
        "bytes": source.file(paths.raw).stat().st_size,
    }


def raw_source_asset(source: Source) -> dg.AssetsDefinition:
    spec = dg.AssetSpec(
        raw_key(source),
        group_name=GROUP,
        owners=OWNERS,
        tags=asset_tags(GROUP),
        description=f"{source.title} — {source.publisher}, {source.published}. "
        f"File raw/{source.path} ({source.kind}). Used for: {source.extracts}",
        kinds={"text" if source.kind != REFERENCE else "csv"},
        metadata={"registered_sha256": source.sha256, "path": dg.MetadataValue.path(f"raw/{source.path}")},
    )

    check = dg.AssetCheckSpec(READABLE, asset=raw_key(source), blocking=False, description=READABLE_DESCRIPTION)

    @_observable(specs=[spec], check_specs=[check], name=f"observe_raw_{source.id}")
    def observe(paths: PipelinePaths) -> dg.ObserveResult:
        version, metadata = _observe(source, paths)
        return dg.ObserveResult(
            data_version=dg.DataVersion(version),
            metadata=metadata,
            check_results=[_readable(raw_key(source), readable_problems([source], paths.raw), 1)],
        )

    return observe


def corpus_source_asset(kind: str, members: list[Source]) -> dg.AssetsDefinition:
    spec = dg.AssetSpec(
        corpus_key(kind),
        group_name=GROUP,
        owners=OWNERS,
        tags=asset_tags(GROUP),
        description=f"All {len(members)} registered {kind} files in raw/, observed together (the corpus is "
        f"larger than PIPELINE_RAW_ASSETS_LIMIT={per_file_limit()}). Its data version changes when any "
        "file's bytes do.",
        kinds={"text"},
        metadata={"files": len(members)},
    )

    check = dg.AssetCheckSpec(READABLE, asset=corpus_key(kind), blocking=False, description=READABLE_DESCRIPTION)

    @_observable(specs=[spec], check_specs=[check], name=f"observe_raw_corpus_{kind}")
    def observe(paths: PipelinePaths) -> dg.ObserveResult:
        versions = corpus_versions(members, paths.raw)
        unreadable = sorted(i for i, v in versions.items() if v == UNREADABLE)
        changed = sorted(s.id for s in members if versions[s.id] not in (UNREADABLE, s.sha256))
        return dg.ObserveResult(
            data_version=dg.DataVersion(_corpus_version(versions)),
            metadata={
                "files": len(members),
                "unreadable": dg.MetadataValue.json(unreadable[:100]),
                "not_matching_registry": dg.MetadataValue.json(changed[:100]),
            },
            check_results=[_readable(corpus_key(kind), readable_problems(members, paths.raw, versions), len(members))],
        )

    return observe


def _corpus_version(versions: dict[str, str]) -> str:
    digest = hashlib.sha256()
    for source_id, version in sorted(versions.items()):
        digest.update(f"{source_id}\t{version}\n".encode())
    return digest.hexdigest()


def raw_versions(sources: list[Source], paths: PipelinePaths) -> dict[dg.AssetKey, str]:
    """The data version each raw asset's observation would record now (per file, or per kind's corpus)."""
    out = {}
    for key, members in raw_asset_members(sources).items():
        versions = corpus_versions(members, paths.raw)
        out[dg.AssetKey(list(key))] = _corpus_version(versions) if is_corpus(key) else versions[members[0].id]
    return out


def raw_assets(sources: list[Source]) -> list[dg.AssetsDefinition]:
    return [
        corpus_source_asset(key[2], members) if is_corpus(key) else raw_source_asset(members[0])
        for key, members in raw_asset_members(sources).items()
    ]
