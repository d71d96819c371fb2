"""Which raw asset observes each registered file, and what its ``readable`` check finds: defined once,
for the raw assets of the Dagster code location (``pipeline/defs/raw.py``) and for the release, which
counts the same checks (:mod:`pipeline.validate.asset_checks`).

Up to ``PIPELINE_RAW_ASSETS_LIMIT`` extracts (default 100) each file is its own asset ``raw/<id>``.
A larger corpus is observed as one asset per kind, ``raw/corpus/<kind>``. Reference tables are always
their own assets.
"""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.errors import SourceError
from pipeline.raw.registry import Source, read_source_text, regular_file_bytes, sha256_bytes

REFERENCE = "reference_table"
UNREADABLE = "unreadable"  # the data version of a file that cannot be read


def per_file_limit() -> int:
    return int(os.environ.get("PIPELINE_RAW_ASSETS_LIMIT", "100"))


def grouped(sources: list[Source]) -> bool:
    """Whether the extracts are observed per kind rather than per file."""
    return sum(1 for s in sources if s.kind != REFERENCE) > per_file_limit()


def file_asset(source: Source) -> tuple[str, ...]:
    return ("raw", source.id)


def corpus_asset(kind: str) -> tuple[str, ...]:
    return ("raw", "corpus", kind)


def is_corpus(key: tuple[str, ...]) -> bool:
    return key[:2] == ("raw", "corpus")


def corpus_versions(members: list[Source], raw_dir: Path) -> dict[str, str]:
    return {source.id: observed_sha256(source, raw_dir)[0] for source in members}


def raw_asset_members(sources: list[Source]) -> dict[tuple[str, ...], list[Source]]:
    """Each raw asset's key path and the registered files it observes, in the order the code location
    declares them: reference tables and (per file, or per kind) the extracts."""
    if not grouped(sources):
        return {file_asset(s): [s] for s in sources}
    members: dict[tuple[str, ...], list[Source]] = {file_asset(s): [s] for s in sources if s.kind == REFERENCE}
    for kind in sorted({s.kind for s in sources if s.kind != REFERENCE}):
        members[corpus_asset(kind)] = [s for s in sources if s.kind == kind]
    return members


def observed_sha256(source: Source, raw_dir: Path) -> tuple[str, str | None]:
    """The sha256 of the file's bytes now (or ``unreadable``), and why it cannot be read."""
    try:
        return sha256_bytes(regular_file_bytes(source.file(raw_dir), f"raw/{source.path}")), None
    except (OSError, SourceError) as error:
        return UNREADABLE, f"raw/{source.path} cannot be read: {error}"


def unreadable(source: Source, raw_dir: Path) -> str | None:
    """Why the file cannot be read as registered (the reader's own message), or None."""
    try:
        read_source_text(source, raw_dir)
    except SourceError as error:
        return str(error)
    return None


def readable_problems(members: list[Source], raw_dir: Path, corpus_versions: dict[str, str] | None = None) -> list[str]:
    """The ``readable`` check of one raw asset: one message per file that fails. A file observed alone
    is read as registered. In a corpus (``corpus_versions``: each member's :func:`observed_sha256`, or
    None to hash them here when the asset is a corpus) only a file whose bytes no longer match its
    registry entry is read: a matching file's text is checked by the step that reads it, which
    quarantines it if it fails."""
    problems = []
    for source in sorted(members, key=lambda s: s.id):
        if corpus_versions is None:
            problem = unreadable(source, raw_dir)
        elif corpus_versions[source.id] != source.sha256:
            problem = unreadable(source, raw_dir) or f"raw/{source.path}: does not match its registry entry."
        else:
            problem = None
        if problem:
            problems.append(problem)
    return problems


def readable_results(sources: list[Source], raw_dir: Path) -> dict[tuple[str, ...], list[str]]:
    """Every raw asset's ``readable`` problems, as its observation reports them now."""
    results = {}
    for key, members in raw_asset_members(sources).items():
        versions = corpus_versions(members, raw_dir) if is_corpus(key) else None
        results[key] = readable_problems(members, raw_dir, versions)
    return results
