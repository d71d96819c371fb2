"""The catalog of releases is the one source of truth for which release is current.

``outputs/catalog.json`` lists every release in publication order and names the current one; the
``latest`` symlink is derived from it. A publisher writes a release folder completely (its
``manifest.json`` last) and renames it into place, records it in the catalog (atomically, fsynced), and
only then moves ``latest``. A process killed between two of those writes leaves a state that
:func:`reconcile` finishes or undoes; every publisher and ``python -m pipeline verify`` reconcile on
start, under the publish lock:

- staging folders and temporary files left by a publisher that stopped mid-way are removed;
- a release folder the catalog does not list is adopted if its manifest verifies, else removed;
- a folder whose catalog entry is marked deleted (retention marks before it deletes) is removed;
- a catalog entry whose folder is gone is marked ``"missing": true`` (and deleted);
- ``latest`` is moved to the catalog's current release.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

from pipeline.metadata.datasets import PUBLISHED
from pipeline.store.parquet import sha256_file
from pipeline.store.workspace import Workspace, fsync_path, read_json, write_json


class CatalogUnreadable(Exception):
    """catalog.json exists but is not a catalog; the message says how to recover."""


def current_release(workspace: Workspace) -> str | None:
    """The id of the release ``latest`` points to, or None before the first publication."""
    if not workspace.latest.is_symlink():
        return None
    return Path(os.readlink(workspace.latest)).name


def read_catalog(workspace: Workspace) -> dict[str, Any]:
    """The catalog (an empty one before the first publication)."""
    if not workspace.catalog.exists():
        return {"current": None, "releases": []}
    try:
        catalog = read_json(workspace.catalog)
    except ValueError as error:
        catalog = error
    if not isinstance(catalog, dict) or not isinstance(catalog.get("releases"), list):
        why = catalog if isinstance(catalog, ValueError) else "no list of releases"
        raise CatalogUnreadable(
            f"{workspace.catalog}: not a release catalog ({why}). Restore it from a backup, or move it aside: "
            "the next run or `python -m pipeline verify` rebuilds it from the release folders' manifests."
        )
    return catalog


def catalog_current(workspace: Workspace) -> str | None:
    current = read_catalog(workspace).get("current")
    return str(current) if current else None


def catalog_entry(workspace: Workspace, rid: str) -> dict[str, Any] | None:
    return next((r for r in read_catalog(workspace)["releases"] if r["release_id"] == rid), None)


def new_entry(
    manifest: dict[str, Any], previous: str | None, published_at: str, identity: dict[str, str | None]
) -> dict[str, Any]:
    return {
        "release_id": manifest["release_id"],
        "published_at": published_at,
        "previous_release": previous,
        "code_version": manifest["code_version"],
        **identity,
        "inputs": manifest["inputs"],
        "datasets": manifest["datasets"],
        "checks": manifest["checks"],
        "deleted": False,
    }


def record_current(workspace: Workspace, entry: dict[str, Any]) -> None:
    """Make ``entry``'s release the current one (adding the entry if the catalog does not list it yet);
    on disk before this returns. The release folder must already be complete and in place."""
    catalog = read_catalog(workspace)
    if not any(r["release_id"] == entry["release_id"] for r in catalog["releases"]):
        catalog["releases"].append(entry)
    catalog["current"] = entry["release_id"]
    write_json(workspace.catalog, catalog, durable=True)


def point_latest(workspace: Workspace, rid: str) -> None:
    """Swap ``latest`` to ``releases/<rid>`` atomically (a new symlink renamed over the old one)."""
    tmp = workspace.outputs_dir / f".latest-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(Path("releases") / rid, tmp)
    os.replace(tmp, workspace.latest)
    fsync_path(workspace.outputs_dir)


def apply_retention(workspace: Workspace, keep: int) -> list[str]:
    """Delete release folders beyond the newest ``keep`` (never the current one): marked deleted in the
    catalog first, then removed, so a publisher killed in between leaves folders reconcile removes."""
    if keep < 1:
        raise ValueError("keep must be at least 1")
    catalog = read_catalog(workspace)
    current = catalog.get("current")
    alive = [r for r in catalog["releases"] if not r.get("deleted")]
    doomed = [r for r in alive[:-keep] if r["release_id"] != current] if len(alive) > keep else []
    for entry in doomed:
        entry["deleted"] = True
    if doomed:
        write_json(workspace.catalog, catalog, durable=True)
    for entry in doomed:
        shutil.rmtree(workspace.releases / entry["release_id"], ignore_errors=True)
    return [r["release_id"] for r in doomed]


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


def _release_folders(workspace: Workspace) -> list[Path]:
    if not workspace.releases.is_dir():
        return []
    return sorted(p for p in workspace.releases.iterdir() if not p.name.startswith("."))


def _leftovers(workspace: Workspace) -> list[Path]:
    found = sorted(workspace.releases.glob(".staging-*")) if workspace.releases.is_dir() else []
    if workspace.outputs_dir.is_dir():
        found += sorted(workspace.outputs_dir.glob(".latest-*"))
        found += sorted(workspace.outputs_dir.glob(f".{workspace.catalog.name}.*.tmp"))
    return found


def _adopted_entry(folder: Path) -> dict[str, Any]:
    """A catalog entry for a complete release whose publisher stopped before recording it: published
    when its manifest was written; its predecessor as its report names it."""
    manifest = read_json(folder / "manifest.json")
    published_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime((folder / "manifest.json").stat().st_mtime))
    previous = None
    if (folder / "quality_report.json").exists():
        previous = read_json(folder / "quality_report.json").get("changes", {}).get("previous_release")
    identity: dict[str, str | None] = {"package_version": None, "git_commit": None}
    return {**new_entry(manifest, previous, published_at, identity), "adopted": True}


def reconcile(workspace: Workspace, apply: bool = True) -> list[str]:
    """Bring the outputs folder to a consistent state (see the module's docstring); what was done, one
    sentence each (``apply=False``: what would be done, changing nothing). Call under the publish lock."""
    actions: list[str] = []
    for path in _leftovers(workspace):
        actions.append(f"{path}: left by a publisher that stopped mid-way; removed.")
        if apply and path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif apply:
            path.unlink()
    catalog = read_catalog(workspace)
    entries = {r["release_id"]: r for r in catalog["releases"]}
    changed = False
    adopted = []
    for folder in _release_folders(workspace):
        entry = entries.get(folder.name)
        if entry is not None and entry.get("deleted"):
            actions.append(f"{folder}: marked deleted in {workspace.catalog.name} (retention); folder removed.")
            if apply:
                shutil.rmtree(folder)
        elif entry is None:
            problems = verify_release(folder)
            if problems:
                actions.append(f"{folder}: in no catalog entry and not a complete release ({problems[0]}); removed.")
                if apply:
                    shutil.rmtree(folder)
            else:
                adopted.append(_adopted_entry(folder))
                actions.append(f"{folder}: a complete release the catalog did not list (its publisher stopped before "
                               "recording it); its manifest verifies, adopted into the catalog.")  # fmt: skip
    for entry in sorted(adopted, key=lambda e: (e["published_at"], e["release_id"])):
        catalog["releases"].append(entry)
        changed = True
    for entry in catalog["releases"]:
        if not entry.get("deleted") and not (workspace.releases / entry["release_id"]).is_dir():
            actions.append(f"{workspace.catalog}: release {entry['release_id']} has no folder "
                           f"{workspace.releases / entry['release_id']}; marked missing.")  # fmt: skip
            entry.update(deleted=True, missing=True)
            changed = True
    live = [r["release_id"] for r in catalog["releases"] if not r.get("deleted")]
    pointed = current_release(workspace)
    if catalog.get("current") not in live:
        fallback = pointed if pointed in live else (live[-1] if live else None)
        if fallback != catalog.get("current"):
            why = "where latest points" if fallback == pointed else "the newest live one"
            actions.append(f"{workspace.catalog}: its current release {catalog.get('current')} is not a live release; "
                           f"current is now {fallback} ({why}).")  # fmt: skip
            catalog["current"] = fallback
            changed = True
    if changed and apply:
        write_json(workspace.catalog, catalog, durable=True)
    target = catalog.get("current")
    if target and pointed != target:
        actions.append(f"{workspace.latest}: pointed at {pointed}; moved to the catalog's current release {target}.")
        if apply:
            point_latest(workspace, target)
    return actions


def catalog_problems(workspace: Workspace) -> list[str]:
    """Where the catalog, ``latest`` and the release folders' manifests disagree (empty when they agree)."""
    current = current_release(workspace)
    if not workspace.catalog.exists():
        return [f"{workspace.catalog}: missing; latest points at {current}."] if current else []
    catalog = read_catalog(workspace)
    problems = []
    if catalog.get("current") != current:
        problems.append(f"{workspace.catalog}: says the current release is {catalog.get('current')}, but latest "
                        f"points at {current}.")  # fmt: skip
    entries = {r["release_id"]: r for r in catalog["releases"]}
    if current and (current not in entries or entries[current].get("deleted")):
        problems.append(f"{workspace.catalog}: lists no live release {current}, which latest points at.")
    for rid, entry in entries.items():
        folder = workspace.releases / rid
        if entry.get("deleted"):
            if folder.exists():
                problems.append(f"{folder}: marked deleted in {workspace.catalog.name}, but the folder is still there.")
            continue
        if not (folder / "manifest.json").exists():
            problems.append(f"{workspace.catalog}: lists release {rid}, but {folder}/manifest.json is missing.")
            continue
        listed = {name: info["sha256"] for name, info in entry["datasets"].items()}
        manifest = {name: info["sha256"] for name, info in read_json(folder / "manifest.json")["datasets"].items()}
        if listed != manifest:
            differ = sorted(n for n in listed.keys() | manifest.keys() if listed.get(n) != manifest.get(n))
            problems.append(f"{workspace.catalog}: release {rid}'s datasets {', '.join(differ)} have other sha256 "
                            f"than {folder / 'manifest.json'}.")  # fmt: skip
    problems += [
        f"{folder}: a release folder {workspace.catalog.name} does not list."
        for folder in _release_folders(workspace)
        if folder.name not in entries
    ]
    return problems
