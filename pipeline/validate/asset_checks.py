"""The checks as the Dagster UI counts them: one per asset check, whatever number of rules it applies.

Every place that counts checks (the release's manifest, the quality report and its JSON, the CLI's
``status``, the ``quality_report`` asset) counts these, so an analyst sees the same passed / warned /
failed numbers in each and in the UI for the same run. An asset check that applies several rules
(``schema``: the pandera schema and the dataset's rules; ``expectations``: every expectation of its GX
suite) passes when all of them do; when one fails it fails with ERROR if a failed rule is an error,
else it warns, as :func:`pipeline.defs.checks` reports it to Dagster.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.metadata.datasets import DATASETS
from pipeline.raw.observed import readable_results
from pipeline.raw.registry import Source
from pipeline.records import CheckOutcome, Severity, SourceFailure

READABLE = "readable"
SOURCES_READ = "sources_read"


@dataclass(frozen=True)
class AssetCheck:
    """One Dagster asset check's result: the asset (its key as the UI writes it), the check's name, and
    the rules it applied."""

    asset: str
    name: str
    passed: bool
    severity: Severity  # how a failure shows: ERROR failed, WARN warned
    rules: int
    description: str

    @property
    def result(self) -> str:
        return "passed" if self.passed else ("failed" if self.severity == "ERROR" else "warned")

    def to_json(self) -> dict[str, Any]:
        return {"asset": self.asset, "check": self.name, "result": self.result, "severity": self.severity,
                "rules": self.rules, "description": self.description}  # fmt: skip


def asset_checks(outcomes: list[CheckOutcome]) -> list[AssetCheck]:
    """The outcomes grouped by the asset check that reports each, in the order first seen."""
    groups: dict[tuple[str, str], list[CheckOutcome]] = {}
    for outcome in outcomes:
        groups.setdefault((outcome.dataset, outcome.asset_check or outcome.check), []).append(outcome)
    checks = []
    for (asset, name), members in groups.items():
        failed = [o for o in members if not o.passed]
        # a failed check shows as its worst failed rule; a passed one with the worst it could fail with
        severity: Severity = "ERROR" if any(o.severity == "ERROR" for o in failed or members) else "WARN"
        if len(members) == 1:
            description = members[0].description
        elif failed:
            description = f"{len(failed)} of {len(members)} rules failed: " + "; ".join(o.check for o in failed[:5])
        else:
            description = f"all {len(members)} rules passed"
        checks.append(AssetCheck(asset, name, not failed, severity, len(members), description))
    return checks


def tally(checks: list[AssetCheck]) -> dict[str, int]:
    results = [c.result for c in checks]
    return {"passed": results.count("passed"), "warned": results.count("warned"), "failed": results.count("failed")}


def rule_tally(outcomes: list[CheckOutcome]) -> dict[str, int]:
    return {
        "passed": sum(o.passed for o in outcomes),
        "warned": sum((not o.passed) and o.severity == "WARN" for o in outcomes),
        "failed": sum((not o.passed) and o.severity == "ERROR" for o in outcomes),
    }


def readable_outcomes(sources: list[Source], raw_dir: Path) -> list[CheckOutcome]:
    """Each raw asset's ``readable`` check, as its observation reports it (an ERROR that does not block)."""
    outcomes = []
    for key, problems in readable_results(sources, raw_dir).items():
        described = problems[0] if len(problems) == 1 else f"{len(problems)} files cannot be read."
        outcomes.append(CheckOutcome(
            "/".join(key), READABLE, not problems, "ERROR", described if problems else "readable as registered",
            failures=[{"problem": p} for p in problems[:100]],
        ))  # fmt: skip
    return outcomes


def sources_read_outcome(dataset: str, failures: list[SourceFailure]) -> CheckOutcome:
    """The ``sources_read`` check of an asset that reads raw files: failed (ERROR) when it quarantined one."""
    if not DATASETS[dataset].reads_sources:
        raise ValueError(f"{dataset} reads no raw file itself: it has no {SOURCES_READ} check.")
    if failures:
        more = f" (and {len(failures) - 1} more source(s))" if len(failures) > 1 else ""
        first = failures[0]  # its message names the file (and line) already, as a rule
        described = (first.message if first.message.startswith(first.path) else f"{first.path}: {first.message}") + more
    else:
        described = "no source quarantined"
    listed = [{"source_id": f.source_id, "path": f.path, "step": f.step, "message": f.message} for f in failures]
    return CheckOutcome(dataset, SOURCES_READ, not failures, "ERROR", described, failures=listed[:100])
