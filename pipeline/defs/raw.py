"""Raw files as observable source assets, their data version the sha256 of the bytes as they are now
(so a changed file shows as a new version in the UI).

Up to ``PIPELINE_RAW_ASSETS_LIMIT`` extracts (default 100) each file is its own asset ``raw/<id>``.
A larger corpus is observed as one asset per kind, ``raw/corpus/<kind>``, whose data version hashes
every file's id and sha256: ten thousand assets would make the UI and every run slow (one observation
step and event per file) without telling an analyst more than the per-kind table in its metadata.
Reference tables are always their own assets.
"""

import hashlib
import os
import warnings
from collections.abc import Callable
from typing import Any

import dagster as dg

from pipeline.defs.materialize import OWNERS, asset_tags
from pipeline.defs.resources import PipelinePaths
from pipeline.errors import SourceError
from pipeline.raw.registry import Source, read_source_text, regular_file_bytes, sha256_bytes

GROUP = "raw"
REFERENCE = "reference_table"
READABLE = "readable"
READABLE_DESCRIPTION = (
    "The file is the one registered (its sha256), a regular file of at most 4 MiB, and UTF-8 text. A failure "
    "names the file, the line and what to do. It does not block: the other extracts are still processed, "
    "and no release is published while a registered file fails."
)


def per_file_limit() -> int:
    return int(os.environ.get("PIPELINE_RAW_ASSETS_LIMIT", "100"))


def grouped(sources: list[Source]) -> bool:
    """Whether the extracts are observed per kind rather than per file."""
    return sum(1 for s in sources if s.kind != REFERENCE) > per_file_limit()


def raw_key(source: Source) -> dg.AssetKey:
    return dg.AssetKey(["raw", source.id])


def corpus_key(kind: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", "corpus", kind])


def raw_keys(registered: list[Source], selected: list[Source]) -> list[dg.AssetKey]:
    """The raw asset keys that ``selected`` sources are observed under."""
    if not grouped(registered):
        return [raw_key(s) for s in selected]
    return sorted(
        {raw_key(s) if s.kind == REFERENCE else corpus_key(s.kind) for s in selected}, key=lambda k: k.to_string()
    )


def _problem(source: Source, paths: PipelinePaths) -> str | None:
    """Why the file cannot be read as registered (the reader's own message), or None."""
    try:
        read_source_text(source, paths.raw)
    except SourceError as error:
        return str(error)
    return None


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
    path = source.file(paths.raw)
    try:
        actual = sha256_bytes(regular_file_bytes(path, f"raw/{source.path}"))
    except (OSError, SourceError) as error:
        return "unreadable", {"status": f"raw/{source.path} cannot be read: {error}"}
    return actual, {"sha256": actual, "matches_registry": actual == source.sha256, "bytes": path.stat().st_size}


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
        problem = _problem(source, paths)
        return dg.ObserveResult(
            data_version=dg.DataVersion(version),
            metadata=metadata,
            check_results=[_readable(raw_key(source), [problem] if problem else [], 1)],
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
        changed, missing, problems = [], [], []
        versions = {source.id: _observe(source, paths)[0] for source in members}
        for source in sorted(members, key=lambda s: s.id):
            version = versions[source.id]
            if version != source.sha256:  # a matching file's text is checked by the step that reads it
                problems.append(_problem(source, paths) or f"raw/{source.path}: does not match its registry entry.")
            if version == "missing":
                missing.append(source.id)
            elif version != source.sha256:
                changed.append(source.id)
        return dg.ObserveResult(
            data_version=dg.DataVersion(_corpus_version(versions)),
            metadata={
                "files": len(members),
                "missing": dg.MetadataValue.json(missing[:100]),
                "not_matching_registry": dg.MetadataValue.json(changed[:100]),
            },
            check_results=[_readable(corpus_key(kind), problems, len(members))],
        )

    return observe


def _corpus_version(versions: dict[str, str]) -> str:
    digest = hashlib.sha256()
    for source_id, version in sorted(versions.items()):
        digest.update(f"{source_id}\t{version}\n".encode())
    return digest.hexdigest()


def raw_versions(sources: list[Source], paths: PipelinePaths) -> dict[dg.AssetKey, str]:
    """The data version each raw asset's observation would record now (per file, or per kind's corpus)."""
    versions = {source.id: _observe(source, paths)[0] for source in sources}
    if not grouped(sources):
        return {raw_key(s): versions[s.id] for s in sources}
    out = {raw_key(s): versions[s.id] for s in sources if s.kind == REFERENCE}
    for kind in sorted({s.kind for s in sources if s.kind != REFERENCE}):
        out[corpus_key(kind)] = _corpus_version({s.id: versions[s.id] for s in sources if s.kind == kind})
    return out


def raw_assets(sources: list[Source]) -> list[dg.AssetsDefinition]:
    if not grouped(sources):
        return [raw_source_asset(s) for s in sources]
    kinds = sorted({s.kind for s in sources if s.kind != REFERENCE})
    return [raw_source_asset(s) for s in sources if s.kind == REFERENCE] + [
        corpus_source_asset(kind, [s for s in sources if s.kind == kind]) for kind in kinds
    ]
