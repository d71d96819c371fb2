"""Per-document work: cached by content, run in parallel.

Parsing one extract depends only on its bytes (pinned by its sha256), its registry options, the
pipeline's code and, for some steps, the reference tables. :func:`per_document` runs a step's
per-document function for every source, but

- **reuses** a result whose key (step, code version, the source's sha256, the step's parameters) is
  in the step's cache, ``outputs/work/cache/<step>.pickle`` — so a run where nothing changed parses
  nothing, and a run where one extract changed parses that one;
- **parallelises** the misses over ``PIPELINE_WORKERS`` processes (default: the machine's cores) when
  there are at least ``PARALLEL_MIN`` of them; fewer run in the calling process, where starting
  workers would cost more than it saves.

A function returns a :class:`DocumentResult`: plain row dicts (one frame is built from all of them
later, which is much faster than one frame per document), the corrections, and the error message of a
:class:`~pipeline.errors.SourceError` that quarantines the document. Any other exception is a bug and
propagates. The cache is a local pickle written by this code for this code version (the version is
in every key); it is rewritten whole with only the current keys, so it never grows with old entries.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import pickle
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.bulk import collector_paused
from pipeline.errors import SourceError
from pipeline.raw.registry import Source
from pipeline.records import DocumentResult
from pipeline.store.memo import content_sha256, entry_json
from pipeline.versions import function_version
from pipeline.workers import forkserver

PARALLEL_MIN = 200  # misses below this run in-process
LIBRARIES = f"python {sys.version.split()[0]}, pandas {pd.__version__}"  # part of every key
CHUNK = 32


@dataclass
class RunStats:
    """What one :func:`per_document` call did, for the asset's metadata and the benchmark."""

    documents: int = 0
    cached: int = 0
    computed: int = 0
    workers: int = 1


Task = tuple[Source, str, dict[str, Any]]  # (source, raw_dir, parameters)
Function = Callable[[Source, str, dict[str, Any]], DocumentResult]


def guarded(function: Function, task: Task) -> DocumentResult:
    """Run one document; a SourceError becomes the result's error (the document is quarantined)."""
    source, raw_dir, params = task
    try:
        return function(source, raw_dir, params)
    except SourceError as error:
        return DocumentResult(source.id, error=str(error), error_path=error.path)


def _call(job: tuple[Function, Task]) -> DocumentResult:
    return guarded(*job)


def workers() -> int:
    return max(1, int(os.environ.get("PIPELINE_WORKERS", str(os.cpu_count() or 1))))


_POOL: tuple[int, ProcessPoolExecutor] | None = None  # (size, pool)


def _pool(size: int) -> ProcessPoolExecutor:
    """The pool of one step's map (:func:`_map_in_pool` shuts its workers down after it: idle, they held 300 MiB
    of a 10,000-extract run's peak; the fork server starts the next step's in a fraction of a second).

    Workers are started by a fork server, not by forking this process: a Dagster run has threads, and
    forking a process with threads can deadlock on a lock another thread held."""
    global _POOL
    if _POOL is None or _POOL[0] != size:
        if _POOL is not None:
            _POOL[1].shutdown()
        _POOL = (size, ProcessPoolExecutor(max_workers=size, mp_context=forkserver()))
    return _POOL[1]


def _current_sha256(source: Source, raw_dir: Path) -> str:
    """The file's bytes as they are now ("unreadable": the step reads it again and quarantines it with the reason)."""
    return content_sha256(source.file(raw_dir), source.path)


def _map_in_pool(size: int, jobs: list[tuple[Function, Task]]) -> list[DocumentResult]:
    """Run ``jobs`` on the shared pool; a pool broken by a dead worker is replaced for the next call."""
    global _POOL
    try:
        return list(_pool(size).map(_call, jobs, chunksize=CHUNK))
    except BrokenProcessPool:
        _POOL = None
        raise
    finally:
        if _POOL is not None:  # idle workers hold 100 MiB each for the rest of the run: the fork server stays, and
            _POOL[1].shutdown()  # starts the next step's workers with the parsers already imported
            _POOL = None


def _key(step: str, version: str, source: Source, raw_dir: Path, params: dict[str, Any]) -> str:
    """The step's code (``version``, of its function), the whole registry entry (a new ``published`` date
    or table option changes the result), and the file's bytes *as they are now*: a file edited without
    re-registering it misses the cache, so the step reads it and quarantines it ("content has changed since
    it was registered")."""
    keyed = {k: v for k, v in params.items() if not k.endswith("_path")}  # where a file is mounted is no input
    keyed_json = json.dumps(
        [step, version, LIBRARIES, _current_sha256(source, raw_dir), keyed], sort_keys=True, default=str
    )
    blob = f"{keyed_json}\n{entry_json(source)}"
    return hashlib.sha256(blob.encode()).hexdigest()


def document_keys(
    step: str, function: Function, sources: Sequence[Source], raw_dir: Path, params: dict[str, Any]
) -> list[str]:
    """The cache key of every source (in the order given): what :func:`per_document` looks up."""
    version = function_version(function)
    return [_key(step, version, s, raw_dir, params) for s in sources]


def load_cache(path: Path | None) -> dict[str, DocumentResult]:
    if path is None or not path.is_file():
        return {}
    try:
        with path.open("rb") as handle, collector_paused():
            cached = pickle.load(handle)
        return cached if isinstance(cached, dict) else {}
    except Exception:
        return {}


def save_cache(path: Path, entries: dict[str, DocumentResult]) -> None:
    """Write the cache, then its key index (:func:`cached_keys`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with staging.open("wb") as handle:
        pickle.dump(entries, handle, protocol=pickle.HIGHEST_PROTOCOL)
    staging.replace(path)
    index = _index(path)
    staging = index.with_name(f".{index.name}.{os.getpid()}.tmp")
    staging.write_text("".join(f"{key}\n" for key in sorted(entries)), encoding="ascii")
    staging.replace(index)


def _index(path: Path) -> Path:
    return path.with_name(f"{path.name}.keys")


def remove_cache(path: Path) -> None:
    """Delete a cache file and its index (idempotent: a concurrent run may have removed them)."""
    path.unlink(missing_ok=True)
    _index(path).unlink(missing_ok=True)


def cached_keys(path: Path | None) -> set[str]:
    """The keys the cache at ``path`` holds, read from its index without loading the results (10,000 articles'
    results are tens of MB). An index older than its cache is not trusted: no keys."""
    if path is None:
        return set()
    index = _index(path)
    try:
        if index.stat().st_mtime_ns < path.stat().st_mtime_ns:
            return set()
        return set(index.read_text(encoding="ascii").split())
    except (OSError, UnicodeDecodeError):
        return set()


def per_document(
    step: str,
    function: Function,
    sources: Sequence[Source],
    raw_dir: Path,
    params: dict[str, Any],
    cache: Path | None,
    shared: Path | None = None,
    collect: bool = True,
) -> tuple[list[DocumentResult], RunStats]:
    """``function`` applied to every source (in id order), from the cache where possible.

    With ``shared`` (a shard of ``parsed_documents``), results are also looked up in that cache, and
    ``cache`` receives only what this call computed (the shards' files are merged into ``shared``).
    ``collect=False``: the caller wants the cache filled, not the results; when every key is in the caches'
    indexes, nothing is loaded and no results are returned."""
    ordered = sorted(sources, key=lambda s: s.id)
    keys = document_keys(step, function, ordered, raw_dir, params)
    if not collect and set(keys) <= cached_keys(cache) | cached_keys(shared):  # nothing to compute, nothing to load
        return [], RunStats(documents=len(ordered), cached=len(ordered), computed=0, workers=1)
    stored = load_cache(cache) if shared is None else {**load_cache(shared), **load_cache(cache)}
    missing = [(k, s) for k, s in zip(keys, ordered, strict=True) if k not in stored]
    tasks: list[Task] = [(s, str(raw_dir), params) for _, s in missing]
    size = workers()
    # a daemon process (a Celery prefork worker, a pool worker) may not start processes of its own
    if len(tasks) >= PARALLEL_MIN and size > 1 and not multiprocessing.current_process().daemon:
        computed = _map_in_pool(size, [(function, t) for t in tasks])
    else:
        size = 1
        computed = [guarded(function, t) for t in tasks]
    fresh = dict(stored)
    unsafe = set()
    for (key, source), result in zip(missing, computed, strict=True):
        fresh[key] = result
        if result.error is None and _current_sha256(source, raw_dir) != source.sha256:
            unsafe.add(key)  # the file changed while it was read: use the result once, never cache it
    current = {k: fresh[k] for k in keys}
    if shared is not None and cache is not None:
        if missing:
            save_cache(cache, {k: fresh[k] for k, _ in missing if k not in unsafe})
    elif cache is not None and (missing or len(current) != len(stored)):
        save_cache(cache, {k: v for k, v in current.items() if k not in unsafe})
    stats = RunStats(documents=len(ordered), cached=len(ordered) - len(missing), computed=len(missing), workers=size)
    return [current[k] for k in keys], stats
