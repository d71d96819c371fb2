"""``python -m pipeline.defs.launch [JOB]``: run a job of the code location now, in this process, as the
location ``ccbec_pipeline`` (the name ``workspace.yaml`` and ``pyproject.toml`` give it; what
``scripts/run-pipeline`` calls).

``dagster job execute -m pipeline.definitions`` records a run with no code-location origin: the UI
lists it under Runs but not on the Overview timeline, and not as a run of ``ccbec_pipeline``. Here the
run is created from the code location, like a run launched in the UI (origin, job snapshot,
execution plan), and then executed in this process, as ``dagster job execute`` does: no daemon or run
queue is needed, and the command returns when the run has finished. Its exit status is 0 only if the run
succeeded. This module uses Dagster's own CLI helpers (``dagster._cli``), pinned with Dagster.
"""

from __future__ import annotations

import sys

import dagster as dg
from dagster._cli.job import _create_run
from dagster._cli.workspace.cli_target import (
    get_code_location_from_workspace,
    get_remote_job_from_remote_repo,
    get_remote_repository_from_code_location,
)
from dagster._core.execution.api import execute_run
from dagster._core.remote_origin import InProcessCodeLocationOrigin
from dagster._core.types.loadable_target_origin import LoadableTargetOrigin
from dagster._core.workspace.context import WorkspaceProcessContext
from dagster._core.workspace.load_target import InProcessWorkspaceLoadTarget
from dagster._utils.hosted_user_process import recon_job_from_origin

from pipeline.defs.location import ALL_JOB
from pipeline.settings import PROJECT_ROOT

MODULE = "pipeline.definitions"
LOCATION = "ccbec_pipeline"  # as in workspace.yaml and pyproject.toml


def launch(job_name: str = ALL_JOB, tags: dict[str, str] | None = None) -> dg.DagsterRun:
    """Create the run from the code location, execute it here, return its final record."""
    origin = InProcessCodeLocationOrigin(
        LoadableTargetOrigin(module_name=MODULE, working_directory=str(PROJECT_ROOT)), location_name=LOCATION
    )  # loaded here, not in a code server of its own: the definitions are imported once
    with dg.DagsterInstance.get() as instance:
        with WorkspaceProcessContext(instance, InProcessWorkspaceLoadTarget(origin)) as process:
            workspace = process.create_request_context()
            location = get_code_location_from_workspace(workspace, LOCATION)
            repository = get_remote_repository_from_code_location(location, None)
            job = get_remote_job_from_remote_repo(repository, job_name)
            run = _create_run(instance, location, repository, job, {}, tags or {}, None, None)
        assert run.job_code_origin is not None
        execute_run(recon_job_from_origin(run.job_code_origin), run, instance)
        finished = instance.get_run_by_id(run.run_id)
        assert finished is not None
        return finished


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    run = launch(args[0] if args else ALL_JOB, {"pipeline/trigger": "scripts/run-pipeline"})
    print(f"run {run.run_id} of {run.job_name} in {LOCATION}: {run.status.value}")
    return 0 if run.status == dg.DagsterRunStatus.SUCCESS else 1


if __name__ == "__main__":
    sys.exit(main())
