"""The Dagster code location, assembled from the asset, check, schedule and sensor modules of this
folder: raw -> parsed -> curated -> published -> report.

``defs`` is built from the source registry in ``$PIPELINE_RAW_DIR`` (default ``raw/``) and writes to
``$PIPELINE_OUTPUTS_DIR`` (default ``outputs/``). Tests build their own with :func:`build_definitions`.
"""

import logging
import os
from pathlib import Path
from typing import Any

import dagster as dg
import yaml

from pipeline.defs.automation import failed_run_sensor, raw_files_sensor, refresh_sensor
from pipeline.defs.checks import asset_checks
from pipeline.defs.curated import curated_assets
from pipeline.defs.materialize import refresh_condition
from pipeline.defs.parsed import parse_assets
from pipeline.defs.raw import raw_assets as build_raw_assets
from pipeline.defs.release import release, release_checks
from pipeline.defs.report import quality_report
from pipeline.defs.resources import GreatExpectations, PipelinePaths
from pipeline.defs.shards import parsed_documents_asset
from pipeline.errors import RegistryError
from pipeline.raw.registry import read_registry
from pipeline.settings import DEFAULT_OUTPUTS_DIR, DEFAULT_RAW_DIR
from pipeline.store.workspace import Workspace

ALL_JOB = "materialize_all"
EXECUTORS = ("in_process", "multiprocess", "celery")


def executor() -> dg.ExecutorDefinition:
    """``PIPELINE_EXECUTOR``: ``in_process`` (default: one process; per-document work still uses every
    core), ``multiprocess`` (a process per step), or ``celery`` (steps as Celery tasks on other machines;
    needs the ``celery`` extra and deploy/celery/, see README "Scaling out")."""
    name = os.environ.get("PIPELINE_EXECUTOR", "in_process")
    if name == "in_process":
        chosen = dg.in_process_executor
    elif name == "multiprocess":
        chosen = dg.multiprocess_executor
    elif name == "celery":
        from dagster_celery import celery_executor

        chosen = celery_executor
    else:
        raise ValueError(f"PIPELINE_EXECUTOR={name!r} is not one of {', '.join(EXECUTORS)}; unset it for in_process.")
    # the executor's part of PIPELINE_RUN_CONFIG configures the executor itself, so that every run has it:
    # materialize_all's, and the runs declarative automation launches, which take no run config
    execution = (run_config() or {}).get("execution", {}).get("config")
    return chosen.configured(execution) if execution else chosen


def run_config() -> dict[str, Any] | None:
    """The run config from the YAML file ``PIPELINE_RUN_CONFIG`` (e.g. deploy/celery/run_config.yaml):
    its ``execution`` part configures the executor (:func:`executor`), the rest is ``materialize_all``'s
    config, so the sensors and the automation run with it too; none by default."""
    path = os.environ.get("PIPELINE_RUN_CONFIG")
    if not path:
        return None
    try:
        loaded = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ValueError(
            f"PIPELINE_RUN_CONFIG={path!r}: cannot read it as YAML ({error}). Fix the file or unset it."
        ) from None
    if not isinstance(loaded, dict):
        raise ValueError(f"PIPELINE_RUN_CONFIG={path!r}: expected a mapping such as 'execution: ...'.")
    return loaded


def build_definitions(raw_dir: Path, outputs_dir: Path) -> dg.Definitions:
    try:
        sources, problems = read_registry(raw_dir, Workspace(outputs_dir).root / "cache")
        for problem in problems:
            logging.getLogger(__name__).error("%s", problem)
    except RegistryError as error:
        # The code location still loads, so the UI shows it and the sensors can say what is wrong;
        # every asset that reads the registry fails its run with the same message.
        logging.getLogger(__name__).error("%s", error)
        sources = []
    except Exception:  # a bug the registry reader did not foresee must not take the code location down
        logging.getLogger(__name__).exception("raw/sources.yaml could not be read; the assets will say why")
        sources = []
    raw_assets = build_raw_assets(sources)
    job = dg.define_asset_job(
        ALL_JOB,
        config={k: v for k, v in (run_config() or {}).items() if k != "execution"} or None,  # see executor()
        # the observable raw files that exist in the registry, and everything materialisable
        selection=dg.AssetSelection.all() | dg.AssetSelection.assets(*raw_assets),
        description="Observe every raw file, then parse, clean, check, publish and report.",
    )
    assets = [
        *raw_assets,
        parsed_documents_asset([key for a in raw_assets for key in a.keys]),
        *parse_assets(sources),
        *curated_assets(sources),
        release,
        quality_report,
    ]
    refresh = refresh_condition()  # read from the environment now, as the sensors' settings are
    return dg.Definitions(
        assets=dg.map_asset_specs(lambda spec: spec.replace_attributes(automation_condition=refresh), assets),
        asset_checks=[*asset_checks, *release_checks],
        jobs=[job],
        sensors=[
            refresh_sensor([key for a in raw_assets for key in a.keys]),  # declarative: every asset and check
            raw_files_sensor(job, raw_dir, outputs_dir),
            failed_run_sensor(raw_dir, outputs_dir),
        ],
        resources={
            "paths": PipelinePaths(
                raw_dir=str(raw_dir),
                outputs_dir=str(outputs_dir),
                keep_releases=int(os.environ.get("PIPELINE_KEEP_RELEASES", "10")),
            ),
            "great_expectations": GreatExpectations(),
        },
        executor=executor(),
    )


def location_definitions() -> dg.Definitions:
    """The code location of ``$PIPELINE_RAW_DIR`` and ``$PIPELINE_OUTPUTS_DIR`` (defaults ``raw/``, ``outputs/``)."""
    return build_definitions(
        Path(os.environ.get("PIPELINE_RAW_DIR", DEFAULT_RAW_DIR)),
        Path(os.environ.get("PIPELINE_OUTPUTS_DIR", DEFAULT_OUTPUTS_DIR)),
    )
