"""Small commands around the pipeline: ``status`` (the current release and its verdict), ``verify``
(reconcile the outputs folder, then re-hash a release against its manifest and check the catalog),
``diff`` (rows added, removed and changed between two releases) and ``register`` (record a raw file's
new sha256 on purpose).

Run as ``uv run python -m pipeline <command>``. Materialising the assets is Dagster's job (see README).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from pipeline.publish.catalog import CatalogUnreadable, catalog_problems, current_release, reconcile, verify_release
from pipeline.publish.compare import compare_releases
from pipeline.publish.release import publish_lock
from pipeline.raw.registry import read_registry, registry_path, sha256_bytes
from pipeline.settings import DEFAULT_OUTPUTS_DIR, DEFAULT_RAW_DIR
from pipeline.store.workspace import Workspace, canonical_json, read_json


def _status(outputs: Path) -> int:
    workspace = Workspace(outputs)
    rid = current_release(workspace)
    if rid is None:
        print(f"No release yet in {outputs}. Run the pipeline first (see README).")
        return 1
    report = read_json(workspace.latest / "quality_report.json")
    print(f"Current release: {rid}  ({workspace.latest} -> releases/{rid})")
    print(report["verdict"]["sentence"])
    counts = report["verdict"]["checks"]
    print(f"Checks (as the Dagster UI counts them): {counts['passed']} passed, {counts['warned']} warned, "
          f"{counts['failed']} failed")  # fmt: skip
    for dataset in report["datasets"]:
        print(f"  {dataset['name']:<20} {dataset['rows']:>6} rows  {workspace.latest / dataset['file']}")
    print(f"Report: {workspace.latest / 'quality_report.html'}")
    return 0


def _verify(outputs: Path, release: str | None, repair: bool) -> int:
    workspace = Workspace(outputs)
    try:
        if repair:  # what a publisher killed mid-way left is finished or undone first, as the next publisher would
            try:
                with publish_lock(workspace):
                    for action in reconcile(workspace):
                        print(f"repaired: {action}")
            except OSError as error:
                print(f"{error.filename}: {error.strerror}; verifying without repairing.", file=sys.stderr)
        rid = release or current_release(workspace)
        if rid is None:
            print("No release to verify.", file=sys.stderr)
            return 1
        problems = verify_release(workspace.releases / rid)
        if release is None:  # the current release: the catalog and the manifests must agree with latest
            problems += catalog_problems(workspace)
    except CatalogUnreadable as error:
        print(error, file=sys.stderr)
        return 1
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"release {rid}: {'OK' if not problems else f'{len(problems)} problem(s)'}")
    return 1 if problems else 0


def _diff(outputs: Path, old: str, new: str, as_json: bool) -> int:
    workspace = Workspace(outputs)
    folders = []
    for rid in (old, new):
        folder = workspace.latest.resolve() if rid == "latest" else workspace.releases / rid
        if not (folder / "manifest.json").exists():
            print(f"{folder}: no such release (see {workspace.catalog})", file=sys.stderr)
            return 2
        folders.append(folder)
    changes = compare_releases(folders[0], folders[1])
    if as_json:
        print(canonical_json(changes), end="")
        return 0
    print(f"{folders[0].name} -> {folders[1].name}")
    for name, d in changes["datasets"].items():
        moved = f" ({d['moved']} moved in their file only)" if d.get("moved") else ""
        print(f"  {name}: {d['added']} added, {d['removed']} removed, {d['changed']} changed{moved}")
        for change in d["examples"]["changed"]:
            key = ", ".join(f"{k}={v}" for k, v in change["key"].items())
            for column, values in change["changes"].items():
                print(f"    ~ {key}: {column} {values['before']!r} -> {values['after']!r}")
        for row in d["examples"]["added"]:
            print(f"    + {', '.join(f'{k}={row[k]}' for k in list(row)[:3])}")
        for row in d["examples"]["removed"]:
            print(f"    - {', '.join(f'{k}={row[k]}' for k in list(row)[:3])}")
    for name, drift in changes["drift"].items():
        print(f"  schema drift in {name}: {drift}")
    return 0


def _candidate(raw_dir: Path, outputs: Path) -> int:
    from pipeline.errors import RegistryError
    from pipeline.report.candidate import write_candidate_report

    try:
        sources = read_registry(raw_dir)[0]
    except RegistryError as error:
        print(error, file=sys.stderr)
        sources = []
    path = write_candidate_report(Workspace(outputs), sources, raw_dir)
    report = read_json(path.with_suffix(".json"))
    print(report["verdict"]["sentence"])
    counts = report["verdict"]["checks"]
    print(f"Checks (as the Dagster UI counts them): {counts['passed']} passed, {counts['warned']} warned, "
          f"{counts['failed']} failed")  # fmt: skip
    for failure in report["quarantined"]:
        print(f"  quarantined: {failure['message']}")
    print(f"Candidate report (not a release): {path}")
    return 0


def _register(raw_dir: Path, source_id: str) -> int:
    """Rewrite the sha256 line of one registry entry, leaving the rest of the file (comments) alone."""
    sources = {s.id: s for s in read_registry(raw_dir)[0]}
    if source_id not in sources:
        print(
            f"{registry_path(raw_dir)}: no source {source_id!r}; known: {', '.join(sorted(sources))}",
            file=sys.stderr,
        )
        return 2
    source = sources[source_id]
    new = sha256_bytes(source.file(raw_dir).read_bytes())
    text = registry_path(raw_dir).read_text(encoding="utf-8")
    pattern = re.compile(rf"(- id: {re.escape(source_id)}\n(?:[ \t]+[^\n]*\n)*?[ \t]+sha256: ){source.sha256}")
    updated, count = pattern.subn(rf"\g<1>{new}", text)
    if count != 1:
        print(
            f"could not find the sha256 line of {source_id!r}; edit {registry_path(raw_dir)} by hand: {new}",
            file=sys.stderr,
        )
        return 2
    registry_path(raw_dir).write_text(updated, encoding="utf-8")
    print(f"{source_id}: sha256 {source.sha256[:12]}… -> {new[:12]}…")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    parser.add_argument(
        "--outputs-dir", type=Path, default=Path(os.environ.get("PIPELINE_OUTPUTS_DIR", DEFAULT_OUTPUTS_DIR))
    )
    parser.add_argument("--raw-dir", type=Path, default=Path(os.environ.get("PIPELINE_RAW_DIR", DEFAULT_RAW_DIR)))
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("status", help="show the current release and its verdict")
    verify = commands.add_parser(
        "verify",
        help="reconcile the outputs folder, then re-hash a release (default: the current one) against its manifest "
        "and check that the catalog, latest and the manifests agree",
    )
    verify.add_argument("release", nargs="?")
    verify.add_argument(
        "--no-repair", dest="repair", action="store_false", help="only report; leave leftovers and disagreements"
    )
    commands.add_parser(
        "candidate", help="write outputs/candidate/quality_report.html: why the last run was not published"
    )
    diff = commands.add_parser("diff", help="rows added, removed and changed between two releases")
    diff.add_argument("old", help="release id (or 'latest')")
    diff.add_argument("new", help="release id (or 'latest')")
    diff.add_argument("--json", action="store_true", help="print the full comparison as JSON")
    register = commands.add_parser("register", help="record the current sha256 of a raw file in raw/sources.yaml")
    register.add_argument("source_id")
    args = parser.parse_args(argv)
    if args.command == "status":
        return _status(args.outputs_dir)
    if args.command == "verify":
        return _verify(args.outputs_dir, args.release, args.repair)
    if args.command == "candidate":
        return _candidate(args.raw_dir, args.outputs_dir)
    if args.command == "diff":
        return _diff(args.outputs_dir, args.old, args.new, args.json)
    return _register(args.raw_dir, args.source_id)
