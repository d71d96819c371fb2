"""Reusing a stage's staged output when nothing it reads has changed (a "verifying trace", as build
systems keep one: the key of everything a step read, checked before it runs again).

A dataset asset computes a **stage key** from its code version and the identity of every input it
is about to read — upstream staged files and their lineage by content hash, reference tables by
their verified hash, raw extracts by their registry entry and their bytes as they are now, and the
registry values it uses. :func:`pipeline.defs.materialize.write_dataset` records the key in the
staged file's sidecar (``<dataset>.inputs.json``) with the sha256 of every file the asset wrote
(the staged Parquet, its corrections and failures records). The next run with the same key, and
with those files still byte for byte as written, reuses them instead of reading, cleaning,
validating and writing the same bytes again: on 10,000 extracts a run where nothing changed spent
most of its time doing exactly that.

Content hashes of raw files are memoised in the process by file identity (device, inode, size,
mtime and ctime in nanoseconds), so the five steps that key the same 10,000 extracts in one run read
each once. A file modified less than :data:`RACY_SECONDS` ago is hashed every time (git's "racy
git" rule: a write within the timestamp's granularity could leave its stat unchanged).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import pickle
import stat
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import pyarrow

from pipeline.bulk import collector_paused
from pipeline.errors import SourceError
from pipeline.raw.registry import Source, regular_file_bytes

MEMO_FORMAT = 1  # bump when what a key covers changes: every recorded key stops matching
LIBRARIES = f"python {sys.version.split()[0]}, pandas {pd.__version__}, pyarrow {pyarrow.__version__}"
RACY_SECONDS = 2.0
UNREADABLE = "unreadable"

T = TypeVar("T")
_HASHES: dict[tuple[str, int, int, int, int, int], str] = {}


def stage_key(code: str, parts: Mapping[str, Any]) -> str:
    """The key of one stage run: its code version and the identities of its inputs (JSON values)."""
    blob = json.dumps([MEMO_FORMAT, LIBRARIES, code, parts], sort_keys=True, default=as_json)
    return hashlib.sha256(blob.encode()).hexdigest()


def _signature(path: Path) -> tuple[str, int, int, int, int, int] | None:
    """The file's identity for the memo, or None when it is too fresh to trust (or not a regular file)."""
    status = path.stat()
    if not stat.S_ISREG(status.st_mode) or time.time() - status.st_mtime < RACY_SECONDS:
        return None
    return (str(path), status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)


def content_sha256(path: Path, shown: str = "") -> str:
    """sha256 of the bytes of an extract as they are now (read as :func:`regular_file_bytes` reads it), or
    :data:`UNREADABLE`: the step that reads it quarantines it with the reason."""
    try:
        signature = _signature(path)
        if signature is not None and signature in _HASHES:
            return _HASHES[signature]
        digest = hashlib.sha256(regular_file_bytes(path, shown or str(path))).hexdigest()
    except (OSError, SourceError):
        return UNREADABLE
    if signature is not None:
        _HASHES[signature] = digest
    return digest


def file_sha256(path: Path) -> str:
    """sha256 of a file the pipeline wrote (no memo: these change within a run), or ``missing``."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return "missing"


def as_json(value: Any) -> Any:
    """``json.dumps``'s ``default`` for keys: a dataclass (a registry entry, its tables) as its fields, as
    ``dataclasses.asdict`` gives them (three times faster, without its deep copy), anything else as text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return vars(value)
    return str(value)


_ENTRIES: dict[int, tuple[Source, str]] = {}  # id -> (the entry, its JSON); the entry kept so the id is not reused
ENTRIES_KEPT = 200_000


def entry_json(source: Source) -> str:
    """A registry entry as canonical JSON (its fields as ``dataclasses.asdict`` gives them), once per entry
    object: every stage key of a run names the same entries (the registry is read once per process)."""
    kept = _ENTRIES.get(id(source))
    if kept is not None and kept[0] is source:
        return kept[1]
    if len(_ENTRIES) >= ENTRIES_KEPT:  # a long-lived process (the daemon) reads many registries
        _ENTRIES.clear()
    text = json.dumps(vars(source), sort_keys=True, default=as_json)
    _ENTRIES[id(source)] = (source, text)
    return text


def sources_identity(sources: Iterable[Source], raw_dir: Path) -> str:
    """One hash of the registry entries of ``sources`` and their files' bytes as they are now."""
    digest = hashlib.sha256()
    for source in sorted(sources, key=lambda s: s.id):
        entry = entry_json(source)
        digest.update(f"{entry}\t{content_sha256(source.file(raw_dir), source.path)}\n".encode())
    return digest.hexdigest()


def staged_identity(staged: Path, sidecar: Path) -> dict[str, str]:
    """An upstream staged dataset as a downstream key sees it: its bytes and its lineage record."""
    return {"staged": file_sha256(staged), "sidecar": file_sha256(sidecar)}


def reusable(sidecar: Path, key: str, root: Path) -> dict[str, Any] | None:
    """The sidecar's record if the last write of this dataset had ``key`` and every file it wrote (paths
    relative to ``root``) is still byte for byte as written; else None (the stage runs)."""
    try:
        record = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("key") != key or not isinstance(record.get("outputs"), dict):
        return None
    if not record["outputs"] or any(file_sha256(root / path) != sha for path, sha in record["outputs"].items()):
        return None
    return record


def outputs_record(root: Path, files: Iterable[Path]) -> dict[str, str]:
    """The files an asset wrote (those that exist), relative to ``root``, with their sha256."""
    return {str(path.relative_to(root)): file_sha256(path) for path in sorted(files) if path.exists()}


def cached(path: Path, key: str, compute: Callable[[], T]) -> T:
    """``compute()``, or the value it returned when last called with ``key`` (kept in ``path``, a pickle this
    code wrote; one value per file, replaced when the key changes)."""
    try:
        with path.open("rb") as handle, collector_paused():
            record = pickle.load(handle)
        if isinstance(record, dict) and record.get("key") == key:
            return record["value"]
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError, TypeError):
        pass
    value = compute()
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with staging.open("wb") as handle:
        pickle.dump({"key": key, "value": value}, handle, protocol=pickle.HIGHEST_PROTOCOL)
    staging.replace(path)
    return value


def jsonable_metadata(metadata: Mapping[str, Any]) -> dict[str, Any]:
    """Extra metadata of a materialisation (plain values and ``MetadataValue.json``) as JSON, for a reuse."""
    return {name: getattr(value, "data", value) for name, value in metadata.items()}
