"""Write -> audit -> promote.

Curated assets write their files into the working area (write); asset checks validate those exact
bytes and leave audit records (audit); :func:`publish` refuses unless every published dataset has
passing audits of its current bytes and no source failed, then copies the files into a new immutable
release folder, renames it into place and moves the ``latest`` pointer (promote). A failure at any
point leaves the previous release current.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from pipeline.datasets import PUBLISHED, Dataset
from pipeline.parquet import sha256_file
from pipeline.publish.workspace import (
    Workspace,
    canonical_json,
    load_audit,
    load_failures,
    read_json,
    write_json,
)
from pipeline.raw.registry import Source
from pipeline.schemas import schema_fingerprint
from pipeline.validate.results import CheckOutcome

CHECKS = ("schema", "expectations")  # audit records every published dataset needs


class PublicationRefused(Exception):
    """The gate found a reason not to promote; the message lists every reason."""


@dataclass(frozen=True)
class PublishResult:
    release_id: str
    path: Path
    created: bool  # False when an identical release already existed
    manifest: dict[str, Any]


def gather_audits(
    workspace: Workspace, datasets: list[Dataset] = PUBLISHED
) -> tuple[list[CheckOutcome], list[str]]:
    """Every audit outcome of the staged files, and the reasons (if any) they cannot be published."""
    outcomes: list[CheckOutcome] = []
    problems: list[str] = []
    for dataset in datasets:
        staged = workspace.staged(dataset)
        if not staged.exists():
            problems.append(f"{dataset.name}: no staged file; materialise the curated assets first.")
            continue
        sha = sha256_file(staged)
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
    return outcomes, problems


def release_id(datasets: dict[str, str], inputs: dict[str, str], code: str) -> str:
    """Derived from content only: the same files, inputs and code give the same id."""
    digest = hashlib.sha256(canonical_json({"datasets": datasets, "inputs": inputs, "code": code}).encode())
    return digest.hexdigest()[:16]


def build_manifest(
    workspace: Workspace, sources: list[Source], code: str, outcomes: list[CheckOutcome]
) -> dict[str, Any]:
    files: dict[str, Any] = {}
    for dataset in PUBLISHED:
        staged = workspace.staged(dataset)
        files[dataset.name] = {
            "path": f"{dataset.name}.parquet",
            "sha256": sha256_file(staged),
            "bytes": staged.stat().st_size,
            "rows": pq.ParquetFile(staged).metadata.num_rows,
            "schema_sha256": schema_fingerprint(dataset),
            "primary_key": list(dataset.primary_key),
        }
    inputs = {s.id: {"path": f"raw/{s.path}", "sha256": s.sha256, "kind": s.kind} for s in sources}
    rid = release_id(
        {k: v["sha256"] for k, v in files.items()}, {k: v["sha256"] for k, v in inputs.items()}, code
    )
    summary = {
        "passed": sum(o.passed for o in outcomes),
        "warned": sum((not o.passed) and o.severity == "WARN" for o in outcomes),
        "failed": sum(o.blocks for o in outcomes),
    }
    return {
        "release_id": rid,
        "code_version": code,
        "datasets": files,
        "inputs": inputs,
        "checks": summary,
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
    render_report: Callable[[dict[str, Any], list[CheckOutcome], Path], None],
) -> PublishResult:
    """Promote the staged, audited files to a release; raise :class:`PublicationRefused` otherwise.

    ``render_report(manifest, outcomes, folder)`` writes the quality report into the release folder
    before it becomes visible.
    """
    outcomes, problems = gather_audits(workspace)
    if problems:
        raise PublicationRefused(
            "not published; the current release stays as it is:\n- " + "\n- ".join(problems)
        )
    with publish_lock(workspace):
        manifest = build_manifest(workspace, sources, code, outcomes)
        rid = manifest["release_id"]
        target = workspace.releases / rid
        created = not (target / "manifest.json").exists()
        if created:
            _stage_and_rename(workspace, manifest, outcomes, target, render_report)
        _point_latest(workspace, rid)
        _record_in_catalog(workspace, manifest, created)
    return PublishResult(rid, target, created, manifest)


def _stage_and_rename(
    workspace: Workspace,
    manifest: dict[str, Any],
    outcomes: list[CheckOutcome],
    target: Path,
    render_report: Callable[[dict[str, Any], list[CheckOutcome], Path], None],
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
    render_report(manifest, outcomes, staging)
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


def _record_in_catalog(workspace: Workspace, manifest: dict[str, Any], created: bool) -> None:
    catalog = read_json(workspace.catalog) if workspace.catalog.exists() else {"releases": []}
    if created or not any(r["release_id"] == manifest["release_id"] for r in catalog["releases"]):
        catalog["releases"].append(
            {
                "release_id": manifest["release_id"],
                "published_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "code_version": manifest["code_version"],
                "inputs": manifest["inputs"],
                "datasets": manifest["datasets"],
                "checks": manifest["checks"],
            }
        )
    catalog["current"] = manifest["release_id"]
    write_json(workspace.catalog, catalog)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def current_release(workspace: Workspace) -> str | None:
    """The id of the release ``latest`` points to, or None before the first publication."""
    if not workspace.latest.is_symlink():
        return None
    return Path(os.readlink(workspace.latest)).name
