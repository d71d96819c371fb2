"""The ``report`` group: the quality report of the current release, shown in Dagster as a verdict and
counts in markdown with a path to the HTML page."""

import dagster as dg

from pipeline.defs.materialize import versioned_asset
from pipeline.defs.resources import PipelinePaths
from pipeline.store.workspace import read_json

GROUP = "report"


@versioned_asset(
    group_name=GROUP,
    deps=["release"],
    description="The data-quality report of the current release (outputs/latest/quality_report.html "
    "and .json): verdict, datasets and row counts, every check with its failing rows, and the "
    "corrections log.",
    kinds={"html"},
)
def quality_report(paths: PipelinePaths) -> dg.MaterializeResult:
    latest = paths.workspace.latest
    report = read_json(latest / "quality_report.json")
    verdict = report["verdict"]
    counts = verdict["checks"]
    lines = [
        f"**{verdict['sentence']}**",
        "",
        f"Release `{report['release_id']}` — checks: {counts['passed']} passed, {counts['warned']} warned, "
        f"{counts['failed']} failed (the asset checks of this UI, counted when the release was assembled); "
        f"{report.get('corrections_total', len(report['corrections']))} corrections logged.",
        "",
        "| dataset | rows |",
        "|---|---|",
        *[f"| {d['name']} | {d['rows']} |" for d in report["datasets"]],
    ]
    html = latest.resolve() / "quality_report.html"
    return dg.MaterializeResult(
        metadata={
            "verdict": dg.MetadataValue.md("\n".join(lines)),
            "html": dg.MetadataValue.path(str(html)),
            "release_id": report["release_id"],
        },
        data_version=dg.DataVersion(report["release_id"]),
    )
