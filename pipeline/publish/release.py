"""Write -> audit -> promote.

Curated assets write their files into the working area (write); asset checks validate those exact
bytes and leave audit records (audit); :func:`publish` refuses unless every published dataset has
passing audits of its current bytes, all were built from the currently registered raw inputs, and no
source failed. It then assembles a new release folder under a staging name, renames it into place,
records it as current in the catalog and moves the ``latest`` pointer (promote); see
:mod:`pipeline.publish.catalog` for why that order, and how a publisher killed between two writes is
finished or undone by the next one. A write that fails (a full disk, a read-only folder) raises
:class:`PublicationFailed` saying which release is current; nothing half-written becomes current.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from pipeline.jsonable import plain
from pipeline.metadata.datasets import DATASETS, FINDINGS, PUBLISHED, Dataset
from pipeline.metadata.schemas import schema_fingerprint
from pipeline.publish.catalog import (
    CatalogUnreadable,
    apply_retention,
    catalog_current,
    catalog_entry,
    current_release,
    manifest_names,
    new_entry,
    point_latest,
    reconcile,
    record_current,
    verify_release,
)
from pipeline.publish.compare import compare_releases
from pipeline.publish.datapackage import build_datapackage, validate_datapackage
from pipeline.raw.observed import grouped
from pipeline.raw.registry import Source
from pipeline.records import CheckOutcome
from pipeline.settings import PROJECT_ROOT
from pipeline.store.parquet import read_parquet, sha256_file
from pipeline.store.workspace import (
    InputConflict,
    Workspace,
    canonical_json,
    fsync_path,
    load_audit,
    load_code,
    load_failures,
    load_failures_of,
    load_inputs,
    merge_inputs,
    read_json,
    write_json,
)
from pipeline.validate.asset_checks import asset_checks, readable_outcomes, rule_tally, sources_read_outcome, tally
from pipeline.validate.reviews import REVIEWS, ReviewsError, finding_outcomes, read_reviews

CHECKS = ("schema", "expectations")  # audit records every published dataset needs
RELEASE, DATAPACKAGE, SCHEMA_DRIFT = "release", "datapackage", "schema_drift"  # the release asset's checks
DEFAULT_KEEP = 10

ReportRenderer = Callable[[dict[str, Any], list[CheckOutcome], dict[str, Any], Path], None]


class PublicationRefused(Exception):
    """The gate found a reason not to promote; the message lists every reason."""


class PublicationFailed(PublicationRefused):
    """A write of the publication failed (a full disk, a read-only folder); the message names the file,
    which release is current and what to do."""


@dataclass(frozen=True)
class PublishResult:
    release_id: str
    path: Path
    created: bool  # False when an identical release already existed
    manifest: dict[str, Any]
    previous: str | None
    removed: list[str]
    repaired: list[str] = field(default_factory=list)  # what was wrong with the release folder rebuilt
    reconciled: list[str] = field(default_factory=list)  # what reconcile found left by an earlier publisher


def audited_checks(dataset: Dataset) -> tuple[str, ...]:
    """The audit records a dataset's staged file needs: a published one its schema and expectations, a
    parsed one with rules of its own its schema (which blocks what is built from it)."""
    if dataset.published:
        return CHECKS
    return ("schema",) if dataset.rules else ()


# every dataset with checks that run before the release, in the order of the graph: parsed, then published
CHECKED = [d for d in DATASETS.values() if d.layer == "parsed" and (d.rules or d.reads_sources)] + list(PUBLISHED)


def gather_audits(
    workspace: Workspace, sources: list[Source], raw_dir: Path
) -> tuple[list[CheckOutcome], dict[str, str], list[str]]:
    """The outcome of every check that runs before the release, as its Dagster asset check reports it
    (:mod:`pipeline.validate.asset_checks`): each raw asset's ``readable``, each reading asset's
    ``sources_read``, each dataset's audited ``schema`` and ``expectations``, and the cross-checks' warning
    checks on ``findings``. Also the sha256 each published dataset was audited at, and the reasons (if
    any) they cannot be published. A check that has not run on the current staged file is a failed
    outcome here, and a reason."""
    outcomes = readable_outcomes(sources, raw_dir)
    problems = [f"{o.dataset}: {o.description}" for o in outcomes if not o.passed]
    audited: dict[str, str] = {}
    for dataset in CHECKED:
        if dataset.reads_sources:
            outcomes.append(sources_read_outcome(dataset.name, load_failures_of(workspace, dataset.name)))
        staged = workspace.staged(dataset)
        if not staged.exists():
            problems.append(f"{dataset.name}: no staged file; materialise the curated assets first.")
            outcomes += [_not_run(dataset, check, "it has no staged file") for check in audited_checks(dataset)]
            continue
        sha = sha256_file(staged)
        if dataset.published:
            audited[dataset.name] = sha
        for check in audited_checks(dataset):
            record = load_audit(workspace, dataset.name, check)
            if record is None or record[0] != sha:
                problems.append(
                    f"{dataset.name}: the {check} check has not run on the current staged file; "
                    "materialise the curated assets together with their checks."
                )
                outcomes.append(_not_run(dataset, check, "not on the current staged file"))
                continue
            outcomes += [replace(o, asset_check=check) for o in record[1]]
            problems += [
                f"{o.dataset}: blocking check {o.check!r} failed ({len(o.failures)} failing rows shown)."
                for o in record[1]
                if o.blocks
            ]
    if workspace.staged(FINDINGS).exists():
        # the cross-checks' warning checks on findings, counted like Dagster shows them (they never block)
        try:
            reviews = read_reviews(REVIEWS)
        except ReviewsError as error:  # a broken reviews file refuses the release, saying where and what to fix
            problems.append(str(error))
        else:
            outcomes += finding_outcomes(read_parquet(workspace.staged(FINDINGS), FINDINGS), reviews)
    for failure in load_failures(workspace):
        problems.append(f"{failure.path}: quarantined at {failure.step}: {failure.message}")
    return outcomes, audited, problems


def _not_run(dataset: Dataset, check: str, why: str) -> CheckOutcome:
    """A check the release needs that has not run: a failure, as nothing says the file passes it."""
    return CheckOutcome(dataset.name, check, False, "ERROR", f"The {check} check did not run: {why}.", [])


def datapackage_outcome(problems: list[str]) -> CheckOutcome:
    """The release's blocking ``datapackage`` check: the descriptor describes exactly the files beside it."""
    described = "; ".join(problems[:5]) if problems else "datapackage.json describes the files beside it"
    return CheckOutcome(RELEASE, DATAPACKAGE, not problems, "ERROR", described,
                        failures=[{"problem": p} for p in problems[:100]])  # fmt: skip


def drift_outcome(drift: dict[str, Any]) -> CheckOutcome:
    """The release's ``schema_drift`` warning: columns added, removed or retyped since the previous release."""
    described = (
        "columns changed since the previous release in " + ", ".join(sorted(drift)) if drift else "no schema change"
    )
    changes = [{"dataset": name, "change": plain(change)} for name, change in sorted(drift.items())]
    return CheckOutcome(RELEASE, SCHEMA_DRIFT, not drift, "WARN", described, failures=changes)


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


def release_id(datasets: dict[str, str], inputs: dict[str, str], code: str, raw_assets: str) -> str:
    """Derived from content only: the same files, inputs and code give the same id. ``raw_assets`` (how the
    raw files are observed, per file or per kind) sets which ``readable`` checks the release counts."""
    identity = {"datasets": datasets, "inputs": inputs, "code": code, "raw_assets": raw_assets}
    return hashlib.sha256(canonical_json(identity).encode()).hexdigest()[:16]


def counts(outcomes: list[CheckOutcome]) -> dict[str, dict[str, int]]:
    """What the manifest records of the checks: ``checks``, the asset checks' results as the Dagster UI
    counts them, and ``rules``, the rules they applied (pandera, expectations, ...)."""
    return {"checks": tally(asset_checks(outcomes)), "rules": rule_tally(outcomes)}


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
            **counts([o for o in outcomes if o.dataset == dataset.name]),
        }
    layout = "per kind" if grouped(sources) else "per file"
    by_id = {s.id: s for s in sources}
    described = {
        source_id: {"path": f"raw/{by_id[source_id].path}", "sha256": sha, "kind": by_id[source_id].kind}
        for source_id, sha in inputs.items()
    }
    return {
        "release_id": release_id({k: v["sha256"] for k, v in files.items()}, inputs, code, layout),
        "code_version": code,
        "datasets": files,
        "inputs": described,
        "raw_assets": layout,  # how the raw files are observed: which readable checks there are
        **counts(outcomes),
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
    raw_dir: Path,
    code: str,
    render_report: ReportRenderer,
    keep: int = DEFAULT_KEEP,
    stage_versions: dict[str, str] | None = None,
) -> PublishResult:
    """Promote the staged, audited files to a release; raise :class:`PublicationRefused` otherwise
    (:class:`PublicationFailed` when a write fails).

    ``stage_versions`` is the code version each staged dataset must have been written by (default:
    ``code`` for all). ``render_report(manifest, outcomes, changes, folder)`` writes the quality report into the release
    folder before it becomes visible; ``changes`` is the diff against the predecessor release.
    """
    try:
        with publish_lock(workspace):
            reconciled = reconcile(workspace)
            outcomes, audited, problems = gather_audits(workspace, sources, raw_dir)
            inputs, stale = staged_inputs(workspace, sources, code, stage_versions)
            if problems or stale:
                raise PublicationRefused(
                    "not published; the current release stays as it is:\n- " + "\n- ".join(problems + stale)
                )
            manifest = build_manifest(workspace, sources, inputs, code, outcomes, audited)
            rid = manifest["release_id"]
            target = workspace.releases / rid
            previous = catalog_current(workspace)
            existed = (target / "manifest.json").exists()
            damaged = verify_release(target) if existed else []
            predecessor = previous
            if damaged:  # the same inputs and code make the same bytes: rebuild the release from the staged files,
                entry = catalog_entry(workspace, rid)  # its report compared with the release it followed, as before
                predecessor = entry.get("previous_release") if entry else (None if previous == rid else previous)
                shutil.rmtree(target)
            if not existed or damaged:
                _stage_and_rename(workspace, manifest, outcomes, sources, predecessor, target, render_report)
            manifest = read_json(target / "manifest.json")  # as written, with the release's own checks
            # the catalog first (fsynced), then latest: a crash in between leaves a complete release recorded
            # as current, and the next publisher or `verify` moves latest to it (see pipeline.publish.catalog)
            stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            record_current(workspace, new_entry(manifest, previous, stamp, code_identity()))
            point_latest(workspace, rid)
            removed = apply_retention(workspace, keep)
    except OSError as error:
        raise PublicationFailed(_failed_write(workspace, error)) from error
    return PublishResult(rid, target, not existed, manifest, previous, removed, damaged, reconciled)


def _failed_write(workspace: Workspace, error: OSError) -> str:
    """What failed, what is current now, and what to do."""
    where = error.filename or workspace.outputs_dir
    what = f"could not write {where}: {error.strerror or error}"
    hint = {
        errno.ENOSPC: "Free space on the volume of the outputs folder (or keep fewer releases with "
        "PIPELINE_KEEP_RELEASES) and run again.",
        errno.EDQUOT: "Free space within the disk quota of the outputs folder and run again.",
        errno.EROFS: f"The outputs folder {workspace.outputs_dir} is on a read-only file system; mount it "
        "writable or point PIPELINE_OUTPUTS_DIR at a writable folder, and run again.",
        errno.EACCES: f"Give this user write access to {workspace.outputs_dir} (or point PIPELINE_OUTPUTS_DIR "
        "elsewhere) and run again.",
    }.get(error.errno or 0, "Fix the cause and run again.")
    try:
        recorded, pointed = catalog_current(workspace), current_release(workspace)
    except (OSError, CatalogUnreadable):
        recorded, pointed = None, current_release(workspace)
    if recorded and recorded != pointed:
        state = (f"Release {recorded} is complete and recorded as current in {workspace.catalog}, but latest still "
                 f"points at {pointed}; the next run or `python -m pipeline verify` moves it.")  # fmt: skip
    else:
        state = f"Nothing half-written became current; the current release is {pointed or 'none (none yet)'}."
    return f"{what}. {state} {hint}"


@contextmanager
def _naming(path: Path) -> Iterator[None]:
    """A failed write names the file being written (a full disk's error from a copy names none)."""
    try:
        yield
    except OSError as error:
        error.filename = error.filename or str(path)
        raise


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
    if target.exists():
        shutil.rmtree(target)  # a folder without manifest.json was never complete
    staging = workspace.releases / f".staging-{manifest['release_id']}-{os.getpid()}"
    staging.mkdir(parents=True)
    try:
        _assemble(workspace, manifest, outcomes, sources, previous, staging, render_report)
        os.rename(staging, target)
    except Exception:
        shutil.rmtree(staging, ignore_errors=True)  # a failed write leaves nothing behind (a kill: reconcile does)
        raise
    fsync_path(workspace.releases)


def _assemble(
    workspace: Workspace,
    manifest: dict[str, Any],
    outcomes: list[CheckOutcome],
    sources: list[Source],
    previous: str | None,
    staging: Path,
    render_report: ReportRenderer,
) -> None:
    for dataset in PUBLISHED:
        with _naming(staging / f"{dataset.name}.parquet"):
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
    # the release asset's own checks, which Dagster runs on it once promoted, find what they find here:
    # the report and the manifest count them with the others
    outcomes = [*outcomes, datapackage_outcome(problems), drift_outcome(changes["drift"])]
    manifest.update(counts(outcomes))
    with _naming(staging):
        render_report(manifest, outcomes, changes, staging)
    # every other file's sha256, so that `verify` can tell a tampered report or an extra file
    manifest["files"] = {p.name: sha256_file(p) for p in sorted(staging.iterdir()) if p.name not in manifest_names()}
    write_json(staging / "manifest.json", manifest)  # written last: its presence marks completeness
    for path in staging.iterdir():
        fsync_path(path)
    fsync_path(staging)


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
