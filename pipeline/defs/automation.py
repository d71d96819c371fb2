"""The sensors that run the pipeline unattended.

- ``full_refresh``: Dagster's declarative automation. Every asset and check carries the condition
  :func:`pipeline.defs.materialize.refresh_condition` (``on_cron`` of ``PIPELINE_SCHEDULE_CRON``,
  default every day at 06:00 UTC): at each tick the raw files are observed, then everything else runs
  in one run once its upstream has been updated since the tick. Publication still happens only when
  every blocking check passes. The UI's Automation page shows each asset's evaluation.
- ``raw_files_changed``: a run when a registered raw file that matches its entry is added, changed or
  re-registered, or an entry is removed from the registry; its cursor is the inputs (id -> sha256) the
  last requested run reads, and the run key a hash of them, so the same inputs never trigger twice. A file
  that no longer matches its entry (edited without re-registering, damaged, missing) and an unregistered
  file are logged as warnings and trigger nothing. Turned on for the first time, it compares with the
  inputs of the current release, so it starts a run only if something changed since.
- ``report_failed_run``: after a failed run of any job of the location (the UI's "Materialize all" runs
  Dagster's implicit asset job, not ``materialize_all``), writes the candidate report (``outputs/candidate/``) that
  says why nothing was published.
"""

import json
import os
from pathlib import Path

import dagster as dg
from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

from pipeline.defs.materialize import refresh_cron
from pipeline.errors import RegistryError
from pipeline.publish.catalog import CatalogUnreadable, catalog_current, catalog_entry
from pipeline.raw.registry import read_registry
from pipeline.raw.state import raw_state, trigger
from pipeline.report.candidate import write_candidate_report
from pipeline.store.workspace import Workspace

TAG_LIMIT = 200


def refresh_sensor(raw: list[dg.AssetKey]) -> dg.AutomationConditionSensorDefinition:
    """``raw``: the observable raw assets (``AssetSelection.all()`` leaves them out)."""
    return dg.AutomationConditionSensorDefinition(
        "full_refresh",
        target=dg.AssetSelection.all() | dg.AssetSelection.assets(*raw) | dg.AssetSelection.all_asset_checks(),
        default_status=dg.DefaultSensorStatus.RUNNING,
        run_tags={"pipeline/trigger": "full refresh"},
        description=f"Evaluates every asset's and check's automation condition: a full refresh once per tick of "
        f"PIPELINE_SCHEDULE_CRON ({refresh_cron()} UTC), the raw files observed first. Publishes only when "
        "every blocking check passes.",
    )


def _cursor_inputs(cursor: str | None) -> dict[str, str] | None:
    """The inputs the cursor records, or None for no cursor (or one from an older version: a bare hash)."""
    try:
        loaded = json.loads(cursor) if cursor else None
    except ValueError:
        return None
    return {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else None


def _published_inputs(outputs_dir: Path) -> dict[str, str]:
    """The raw inputs (id -> sha256) of the current release; empty before the first one."""
    try:
        workspace = Workspace(outputs_dir)
        current = catalog_current(workspace)
        entry = catalog_entry(workspace, current) if current else None
    except CatalogUnreadable:
        return {}
    return {i: info["sha256"] for i, info in entry["inputs"].items()} if entry else {}


def raw_files_sensor(job: UnresolvedAssetJobDefinition, raw_dir: Path, outputs_dir: Path) -> dg.SensorDefinition:
    @dg.sensor(
        name="raw_files_changed",
        job=job,
        minimum_interval_seconds=int(os.environ.get("PIPELINE_SENSOR_INTERVAL", "60")),
        default_status=dg.DefaultSensorStatus.STOPPED,
        description="Runs the pipeline when a registered raw file (matching its sha256 in raw/sources.yaml) is "
        "added, changed or re-registered, or an entry is removed; idempotent per content. Unregistered or "
        "mismatching files only warn. Turned on, it runs only if the inputs differ from the current release's.",
    )
    def raw_files_changed(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
        try:
            sources, problems = read_registry(raw_dir)
        except RegistryError as error:
            context.log.warning(str(error))
            return dg.SkipReason(f"registry unreadable: {error}")
        for problem in problems:
            context.log.warning(f"registry entry ignored: {problem}")
        state = raw_state(raw_dir, sources)
        for warning in state.warnings:
            context.log.warning(warning)
        baseline = _cursor_inputs(context.cursor)
        if baseline is None:  # first evaluation: what the current release was built from
            baseline = _published_inputs(outputs_dir)
        plan = trigger(state, sources, baseline)
        cursor = json.dumps(plan.inputs, sort_keys=True)
        if not plan.changed:
            return dg.SensorResult(
                skip_reason=f"no registered raw file changed ({len(state.matching)} of {len(sources)} files match "
                "their registry entries).",
                cursor=cursor,
            )
        changed = ", ".join(plan.changed)
        context.log.info(f"raw files changed: {changed}; requesting run {plan.key}.")
        if len(changed) > TAG_LIMIT:  # a tag value is short: name as many as fit and count the rest
            shown: list[str] = []
            for name in plan.changed:
                if len(", ".join([*shown, name])) + len(f" and {len(plan.changed)} more") > TAG_LIMIT:
                    break
                shown.append(name)
            changed = ", ".join(shown) + f" and {len(plan.changed) - len(shown)} more"
        return dg.SensorResult(
            run_requests=[
                dg.RunRequest(
                    run_key=plan.key, tags={"pipeline/trigger": "raw files changed", "pipeline/changed": changed}
                )
            ],
            cursor=cursor,
        )

    return raw_files_changed


def failed_run_sensor(raw_dir: Path, outputs_dir: Path) -> dg.SensorDefinition:
    @dg.run_failure_sensor(
        name="report_failed_run",
        # every job of the location: materialize_all, and the UI's "Materialize all" / "Materialize selected"
        # (Dagster's implicit __ASSET_JOB), which the analysts launch
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="After a failed run of any job (the UI's Materialize buttons included), writes "
        "outputs/candidate/quality_report.html: why nothing was published.",
    )
    def report_failed_run(context: dg.RunFailureSensorContext) -> None:
        try:
            sources = read_registry(raw_dir)[0]
        except RegistryError as error:
            context.log.warning(str(error))
            sources = []
        path = write_candidate_report(Workspace(outputs_dir), sources, raw_dir)
        context.log.info(f"run {context.dagster_run.run_id} failed; candidate report: {path}")

    return report_failed_run
