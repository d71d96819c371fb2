"""Collecting the report's facts into one JSON-ready dict: the verdict, each dataset's schema, profile
and checks, the findings across sources, what changed, the coverage of each raw file and the
corrections log. The HTML page (:mod:`pipeline.report.html`) renders exactly these facts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.jsonable import plain, plain_row
from pipeline.metadata.crosschecks import CHECK_NAMES
from pipeline.metadata.datasets import ANNUAL_INDICATORS, PUBLISHED, Dataset, Field
from pipeline.metadata.fields import LIST_DTYPES
from pipeline.raw.registry import Source, readable_texts
from pipeline.records import CheckOutcome, SourceFailure, frame_records
from pipeline.store.parquet import sha256_file
from pipeline.store.workspace import read_json
from pipeline.validate.asset_checks import AssetCheck, asset_checks, rule_tally, tally

UNUSED_SHOWN = 12


@dataclass
class ReportInputs:
    """Everything the report is made from besides the manifest, the audits and the diff."""

    sources: list[Source]
    frames: dict[str, pd.DataFrame]  # every published dataset and the parsed ones, by name
    failures: list[SourceFailure] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # decoded raw text of each readable source
    # unregistered or mismatching files in raw/; None in a release's report, whose bytes must depend
    # only on its inputs and the code (they go to the run's metadata instead)
    warnings: list[str] | None = None
    # the releases before this one, oldest first (:func:`release_history`)
    history: list[dict[str, Any]] = field(default_factory=list)


# A report stays readable (and small) for any corpus: beyond these, it lists the first rows and says
# how many more the release's Parquet files hold.
FINDINGS_SHOWN = 100  # per check, flagged ones first
CORRECTIONS_SHOWN = 300
LISTED = 200  # inputs, coverage rows and raw texts shown in the HTML page


def _verdict(checks: list[AssetCheck], outcomes: list[CheckOutcome], failures: list[SourceFailure],
             findings: pd.DataFrame) -> dict[str, Any]:  # fmt: skip
    """The verdict, counting checks as the Dagster UI does (one per asset check; the rules they apply apart)."""
    blocking = [o for o in outcomes if o.blocks]
    counted = tally(checks)
    flagged = int((~findings["status"].isin(("consistent", "uncertain"))).sum()) if not findings.empty else 0
    uncertain = int((findings["status"] == "uncertain").sum()) if not findings.empty else 0
    publishable = not blocking and not failures and not counted["failed"]
    if not publishable:
        reasons = []
        failed = [c for c in checks if c.result == "failed"]
        if failed:
            reasons.append(
                f"{len(failed)} check(s) failed ({', '.join(c.asset + ':' + c.name for c in failed[:10])}"
                + (", ..." if len(failed) > 10 else "")
                + ")"
            )
        if failures:
            reasons.append(f"{len(failures)} source(s) quarantined ({', '.join(f.source_id for f in failures[:10])})")
        sentence = "Not publishable: " + "; ".join(reasons) + "."
    elif counted["warned"]:
        sentence = (
            f"Publishable: no check failed and no source was quarantined; {counted['warned']} of "
            f"{len(checks)} checks warned, to read."
        )
    else:
        sentence = f"Publishable: all {len(checks)} checks passed and no source was quarantined."
    if flagged:
        sentence += f" {flagged} finding(s) flag disagreements between the sources (not defects of the data)."
    if uncertain:
        sentence += f" {uncertain} figure reading(s) are uncertain and used by no cross-check."
    return {
        "publishable": publishable,
        "sentence": sentence,
        "checks": counted,  # as the Dagster UI counts them: one per asset check
        "rules": rule_tally(outcomes),  # what those checks applied: pandera schemas and rules, expectations
        "findings_flagged": flagged,
    }


def profile(frame: pd.DataFrame, dataset: Dataset) -> list[dict[str, Any]]:
    """Per column: nulls, distinct values, and the range (numbers) or text lengths (strings)."""
    rows = []
    for f in dataset.fields:
        column = frame[f.name]
        present = column.dropna()
        if f.dtype in LIST_DTYPES:  # lists: distinct by content, the range of their lengths
            nulls, distinct = int(column.isna().sum()), len({repr(v) for v in present})
            lengths = present.map(len)
            rows.append({"column": f.name, "nulls": nulls, "distinct": distinct, "range_of": "items",
                         "min": plain(lengths.min()) if len(lengths) else None,
                         "max": plain(lengths.max()) if len(lengths) else None})  # fmt: skip
            continue
        row: dict[str, Any] = {"column": f.name, "nulls": int(column.isna().sum()), "distinct": int(present.nunique())}
        if f.dtype == "string":
            lengths = present.astype(str).str.len()
            row["min"] = plain(lengths.min()) if len(lengths) else None
            row["max"] = plain(lengths.max()) if len(lengths) else None
            row["range_of"] = "length"
        else:
            row["min"] = plain(present.min()) if len(present) else None
            row["max"] = plain(present.max()) if len(present) else None
            row["range_of"] = "value"
        rows.append(row)
    return rows


def _used_lines(frames: dict[str, pd.DataFrame], texts: dict[str, str]) -> dict[str, set[int]]:
    """Per raw file, the lines some dataset was built from (one pass over each frame's columns)."""
    used: dict[str, set[int]] = {}
    cells = frames.get("indicator_table_cells")
    if cells is not None and not cells.empty:
        for source_id, line in zip(cells["source_id"], cells["line"], strict=True):
            used.setdefault(str(source_id), set()).add(int(line))
        for source_id, lines in set(zip(cells["source_id"], cells["header_lines"], strict=True)):
            used.setdefault(str(source_id), set()).update(int(n) for n in str(lines).split(",") if n)
    zone_lines = frames.get("zone_table_lines")
    if zone_lines is not None and not zone_lines.empty:
        for source_id, line in zip(zone_lines["source_id"], zone_lines["line"], strict=True):
            used.setdefault(str(source_id), set()).add(int(line))
    for name in ("reported_figures", "zone_mentions"):
        quoted = frames.get(name)
        if quoted is None or quoted.empty:
            continue
        spans = set(zip(quoted["source_id"], quoted["quote_char_start"], quoted["quote_char_end"], strict=True))
        for source_id, start, end in spans:
            text = texts.get(str(source_id), "")
            first = text.count("\n", 0, int(start)) + 1
            used.setdefault(str(source_id), set()).update(
                range(first, first + text.count("\n", int(start), int(end)) + 1)
            )
    return used


def coverage(inputs: ReportInputs) -> list[dict[str, Any]]:
    """For each raw file: how many of its non-blank lines were used, and the first unused ones."""
    quarantined = {f.source_id for f in inputs.failures}
    used_by_source = _used_lines(inputs.frames, inputs.texts)
    rows = []
    for source in sorted(inputs.sources, key=lambda s: s.id):
        text = inputs.texts.get(source.id)
        if source.kind == "reference_table":
            count = len(text.splitlines()) if text else 0
            rows.append({"source_id": source.id, "kind": source.kind, "lines": count, "used": count,
                         "status": "reference table: read whole", "unused": []})  # fmt: skip
            continue
        if source.id in quarantined or text is None:
            rows.append({"source_id": source.id, "kind": source.kind, "lines": None, "used": 0,
                         "status": "quarantined: nothing used", "unused": []})  # fmt: skip
            continue
        numbered = [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
        used = used_by_source.get(source.id, set())
        unused = [{"line": n, "text": t[:160]} for n, t in numbered if n not in used]
        rows.append(
            {
                "source_id": source.id,
                "kind": source.kind,
                "lines": len(numbered),
                "used": len(numbered) - len(unused),
                "status": f"{len(numbered) - len(unused)} of {len(numbered)} non-blank lines used",
                "unused": unused[:UNUSED_SHOWN],
                "unused_total": len(unused),
            }
        )
    return rows


def _column(f: Field) -> dict[str, Any]:
    return {
        "name": f.name,
        "type": f.dtype,
        "unit": f.unit,
        "nullable": f.nullable,
        "description": f.description,
        "raw_header": f.raw_header,
    }


def _input(s: Source) -> dict[str, Any]:
    return {
        "id": s.id,
        "path": f"raw/{s.path}",
        "sha256": s.sha256,
        "kind": s.kind,
        "title": s.title,
        "publisher": s.publisher,
        "published": s.published,
        "url": s.url,
        "extracts": s.extracts,
    }


HISTORY_KEPT = 30  # releases shown in the chart of findings over releases


COUNTS = ("passed", "warned", "failed")


def _history_entry(value: Any) -> dict[str, Any] | None:
    """One release of the history, as a report records it, or None if it is not one."""
    if not isinstance(value, dict) or not isinstance(value.get("release_id"), str):
        return None
    checks, statuses = value.get("checks"), value.get("finding_statuses")
    if not isinstance(checks, dict) or sorted(checks) != sorted(COUNTS) or not isinstance(statuses, dict):
        return None
    counts = [*checks.values(), *statuses.values()]
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in counts):
        return None
    if not all(isinstance(k, str) for k in statuses):
        return None
    return {"release_id": value["release_id"], "checks": dict(checks), "finding_statuses": dict(statuses)}


def release_history(previous: Path | None) -> list[dict[str, Any]]:
    """The releases up to ``previous`` (a release folder), oldest first: each one's id, check counts and
    findings by status, from its own report, which holds the history before it. It depends only on the
    chain of predecessors, so a release rebuilt later gets the same history. It ends at a predecessor
    whose report does not match its manifest or is malformed, and at one from before checks were counted
    as asset checks (its counts are of rules, not comparable)."""
    if previous is None:
        return []
    path = previous / "quality_report.json"
    try:
        if read_json(previous / "manifest.json").get("files", {}).get(path.name) != sha256_file(path):
            return []
        report = read_json(path)
        entry = _history_entry({"release_id": report["release_id"], "checks": report["verdict"]["checks"],
                                "finding_statuses": report["finding_statuses"]})  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return []
    if entry is None or "asset_checks" not in report:
        return []
    earlier = [_history_entry(e) for e in report.get("history") or []]
    if not isinstance(report.get("history"), list) or any(e is None for e in earlier):
        earlier = []
    return [*(e for e in earlier if e is not None), entry][-HISTORY_KEPT:]


def gather_inputs(
    sources: list[Source],
    frames: dict[str, pd.DataFrame],
    failures: list[SourceFailure],
    raw_dir: Path,
    with_warnings: bool = True,
    previous: Path | None = None,
) -> ReportInputs:
    """Everything a report needs from the raw folder (readable texts and warnings about stray files) and
    from the release before it (``previous``, its folder): the history of releases."""
    from pipeline.raw.state import raw_state

    return ReportInputs(
        sources=sources,
        frames=frames,
        failures=failures,
        texts=readable_texts(sources, raw_dir),
        warnings=raw_state(raw_dir, sources).warnings if with_warnings else None,
        history=release_history(previous),
    )


def build_report(
    manifest: dict[str, Any], outcomes: list[CheckOutcome], changes: dict[str, Any], inputs: ReportInputs
) -> dict[str, Any]:
    findings = inputs.frames["findings"]
    checks = asset_checks(outcomes)
    datasets = []
    for dataset in PUBLISHED:
        info = manifest["datasets"][dataset.name]
        datasets.append(
            {
                "name": dataset.name,
                "title": dataset.title,
                "description": dataset.description,
                "file": info["path"],
                "rows": info["rows"],
                "sha256": info["sha256"],
                "primary_key": list(dataset.primary_key),
                "columns": [_column(f) for f in dataset.fields],
                "profile": profile(inputs.frames[dataset.name], dataset),
                "checks": [o.to_json() for o in outcomes if o.dataset == dataset.name],
            }
        )
    indicators = inputs.frames["annual_indicators"]
    batches = inputs.frames["pilot_zone_batches"]
    # the charts draw one table's series, the one with the most printed values (tables are never merged)
    values = [f.name for f in ANNUAL_INDICATORS.fields if f.raw_header]
    filled = indicators[values].notna().sum(axis=1).groupby(indicators["source_id"], sort=True).sum()
    charted = str(filled.idxmax()) if not filled.empty else None
    tables = filled
    shown_findings = (
        findings.assign(_flagged=findings["status"] != "consistent")
        .sort_values(["cross_check", "_flagged"], ascending=[True, False], kind="stable")
        .groupby("cross_check", sort=False)
        .head(FINDINGS_SHOWN)
        .drop(columns="_flagged")
        if not findings.empty
        else findings
    )
    if not shown_findings.empty:  # by check as declared, then where each first quote stands in its source
        order = {name: i for i, name in enumerate(CHECK_NAMES)}
        shown_findings = shown_findings.assign(
            _check=shown_findings["cross_check"].map(order),
            _source=[e[0]["source_id"] if len(e) else "" for e in shown_findings["evidence"]],
            _at=[e[0]["char_start"] if len(e) else 0 for e in shown_findings["evidence"]],
        )
        shown_findings = shown_findings.sort_values(["_check", "_source", "_at", "finding_id"], kind="stable").drop(
            columns=["_check", "_source", "_at"]
        )
    corrections = inputs.frames["corrections"].sort_values(["source_id", "char_start"], kind="stable")  # as printed
    return {
        "release_id": manifest["release_id"],
        "code_version": manifest["code_version"],
        "verdict": _verdict(checks, outcomes, inputs.failures, findings),
        "asset_checks": [c.to_json() for c in checks],
        "inputs": [_input(s) for s in sorted(inputs.sources, key=lambda s: s.id)],
        "datasets": datasets,
        "series": {
            "indicators": [
                plain_row(r) for r in frame_records(indicators.loc[indicators["source_id"] == charted])
            ],
            "indicator_table": charted,
            "indicator_tables": len(tables),
            "batches": [plain_row(r) for r in frame_records(batches)],
        },
        "finding_statuses": {str(k): int(v) for k, v in sorted(findings.groupby("status").size().items())},
        "findings_total": len(findings),
        "findings": [plain_row(row) for row in frame_records(shown_findings)],
        "changes": changes,
        "history": inputs.history,
        "coverage": coverage(inputs),
        "raw_warnings": inputs.warnings,
        "quarantined": [f.__dict__ for f in inputs.failures],
        "corrections_total": len(corrections),
        "corrections": [plain_row(r) for r in corrections.head(CORRECTIONS_SHOWN).to_dict(orient="records")],
    }
