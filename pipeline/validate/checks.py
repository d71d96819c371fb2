"""Blocking asset checks on the staged curated files: the pandera schema, the GX suite, and the
pinned source quirks. Each check validates the exact bytes the release would publish and leaves an
audit record for the publish gate (:mod:`pipeline.publish.release`)."""

from typing import Any

import dagster as dg
import pandas as pd

from pipeline.clean.zones import read_reference_batches
from pipeline.datasets import CORRECTIONS, FINDINGS, PILOT_ZONE_BATCHES, PILOT_ZONES, PUBLISHED, Dataset
from pipeline.errors import RegistryError
from pipeline.parquet import read_parquet, sha256_file
from pipeline.publish.workspace import save_audit
from pipeline.raw.registry import Source
from pipeline.resources import PipelinePaths
from pipeline.settings import EXPECTATIONS_DIR
from pipeline.validate.gx_suites import run_suite
from pipeline.validate.pandera_checks import run_pandera
from pipeline.validate.results import CheckOutcome
from pipeline.validate.views import suite_view

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


def batches_add_up(batches: pd.DataFrame) -> CheckOutcome:
    """Each batch's cumulative total is the previous total plus the zones it added."""
    ordered = batches.sort_values("batch")
    previous = ordered["zones_total"].shift(1, fill_value=0)
    wrong = ordered.loc[previous + ordered["zones_added"] != ordered["zones_total"]]
    return CheckOutcome(
        dataset=PILOT_ZONE_BATCHES.name,
        check="totals_add_up",
        passed=wrong.empty,
        severity="ERROR",
        description="Zones before a batch + zones it added = cumulative total, for every batch.",
        failures=[
            {"batch": int(r.batch), "zones_added": int(r.zones_added), "zones_total": int(r.zones_total)}
            for r in wrong.itertuples()
        ],
    )


def names_known_match(zones: pd.DataFrame, batches: pd.DataFrame) -> CheckOutcome:
    """The registry names exactly as many zones per batch as the batch table says are known."""
    named = zones.groupby("batch").size()
    failures = [
        {"batch": int(r.batch), "names_known": int(r.names_known), "named": int(named.get(r.batch, 0))}
        for r in batches.itertuples()
        if int(named.get(r.batch, 0)) != int(r.names_known) or int(named.get(r.batch, 0)) > int(r.zones_added)
    ]
    return CheckOutcome(
        dataset=PILOT_ZONES.name,
        check="names_known_match",
        passed=not failures,
        severity="ERROR",
        description="Per batch, the zones named in pilot_zones equal the batch table's names_known and "
        "never exceed zones_added.",
        failures=failures,
    )


FINDING_CHECKS = {
    "counts": "Counts of zones, cities, batches, approvals and provinces in the articles against the registry "
    "at the date they refer to; prior + added = total within an article.",
    "city_lists": "Cities a sentence names as the latest (or first) batch against the batch each is in.",
    "currency_conversions": "Printed CNY/USD conversions against the year's average rate (10% allowed for spot rates).",
    "growth_rates": "A stated growth rate against the same measure's figures for two consecutive years from "
    "different sources.",
    "different_measures": "Article figures and appendix series for the same year that measure different things.",
}


def _finding_check(check: str, description: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=FINDINGS.name, name=check, blocking=False, description=description + " A finding "
                    "about the sources is a warning: the data still reproduces them faithfully.")  # fmt: skip
    def finding_check(paths: PipelinePaths) -> dg.AssetCheckResult:
        frame = read_parquet(paths.workspace.staged(FINDINGS), FINDINGS)
        mine = frame.loc[frame["check"] == check]
        flagged = mine.loc[mine["status"] != "consistent"]
        lines = ["| status | finding | message |", "|---|---|---|"] + [
            f"| {r.status} | {r.finding} | {r.message.replace('|', '/')} |" for r in mine.itertuples()
        ]
        return dg.AssetCheckResult(
            passed=flagged.empty,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={
                "findings": len(mine),
                "flagged": len(flagged),
                "table": dg.MetadataValue.md("\n".join(lines)),
            },
        )

    return finding_check


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
            outcomes.append(pinned_quirks(read_parquet(path, dataset), paths.sources()))
        if dataset is PILOT_ZONE_BATCHES:
            outcomes.append(batches_add_up(read_parquet(path, dataset)))
        if dataset is PILOT_ZONES:
            batches = next((s for s in paths.sources() if s.id == "ref_pilot_zone_batches"), None)
            if batches is None:
                raise RegistryError("raw/sources.yaml: the reference table 'ref_pilot_zone_batches' is not registered.")
            reference = read_reference_batches(str(batches.file(paths.raw)))
            outcomes.append(names_known_match(read_parquet(path, dataset), reference))
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
        view = suite_view(read_parquet(path, dataset), dataset)
        outcomes = run_suite(view, dataset.name, EXPECTATIONS_DIR / f"{dataset.name}.json")
        save_audit(paths.workspace, "expectations", sha, outcomes)
        return _result(outcomes, sha)

    return [schema, expectations]


asset_checks = [check for dataset in PUBLISHED for check in _checks_for(dataset)] + [
    _finding_check(check, description) for check, description in FINDING_CHECKS.items()
]
