"""The scale-out configuration: deploy/celery/ loads and validates against Dagster's own schemas, the
executor is chosen by PIPELINE_EXECUTOR, and document shards give the same release as one shard."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import dagster as dg
import pytest
import yaml
from dagster._core.instance.config import dagster_instance_config

from devtools.synthetic import generate
from pipeline.defs.location import ALL_JOB, build_definitions
from pipeline.settings import DEFAULT_RAW_DIR, PROJECT_ROOT
from pipeline.steps import shard_of
from tests.helpers import run_graph

DEPLOY = PROJECT_ROOT / "deploy" / "celery"


def test_the_celery_instance_config_is_valid_dagster_instance_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {
        "DAGSTER_PG_USERNAME": "dagster", "DAGSTER_PG_PASSWORD": "dagster", "DAGSTER_PG_HOST": "db",
        "DAGSTER_PG_DB": "dagster", "DAGSTER_PG_PORT": "5432", "PIPELINE_SHARED_ARTIFACTS": str(tmp_path / "shared"),
    }.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    shutil.copy(DEPLOY / "dagster.yaml", tmp_path / "dagster.yaml")
    config, _ = dagster_instance_config(str(tmp_path))  # raises on any key Dagster does not accept
    assert config["storage"]["postgres"]["postgres_db"]["hostname"] == {"env": "DAGSTER_PG_HOST"}
    assert config["run_coordinator"]["class"] == "QueuedRunCoordinator"
    assert config["local_artifact_storage"]["config"]["base_dir"] == {"env": "PIPELINE_SHARED_ARTIFACTS"}


def test_the_celery_run_config_validates_against_the_job(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PIPELINE_EXECUTOR", "celery")
    monkeypatch.setenv("DAGSTER_CELERY_BROKER_URL", "redis://broker:6379/0")
    monkeypatch.setenv("DAGSTER_CELERY_BACKEND_URL", "redis://broker:6379/1")
    job = build_definitions(DEFAULT_RAW_DIR, tmp_path / "outputs").resolve_job_def(ALL_JOB)
    assert job.executor_def.name == "celery"
    run_config = yaml.safe_load((DEPLOY / "run_config.yaml").read_text())
    resolved = dg.validate_run_config(job, run_config)["execution"]["celery"]  # env values resolved
    assert (resolved["broker"], resolved["backend"]) == ("redis://broker:6379/0", "redis://broker:6379/1")
    assert resolved["include"] == ["pipeline.definitions"] and resolved["config_source"]["task_acks_late"] is True
    broken = {"execution": {"config": {**run_config["execution"]["config"], "brokers": "x"}}}
    with pytest.raises(dg.DagsterInvalidConfigError, match="brokers"):
        dg.validate_run_config(job, broken)


def test_the_executor_is_chosen_by_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def executor_name() -> str:
        return build_definitions(DEFAULT_RAW_DIR, tmp_path).resolve_job_def(ALL_JOB).executor_def.name

    assert executor_name() == "in_process"
    monkeypatch.setenv("PIPELINE_EXECUTOR", "multiprocess")
    assert executor_name() == "multiprocess"
    monkeypatch.setenv("PIPELINE_EXECUTOR", "kubernetes")
    with pytest.raises(
        ValueError, match="PIPELINE_EXECUTOR='kubernetes' is not one of in_process, multiprocess, celery"
    ):
        executor_name()


def test_shards_split_the_documents_and_give_the_same_release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = tmp_path / "raw"
    generate(raw, 24, source_raw=DEFAULT_RAW_DIR)
    assert run_graph(raw, tmp_path / "one").success
    monkeypatch.setenv("PIPELINE_SHARDS", "3")
    result = run_graph(raw, tmp_path / "three")
    assert result.success
    shard_steps = sorted(
        e.step_key for e in result.all_events if e.is_step_success and "parse_shard" in str(e.step_key)
    )
    assert shard_steps == [f"parsed_documents.parse_shard[shard_{k}]" for k in range(3)]
    assert sorted({shard_of(f"syn_news_{i:05d}", 3) for i in range(2, 24, 3)}) == [0, 1, 2]
    assert not list((tmp_path / "three" / "work" / "cache").glob("*.shard-*"))  # merged and removed
    one, three = (tmp_path / name / "latest" for name in ("one", "three"))
    for parquet in sorted(one.glob("*.parquet")):
        assert (three / parquet.name).read_bytes() == parquet.read_bytes(), parquet.name


def test_the_run_config_file_configures_every_run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Its execution part configures the executor itself: materialize_all's runs and the runs declarative
    automation launches (Dagster's implicit asset job, which takes no run config) both run on Celery."""
    monkeypatch.setenv("PIPELINE_EXECUTOR", "celery")
    monkeypatch.setenv("PIPELINE_RUN_CONFIG", str(DEPLOY / "run_config.yaml"))
    monkeypatch.setenv("DAGSTER_CELERY_BROKER_URL", "redis://broker:6379/0")
    monkeypatch.setenv("DAGSTER_CELERY_BACKEND_URL", "redis://broker:6379/1")
    defs = build_definitions(DEFAULT_RAW_DIR, tmp_path / "outputs")
    expected = yaml.safe_load((DEPLOY / "run_config.yaml").read_text())["execution"]["config"]
    for job in (defs.resolve_job_def(ALL_JOB), defs.resolve_implicit_global_asset_job_def()):
        celery = dg.validate_run_config(job, {})["execution"]["celery"]  # no run config given
        assert celery["broker"] == "redis://broker:6379/0" and celery["include"] == expected["include"]
        assert celery["config_source"] == expected["config_source"]
    monkeypatch.setenv("PIPELINE_RUN_CONFIG", str(tmp_path / "missing.yaml"))
    with pytest.raises(ValueError, match=r"missing\.yaml': cannot read it as YAML"):
        build_definitions(DEFAULT_RAW_DIR, tmp_path / "outputs")


def _version(record: Any) -> str:
    observation = record.event_log_entry.asset_observation
    assert observation is not None
    return observation.tags["dagster/data_version"]


def test_materialize_all_from_the_ui_records_what_the_raw_files_are(seed_raw: Path, tmp_path: Path) -> None:
    """The UI's "Materialize all" runs Dagster's implicit asset job, which observes no source asset;
    ``parsed_documents`` records each raw file's data version itself, so a changed file shows at once."""
    import hashlib

    from pipeline.raw.registry import read_registry

    defs = build_definitions(seed_raw, tmp_path / "outputs")
    job = defs.resolve_implicit_global_asset_job_def()
    parsed = dg.AssetKey("parsed_documents")
    appendix = seed_raw / "extracts" / "000_7a1c8b4bcb024347.txt"
    with dg.DagsterInstance.ephemeral() as instance:
        assert job.execute_in_process(instance=instance, asset_selection=[parsed]).success
        for source in read_registry(seed_raw)[0]:
            record = instance.get_latest_data_version_record(dg.AssetKey(["raw", source.id]), is_source=True)
            assert record is not None and _version(record) == source.sha256, source.id
        appendix.write_bytes(appendix.read_bytes() + b"\n")  # edited after the run
        assert job.execute_in_process(instance=instance, asset_selection=[parsed]).success
        record = instance.get_latest_data_version_record(dg.AssetKey(["raw", "paper_appendix_2020"]), is_source=True)
        assert record is not None
        assert _version(record) == hashlib.sha256(appendix.read_bytes()).hexdigest()
