"""Blocking asset checks on the staged curated files: the pandera schema with the dataset's declared
rules (:mod:`pipeline.validate.rules`), and the GX suite; and one warning check per declared
cross-check on ``findings``. Each blocking check validates the exact bytes the release would publish
and leaves an audit record for the publish gate (:mod:`pipeline.publish.release`)."""

from pathlib import Path
from typing import Any

import dagster as dg
import pandas as pd

from pipeline.defs.materialize import check_condition, stage_version
from pipeline.defs.resources import GreatExpectations, PipelinePaths
from pipeline.metadata.crosschecks import CROSS_CHECKS
from pipeline.metadata.datasets import DATASETS, FINDINGS, PUBLISHED, Dataset
from pipeline.records import CheckOutcome
from pipeline.settings import EXPECTATIONS_DIR
from pipeline.store.memo import sources_identity, stage_key
from pipeline.store.parquet import read_parquet, sha256_file, source_ids
from pipeline.store.workspace import reusable_audit, save_audit
from pipeline.validate.gx_suites import suite_key
from pipeline.validate.pandera_checks import run_pandera
from pipeline.validate.reviews import REVIEWS, Review, finding_outcomes, read_reviews
from pipeline.validate.rules import RuleContext, run_rule, sources_read
from pipeline.validate.views import suite_view
from pipeline.versions import function_version

SEVERITY = {"ERROR": dg.AssetCheckSeverity.ERROR, "WARN": dg.AssetCheckSeverity.WARN}
EXPECTATIONS_PRIORITY = -1  # Dagster runs the ready step of the highest priority first (default 0)


def _markdown(outcomes: list[CheckOutcome]) -> str:
    lines = ["| check | result | severity | failing rows |", "|---|---|---|---|"]
    for o in outcomes:
        result = "passed" if o.passed else ("**FAILED**" if o.blocks else "warning")
        lines.append(f"| {o.check} | {result} | {o.severity} | {len(o.failures)} |")
    return "\n".join(lines)


def _result(outcomes: list[CheckOutcome], sha: str, **extra: Any) -> dg.AssetCheckResult:
    failed = [o for o in outcomes if not o.passed]
    severity = "ERROR" if any(o.blocks for o in outcomes) else "WARN"
    metadata: dict[str, Any] = {
        **extra,
        "staged_sha256": sha,
        "summary": dg.MetadataValue.md(_markdown(outcomes)),
        "failure_cases": dg.MetadataValue.json(
            {o.check: {"severity": o.severity, "rows": o.failures, **o.details} for o in failed}
        ),
    }
    return dg.AssetCheckResult(passed=not failed, severity=SEVERITY[severity], metadata=metadata)


def _finding_check(check: str, description: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=FINDINGS.name, name=check, blocking=False, automation_condition=check_condition(),
                    description=description + " Warns about "
                    "flagged findings nobody has reviewed (expectations/reviewed_findings.csv lists the reviewed "
                    "ones, with what the reviewer found) or whose status changed since: the data still reproduces "
                    "the sources faithfully.")  # fmt: skip
    def finding_check(paths: PipelinePaths) -> dg.AssetCheckResult:
        frame = _findings(paths.workspace.staged(FINDINGS))
        mine = frame.loc[frame["cross_check"] == check]
        all_reviews = read_reviews(REVIEWS)
        reviews = {key: r for key, r in all_reviews.items() if key[0] == check}
        flagged = mine.loc[mine["status"] != "consistent"]
        # the same outcome the release counts (pipeline.validate.reviews.finding_outcomes)
        (outcome,) = finding_outcomes(frame, all_reviews, (check,))
        unreviewed = outcome.failures
        stale = sorted(finding for (_, finding) in reviews if finding not in set(flagged["finding_id"]))
        lines = ["| status | finding | message | review |", "|---|---|---|---|"] + [
            f"| {r.status} | {r.finding_id} | {r.message.replace('|', '/')} | "
            f"{_review_cell(reviews.get((check, r.finding_id)), r.status)} |"
            for r in mine.itertuples()
        ]
        todo = outcome.description if unreviewed else None
        return dg.AssetCheckResult(
            passed=outcome.passed,
            severity=dg.AssetCheckSeverity.WARN,
            description=todo,
            metadata={
                "findings": len(mine),
                "flagged": len(flagged),
                "reviewed": len(flagged) - len(unreviewed),
                "unreviewed": dg.MetadataValue.json([u["finding_id"] for u in unreviewed]),
                "reviews_without_a_flagged_finding": dg.MetadataValue.json(stale),
                "table": dg.MetadataValue.md("\n".join(lines)),
            },
        )

    return finding_check


_FINDINGS: tuple[str, pd.DataFrame] | None = None  # (sha256, frame): the staged findings the checks last read


def _findings(path: Path) -> pd.DataFrame:
    """The staged findings, read once for all the finding checks of a run (one per cross-check) while the
    file's bytes are the same; a copy, so that no check sees another's changes."""
    global _FINDINGS
    sha = sha256_file(path)
    if _FINDINGS is None or _FINDINGS[0] != sha:
        _FINDINGS = (sha, read_parquet(path, FINDINGS))
    return _FINDINGS[1].copy()


def _review_cell(review: Review | None, status: str) -> str:
    if review is None:
        return "not reviewed" if status != "consistent" else ""
    if review.status != status:
        return f"reviewed as {review.status} on {review.reviewed_on}; now {status}: review again"
    return f"{review.reviewed_on}: {review.note.replace('|', '/')}"


def _checks_for(dataset: Dataset) -> list[dg.AssetChecksDefinition]:
    @dg.asset_check(
        asset=dataset.name,
        name="schema",
        blocking=True,
        automation_condition=check_condition(),
        description=f"pandera: {dataset.name} has exactly its declared columns, dtypes, unique primary key "
        f"({', '.join(dataset.primary_key)}), ranges, allowed values and non-empty text.",
    )
    def schema(paths: PipelinePaths) -> dg.AssetCheckResult:
        path = paths.workspace.staged(dataset)
        sha = sha256_file(path)
        sources = paths.sources()
        # the outcomes on these exact bytes, with this code and schema (and, for a dataset with rules, the
        # registry and raw files the rules read), are the last run's: reused, as the expectations' are
        read = sources_read(dataset.rules, lambda: source_ids(path), sources) if dataset.rules else []
        rules_read = sources_identity(read, paths.raw) if dataset.rules else ""
        key = stage_key(stage_version(dataset.name), {"check": function_version(_checks_for), "rules_read": rules_read})
        outcomes = reusable_audit(paths.workspace, dataset.name, "schema", sha, key)
        reused = outcomes is not None
        if outcomes is None:
            outcome = run_pandera(read_parquet(path, dataset), dataset)
            context = RuleContext(sources, paths.raw)
            outcomes = [outcome, *(run_rule(rule, read_parquet(path, dataset), context) for rule in dataset.rules)]
        save_audit(paths.workspace, "schema", sha, outcomes, key)
        return _result(outcomes, sha, reused_from_the_last_run=reused)

    @dg.asset_check(
        asset=dataset.name,
        name="expectations",
        blocking=True,
        automation_condition=check_condition(),
        # after the other steps that are ready: the GX worker imports GX meanwhile (resources.GreatExpectations)
        op_tags={"dagster/priority": str(EXPECTATIONS_PRIORITY)},
        description=f"Great Expectations suite expectations/{dataset.name}.json: value rules; a failed "
        "'critical' expectation is an ERROR that blocks publication, a 'warning' one a WARN.",
    )
    def expectations(paths: PipelinePaths, great_expectations: GreatExpectations) -> dg.AssetCheckResult:
        path = paths.workspace.staged(dataset)
        sha = sha256_file(path)
        suite = EXPECTATIONS_DIR / f"{dataset.name}.json"
        # the suite's outcomes on these exact bytes, with this suite, GX and code, are the last run's: reused
        # (no GX import, about 5 s), as the publish gate reads them; anything else changed runs it again
        key = suite_key(suite, function_version(suite_view), stage_version(dataset.name))
        outcomes = reusable_audit(paths.workspace, dataset.name, "expectations", sha, key)
        reused = outcomes is not None
        if outcomes is None:
            outcomes = great_expectations.run_suite(
                suite_view(read_parquet(path, dataset), dataset), dataset.name, suite
            )
        save_audit(paths.workspace, "expectations", sha, outcomes, key)
        return _result(outcomes, sha, reused_from_the_last_run=reused)

    return [schema, expectations]


# a parsed dataset with rules of its own (indicator_table_cells: every line of a table accounted for) gets
# its schema check too, blocking what is built from it
PARSED_WITH_RULES = [d for d in DATASETS.values() if d.layer == "parsed" and d.rules]
asset_checks = (
    [check for dataset in PUBLISHED for check in _checks_for(dataset)]
    + [_checks_for(dataset)[0] for dataset in PARSED_WITH_RULES]
    + [_finding_check(check.name, check.description) for check in CROSS_CHECKS]
)
