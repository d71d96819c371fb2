"""What the raw folder holds now, compared with the registry: the files that match their entries and
warnings for everything else; and what the raw-files sensor makes of it (:func:`trigger`)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import SourceError
from pipeline.raw.registry import Source, registry_path, regular_file_bytes, sha256_bytes

IGNORED = {"README.md", "sources.yaml"}


@dataclass
class RawState:
    matching: dict[str, str] = field(default_factory=dict)  # source id -> sha256 of a file that matches
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Trigger:
    """What the raw-files sensor should do: ``inputs`` (id -> sha256) is what a run requested now would
    read and becomes the cursor; ``changed`` names the entries added, changed or removed since ``baseline``
    (empty: no run)."""

    inputs: dict[str, str]
    changed: list[str]

    @property
    def key(self) -> str:
        """The run key: the same inputs never trigger twice."""
        return hashlib.sha256(json.dumps(self.inputs, sort_keys=True).encode()).hexdigest()[:24]


def trigger(state: RawState, sources: list[Source], baseline: dict[str, str]) -> Trigger:
    """Compare the raw folder with ``baseline`` (the inputs of the last run the sensor requested, or of
    the current release). A registered file that matches its entry and differs from the baseline (added or
    re-registered) triggers; so does an entry removed from the registry. A file that no longer matches its
    entry (edited, damaged, missing) triggers nothing: it keeps its baseline content, so restoring it
    triggers nothing either, and registering the change (``python -m pipeline register``) does."""
    registered = {s.id for s in sources}
    inputs = {i: sha for i, sha in baseline.items() if i in registered and i not in state.matching}
    inputs.update(state.matching)
    changed = sorted(i for i in inputs.keys() | baseline.keys() if inputs.get(i) != baseline.get(i))
    return Trigger(dict(sorted(inputs.items())), changed)


def raw_state(raw_dir: Path, sources: list[Source]) -> RawState:
    state = RawState()
    registered = set()  # the registered files' paths as written; resolved (symlinks, "..") only if needed below
    for source in sorted(sources, key=lambda s: s.id):
        path = source.file(raw_dir)
        registered.add(path)
        if not path.exists():
            state.warnings.append(f"raw/{source.path}: registered as {source.id!r} but missing; restore it or "
                                  "remove its entry from raw/sources.yaml.")  # fmt: skip
            continue
        try:
            actual = sha256_bytes(regular_file_bytes(path, f"raw/{source.path}"))
        except (OSError, SourceError) as error:
            state.warnings.append(f"raw/{source.path}: registered as {source.id!r} but {error}")
            continue
        if actual == source.sha256:
            state.matching[source.id] = actual
        else:
            state.warnings.append(
                f"raw/{source.path}: content differs from its registry entry {source.id!r} (sha256 {actual[:12]}…); "
                f"not triggering a run. If the change is intended: python -m pipeline register {source.id}"
            )
    resolved: set[Path] | None = None
    for path in sorted(p for p in raw_dir.rglob("*") if p.is_file()):
        if path.name in IGNORED or path == registry_path(raw_dir) or path in registered:
            continue
        if resolved is None:  # a file reached another way than its entry's path (10,000 resolves: about 1 s)
            resolved = {p.resolve() for p in registered}
        if path.resolve() in resolved:
            continue
        state.warnings.append(
            f"raw/{path.relative_to(raw_dir).as_posix()}: not in raw/sources.yaml, so the pipeline ignores it; "
            "register it (see README, 'Adding a raw extract')."
        )
    return state
