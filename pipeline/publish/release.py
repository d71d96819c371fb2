"""Write -> audit -> promote.

Curated assets write their files into the working area (write); asset checks validate those exact
bytes and leave audit records (audit); :func:`publish` refuses unless every published dataset has
passing audits of its current bytes, all were built from the currently registered raw inputs, and no
source failed. It then assembles a new release folder under a staging name, renames it into place and
moves the ``latest`` pointer (promote). A process killed at any point leaves either the previous or the
new release current, never a partial one; the next publisher removes leftover staging folders.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from pipeline.metadata.datasets import PUBLISHED, Dataset
from pipeline.metadata.schemas import schema_fingerprint
from pipeline.publish.compare import compare_releases
from pipeline.publish.datapackage import build_datapackage, validate_datapackage
from pipeline.raw.registry import Source
from pipeline.records import CheckOutcome
from pipeline.settings import PROJECT_ROOT
from pipeline.store.parquet import sha256_file
from pipeline.store.workspace import (
    InputConflict,
    Workspace,
    canonical_json,
    load_audit,
    load_code,
    load_failures,
    load_inputs,
    merge_inputs,
    read_json,
    write_json,
)

CHECKS = ("schema", "expectations")  # audit records every published dataset needs
DEFAULT_KEEP = 10

ReportRenderer = Callable[[dict[str, Any], list[CheckOutcome], dict[str, Any], Path], None]


class PublicationRefused(Exception):
    """The gate found a reason not to promote; the message lists every reason."""


@dataclass(frozen=True)
class PublishResult:
    release_id: str
    path: Path
    created: bool  # False when an identical release already existed
    manifest: dict[str, Any]
    previous: str | None
    removed: list[str]
    repaired: list[str] = field(default_factory=list)  # what was wrong with the release folder rebuilt


def gather_audits(
    workspace: Workspace, datasets: list[Dataset] = PUBLISHED
) -> tuple[list[CheckOutcome], dict[str, str], list[str]]:
    """Every audit outcome of the staged files, the sha256 each dataset was audited at, and the reasons
    (if any) they cannot be published."""
    outcomes: list[CheckOutcome] = []
    audited: dict[str, str] = {}
    problems: list[str] = []
    for dataset in datasets:
        staged = workspace.staged(dataset)
        if not staged.exists():
            problems.append(f"{dataset.name}: no staged file; materialise the curated assets first.")
            continue
        sha = sha256_file(staged)
        audited[dataset.name] = sha
        for check in CHECKS:
            record = load_audit(workspace, dataset.name, check)
            if record is None or record[0] != sha:
                problems.append(
                    f"{dataset.name}: the {check} check has not run on the current staged file; "
                    "materialise the curated assets together with their checks."
                )
                continue
            outcomes += record[1]
            problems += [
                f"{o.dataset}: blocking check {o.check!r} failed ({len(o.failures)} failing rows shown)."
                for o in record[1]
                if o.blocks
            ]
    for failure in load_failures(workspace):
        problems.append(f"{failure.path}: quarantined at {failure.step}: {failure.message}")
    return outcomes, audited, problems


def staged_inputs(
    workspace: Workspace, sources: list[Source], code: str, stage_versions: dict[str, str] | None = None
) -> tuple[dict[str, str], list[str]]:
    """The raw inputs the staged datasets were built from, and reasons they cannot be published
    together: two versions of one file, a file registered anew since they were built, a registered
    extract none of them read, or files built by other code (each dataset's ``stage_versions`` entry,
    by default ``code``)."""
    expected = {d.name: (stage_versions or {}).get(d.name, code) for d in PUBLISHED}
    try:
        inputs = merge_inputs(*(load_inputs(workspace, d) for d in PUBLISHED))
    except InputConflict as conflict:
        return {}, [str(conflict)]
    registered = {s.id: s.sha256 for s in sources}
    stale = [
        f"{source_id}: the staged datasets were built from sha256 {sha[:12]}…, but raw/sources.yaml now "
        f"registers {registered.get(source_id, 'nothing')[:12]}…; run the whole pipeline again."
        for source_id, sha in inputs.items()
        if registered.get(source_id) != sha
    ]
    stale += [
        f"{s.id}: registered, but no staged dataset was built from it; run the whole pipeline again."
        for s in sources
        if (s.tables or s.kind == "news_article") and s.id not in inputs
    ]
    stale += [
        f"{d.name}: the staged file was built by code version {load_code(workspace, d)}, not the current "
        f"{expected[d.name]}; run the whole pipeline again."
        for d in PUBLISHED
        if load_code(workspace, d) not in (None, expected[d.name])
    ]
    return inputs, stale


def release_id(datasets: dict[str, str], inputs: dict[str, str], code: str) -> str:
    """Derived from content only: the same files, inputs and code give the same id."""
    digest = hashlib.sha256(canonical_json({"datasets": datasets, "inputs": inputs, "code": code}).encode())
    return digest.hexdigest()[:16]


def _summary(outcomes: list[CheckOutcome]) -> dict[str, int]:
    return {
        "passed": sum(o.passed for o in outcomes),
        "warned": sum((not o.passed) and o.severity == "WARN" for o in outcomes),
        "failed": sum(o.blocks for o in outcomes),
    }


def build_manifest(
    workspace: Workspace,
    sources: list[Source],
    inputs: dict[str, str],
    code: str,
    outcomes: list[CheckOutcome],
    audited: dict[str, str],
) -> dict[str, Any]:
    """The release's manifest: a pure function of the audited files, their inputs and the code. The
    sha256 recorded is the one the checks audited; the copy into the release is verified against it."""
    files: dict[str, Any] = {}
    for dataset in PUBLISHED:
        staged = workspace.staged(dataset)
        files[dataset.name] = {
            "path": f"{dataset.name}.parquet",
            "sha256": audited[dataset.name],
            "bytes": staged.stat().st_size,
            "rows": pq.ParquetFile(staged).metadata.num_rows,
            "schema_sha256": schema_fingerprint(dataset),
            "primary_key": list(dataset.primary_key),
            "checks": _summary([o for o in outcomes if o.dataset == dataset.name]),
        }
    by_id = {s.id: s for s in sources}
    described = {
        source_id: {"path": f"raw/{by_id[source_id].path}", "sha256": sha, "kind": by_id[source_id].kind}
        for source_id, sha in inputs.items()
    }
    return {
        "release_id": release_id({k: v["sha256"] for k, v in files.items()}, inputs, code),
        "code_version": code,
        "datasets": files,
        "inputs": described,
        "checks": _summary(outcomes),
    }


@contextmanager
def publish_lock(workspace: Workspace) -> Iterator[None]:
    """One publisher at a time per outputs folder (an advisory lock, released if the process dies)."""
    workspace.outputs_dir.mkdir(parents=True, exist_ok=True)
    with (workspace.outputs_dir / ".publish.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def publish(
    workspace: Workspace,
    sources: list[Source],
    code: str,
    render_report: ReportRenderer,
    keep: int = DEFAULT_KEEP,
    stage_versions: dict[str, str] | None = None,
) -> PublishResult:
    """Promote the staged, audited files to a release; raise :class:`PublicationRefused` otherwise.

    ``stage_versions`` is the code version each staged dataset must have been written by (default:
    ``code`` for all). ``render_report(manifest, outcomes, changes, folder)`` writes the quality report into the release
    folder before it becomes visible; ``changes`` is the diff against the predecessor release.
    """
    with publish_lock(workspace):
        outcomes, audited, problems = gather_audits(workspace)
        inputs, stale = staged_inputs(workspace, sources, code, stage_versions)
        if problems or stale:
            raise PublicationRefused(
                "not published; the current release stays as it is:\n- " + "\n- ".join(problems + stale)
            )
        manifest = build_manifest(workspace, sources, inputs, code, outcomes, audited)
        rid = manifest["release_id"]
        target = workspace.releases / rid
        previous = current_release(workspace)
        existed = (target / "manifest.json").exists()
        damaged = verify_release(target) if existed else []
        predecessor = previous
        if damaged:  # the same inputs and code make the same bytes: rebuild the release from the staged files,
            shutil.rmtree(target)  # its report compared with the release it was published after, as before
            entry = _catalog_entry(workspace, rid)
            predecessor = entry.get("previous_release") if entry else (None if previous == rid else previous)
        if not existed or damaged:
            _stage_and_rename(workspace, manifest, outcomes, sources, predecessor, target, render_report)
        created = not existed
        _point_latest(workspace, rid)
        _record_in_catalog(workspace, manifest, created, previous)
        removed = apply_retention(workspace, keep)
    return PublishResult(rid, target, created, manifest, previous, removed, damaged)


def _stage_and_rename(
    workspace: Workspace,
    manifest: dict[str, Any],
    outcomes: list[CheckOutcome],
    sources: list[Source],
    previous: str | None,
    target: Path,
    render_report: ReportRenderer,
) -> None:
    workspace.releases.mkdir(parents=True, exist_ok=True)
    for leftover in workspace.releases.glob(".staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)  # from a publisher killed mid-way
    if target.exists():
        shutil.rmtree(target)  # a folder without manifest.json was never complete
    staging = workspace.releases / f".staging-{manifest['release_id']}-{os.getpid()}"
    staging.mkdir(parents=True)
    for dataset in PUBLISHED:
        shutil.copyfile(workspace.staged(dataset), staging / f"{dataset.name}.parquet")
        if sha256_file(staging / f"{dataset.name}.parquet") != manifest["datasets"][dataset.name]["sha256"]:
            raise PublicationRefused(f"{dataset.name}: the staged file changed while publishing.")
    write_json(staging / "datapackage.json", build_datapackage(manifest, sources))
    problems = validate_datapackage(staging)
    if problems:
        raise PublicationRefused("datapackage.json is invalid:\n- " + "\n- ".join(problems))
    predecessor = workspace.releases / previous if previous else None
    changes = compare_releases(predecessor, staging)
    changes["previous_release"] = previous
    render_report(manifest, outcomes, changes, staging)
    # every other file's sha256, so that `verify` can tell a tampered report or an extra file
    manifest["files"] = {p.name: sha256_file(p) for p in sorted(staging.iterdir()) if p.name not in manifest_names()}
    write_json(staging / "manifest.json", manifest)  # written last: its presence marks completeness
    for path in staging.iterdir():
        _fsync(path)
    _fsync(staging)
    os.rename(staging, target)
    _fsync(workspace.releases)


def _point_latest(workspace: Workspace, rid: str) -> None:
    tmp = workspace.outputs_dir / f".latest-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(Path("releases") / rid, tmp)
    os.replace(tmp, workspace.latest)
    _fsync(workspace.outputs_dir)


def code_identity() -> dict[str, str | None]:
    """Package version and, when the project is a git checkout, the commit (for the catalog only)."""
    try:
        commit: str | None = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = None
    return {"package_version": metadata.version("ccbec-pipeline"), "git_commit": commit}


def _catalog_entry(workspace: Workspace, rid: str) -> dict[str, Any] | None:
    if not workspace.catalog.exists():
        return None
    return next((r for r in read_json(workspace.catalog)["releases"] if r["release_id"] == rid), None)


def _record_in_catalog(workspace: Workspace, manifest: dict[str, Any], created: bool, previous: str | None) -> None:
    catalog = read_json(workspace.catalog) if workspace.catalog.exists() else {"releases": []}
    known = any(r["release_id"] == manifest["release_id"] for r in catalog["releases"])
    if created or not known:
        catalog["releases"].append(
            {
                "release_id": manifest["release_id"],
                "published_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "previous_release": previous,
                "code_version": manifest["code_version"],
                **code_identity(),
                "inputs": manifest["inputs"],
                "datasets": manifest["datasets"],
                "checks": manifest["checks"],
                "deleted": False,
            }
        )
    catalog["current"] = manifest["release_id"]
    write_json(workspace.catalog, catalog)


def apply_retention(workspace: Workspace, keep: int) -> list[str]:
    """Delete release folders beyond the newest ``keep`` (never the current one); mark them in the catalog."""
    if keep < 1:
        raise ValueError("keep must be at least 1")
    catalog = read_json(workspace.catalog)
    current = catalog.get("current")
    alive = [r for r in catalog["releases"] if not r.get("deleted")]
    doomed = [r for r in alive[:-keep] if r["release_id"] != current] if len(alive) > keep else []
    for entry in doomed:
        shutil.rmtree(workspace.releases / entry["release_id"], ignore_errors=True)
        entry["deleted"] = True
    if doomed:
        write_json(workspace.catalog, catalog)
    return [r["release_id"] for r in doomed]


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def manifest_names() -> set[str]:
    """The files a manifest lists under ``datasets`` (and the manifest itself)."""
    return {"manifest.json", *(f"{d.name}.parquet" for d in PUBLISHED)}


def verify_release(folder: Path) -> list[str]:
    """Problems found in a release folder (empty when intact): every file re-hashed against the
    manifest (datasets, the report, its JSON twin, datapackage.json), and no file the manifest does not
    list. A release published before the manifest listed its other files is checked on its datasets."""
    manifest_path = folder / "manifest.json"
    if not manifest_path.exists():
        return [f"{manifest_path}: missing; this is not a complete release."]
    try:
        manifest = read_json(manifest_path)
    except ValueError as error:
        return [f"{manifest_path}: not valid JSON ({error}); the release is damaged."]
    expected = {info["path"]: (f"dataset {name}", info["sha256"]) for name, info in manifest["datasets"].items()}
    listed = "files" in manifest
    expected.update({name: ("file", sha) for name, sha in manifest.get("files", {}).items()})
    problems = []
    for name, (what, sha) in sorted(expected.items()):
        path = folder / name
        if not path.exists():
            problems.append(f"{path}: missing ({what}).")
        elif sha256_file(path) != sha:
            problems.append(f"{path}: altered; sha256 {sha256_file(path)} != manifest {sha}.")
    if listed:
        extra = sorted(p.name for p in folder.iterdir() if p.name != "manifest.json" and p.name not in expected)
        problems += [f"{folder / name}: not in the release's manifest; remove it." for name in extra]
    return problems


def catalog_problems(workspace: Workspace) -> list[str]:
    """Where the catalog and ``latest`` disagree about the current release."""
    current = current_release(workspace)
    if not workspace.catalog.exists():
        return [f"{workspace.catalog}: missing; latest points at {current}."] if current else []
    catalog = read_json(workspace.catalog)
    problems = []
    if catalog.get("current") != current:
        problems.append(f"{workspace.catalog}: says the current release is {catalog.get('current')}, but latest "
                        f"points at {current}.")  # fmt: skip
    entry = next((r for r in catalog["releases"] if r["release_id"] == current), None)
    if current and (entry is None or entry.get("deleted")):
        problems.append(f"{workspace.catalog}: lists no live release {current}, which latest points at.")
    return problems


def current_release(workspace: Workspace) -> str | None:
    """The id of the release ``latest`` points to, or None before the first publication."""
    if not workspace.latest.is_symlink():
        return None
    return Path(os.readlink(workspace.latest)).name
