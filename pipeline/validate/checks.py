"""Blocking asset checks on the staged curated files: the pandera schema, the GX suite, and the
pinned source quirks. Each check validates the exact bytes the release would publish and leaves an
audit record for the publish gate (:mod:`pipeline.publish.release`)."""

from typing import Any

import dagster as dg
import pandas as pd

from pipeline.datasets import CORRECTIONS, PUBLISHED, Dataset
from pipeline.parquet import read_parquet, sha256_file
from pipeline.publish.workspace import save_audit
from pipeline.raw.registry import Source, load_registry
from pipeline.resources import PipelinePaths
from pipeline.settings import EXPECTATIONS_DIR
from pipeline.validate.gx_suites import run_suite
from pipeline.validate.pandera_checks import run_pandera
from pipeline.validate.results import CheckOutcome

SEVERITY = {"ERROR": dg.AssetCheckSeverity.ERROR, "WARN": dg.AssetCheckSeverity.WARN}


def _markdown(outcomes: list[CheckOutcome]) -> str:
    lines = ["| check | result | severity | failing rows |", "|---|---|---|---|"]
    for o in outcomes:
        result = "passed" if o.passed else ("**FAILED**" if o.blocks else "warning")
        lines.append(f"| {o.check} | {result} | {o.severity} | {len(o.failures)} |")
    return "\n".join(lines)


def _result(outcomes: list[CheckOutcome], sha: str) -> dg.AssetCheckResult:
    failed = [o for o in outcomes if not o.passed]
    severity = "ERROR" if any(o.blocks for o in outcomes) else "WARN"
    metadata: dict[str, Any] = {
        "staged_sha256": sha,
        "summary": dg.MetadataValue.md(_markdown(outcomes)),
        "failure_cases": dg.MetadataValue.json(
            {o.check: {"severity": o.severity, "rows": o.failures, **o.details} for o in failed}
        ),
    }
    return dg.AssetCheckResult(passed=not failed, severity=SEVERITY[severity], metadata=metadata)


def pinned_quirks(corrections: pd.DataFrame, sources: list[Source]) -> CheckOutcome:
    """Each source's registered ``expected_corrections`` must be met exactly, rule by rule."""
    failures = []
    for source in sources:
        for rule, expected in sorted(source.expected_corrections.items()):
            found = int(((corrections["source_id"] == source.id) & (corrections["rule"] == rule)).sum())
            if found != expected:
                failures.append({"source_id": source.id, "rule": rule, "expected": expected, "found": found})
    return CheckOutcome(
        dataset=CORRECTIONS.name,
        check="pinned_quirks",
        passed=not failures,
        severity="ERROR",
        description="Known defects of each source (raw/sources.yaml `expected_corrections`) were each "
        "corrected exactly the registered number of times.",
        failures=failures,
    )


def _checks_for(dataset: Dataset) -> list[dg.AssetChecksDefinition]:
    @dg.asset_check(
        asset=dataset.name,
        name="schema",
        blocking=True,
        description=f"pandera: {dataset.name} has exactly its declared columns, dtypes, unique primary key "
        f"({', '.join(dataset.primary_key)}), ranges, allowed values and non-empty text.",
    )
    def schema(paths: PipelinePaths) -> dg.AssetCheckResult:
        path = paths.workspace.staged(dataset)
        sha = sha256_file(path)
        outcome = run_pandera(read_parquet(path, dataset), dataset)
        outcomes = [outcome]
        if dataset is CORRECTIONS:
            outcomes.append(pinned_quirks(read_parquet(path, dataset), load_registry(paths.raw)))
        save_audit(paths.workspace, "schema", sha, outcomes)
        return _result(outcomes, sha)

    @dg.asset_check(
        asset=dataset.name,
        name="expectations",
        blocking=True,
        description=f"Great Expectations suite expectations/{dataset.name}.json: value rules; a failed "
        "'critical' expectation is an ERROR that blocks publication, a 'warning' one a WARN.",
    )
    def expectations(paths: PipelinePaths) -> dg.AssetCheckResult:
        path = paths.workspace.staged(dataset)
        sha = sha256_file(path)
        outcomes = run_suite(
            read_parquet(path, dataset), dataset.name, EXPECTATIONS_DIR / f"{dataset.name}.json"
        )
        save_audit(paths.workspace, "expectations", sha, outcomes)
        return _result(outcomes, sha)

    return [schema, expectations]


asset_checks = [check for dataset in PUBLISHED for check in _checks_for(dataset)]
