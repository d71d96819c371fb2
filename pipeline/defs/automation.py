"""The schedule and sensors that run the pipeline unattended.

- ``daily_materialize_all``: the whole graph on a cron (``PIPELINE_SCHEDULE_CRON``, default every day at
  06:00 UTC). Publication still happens only when every blocking check passes.
- ``raw_files_changed``: a run when a registered raw file that matches its entry is added or changed;
  the run key is a hash of those files, so the same content never triggers twice. Unregistered or
  mismatching files are logged as warnings and trigger nothing.
- ``report_failed_run``: after a failed run, writes the candidate report (``outputs/candidate/``) that
  says why nothing was published.
"""

import os
from pathlib import Path

import dagster as dg
from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

from pipeline.errors import RegistryError
from pipeline.raw.registry import read_registry
from pipeline.raw.state import raw_state
from pipeline.report.candidate import write_candidate_report
from pipeline.store.workspace import Workspace


def daily_schedule(job: UnresolvedAssetJobDefinition) -> dg.ScheduleDefinition:
    return dg.ScheduleDefinition(
        name="daily_materialize_all",
        job=job,
        cron_schedule=os.environ.get("PIPELINE_SCHEDULE_CRON", "0 6 * * *"),
        execution_timezone="UTC",
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description="Materialise the whole graph every day (cron from PIPELINE_SCHEDULE_CRON). Publishes only "
        "when every blocking check passes.",
    )


def raw_files_sensor(job: UnresolvedAssetJobDefinition, raw_dir: Path) -> dg.SensorDefinition:
    @dg.sensor(
        name="raw_files_changed",
        job=job,
        minimum_interval_seconds=int(os.environ.get("PIPELINE_SENSOR_INTERVAL", "60")),
        default_status=dg.DefaultSensorStatus.STOPPED,
        description="Runs the pipeline when a registered raw file (matching its sha256 in raw/sources.yaml) is "
        "added or changed; idempotent per content. Unregistered or mismatching files only warn.",
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
        if context.cursor == state.key:
            return dg.SkipReason(f"no registered raw file changed ({len(state.matching)} files, key {state.key}).")
        return dg.SensorResult(
            run_requests=[dg.RunRequest(run_key=state.key, tags={"pipeline/trigger": "raw files changed"})],
            cursor=state.key,
        )

    return raw_files_changed


def failed_run_sensor(job: UnresolvedAssetJobDefinition, raw_dir: Path, outputs_dir: Path) -> dg.SensorDefinition:
    @dg.run_failure_sensor(
        name="report_failed_run",
        monitored_jobs=[job],
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="After a failed run, writes outputs/candidate/quality_report.html: why nothing was published.",
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
