"""A full materialisation with the Dagster instance on a real PostgreSQL server (deploy/dagster.postgres.yaml),
then the run, the materialisations and the check results read back from that database."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import dagster as dg
import pytest

from pipeline.defs.location import ALL_JOB, build_definitions
from pipeline.settings import DEFAULT_RAW_DIR, PROJECT_ROOT
from tests.helpers import keep_only

URL = os.environ.get("PIPELINE_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(
    URL is None and os.environ.get("CI") != "true", reason="no PostgreSQL (run scripts/start-postgres)"
)


@pytest.fixture
def database() -> dict[str, str]:
    import psycopg2
    from psycopg2.extensions import ISOLATION_LEVEL_AUTOCOMMIT

    assert URL, "CI must start PostgreSQL (scripts/start-postgres) and set PIPELINE_TEST_POSTGRES_URL"
    name = f"dagster_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(URL)
    admin.set_isolation_level(ISOLATION_LEVEL_AUTOCOMMIT)
    with admin.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name}")
    env = {"DAGSTER_PG_USERNAME": "dagster", "DAGSTER_PG_PASSWORD": "dagster", "DAGSTER_PG_HOST": "127.0.0.1",
           "DAGSTER_PG_DB": name, "DAGSTER_PG_PORT": "5432"}  # fmt: skip
    yield env
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.close()


def test_materialise_with_the_instance_on_postgres(
    database: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in database.items():
        monkeypatch.setenv(key, value)
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(PROJECT_ROOT / "deploy" / "dagster.postgres.yaml", home / "dagster.yaml")
    raw, outputs = tmp_path / "raw", tmp_path / "outputs"
    shutil.copytree(DEFAULT_RAW_DIR, raw)
    keep_only(raw)  # the seed registry: what the test counts
    job = build_definitions(raw, outputs).resolve_job_def(ALL_JOB)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert type(instance.event_log_storage).__name__ == "PostgresEventLogStorage"
        assert type(instance.schedule_storage).__name__ == "PostgresScheduleStorage"
        result = job.execute_in_process(instance=instance, raise_on_error=False)
        assert result.success
        run_id = result.run_id

    # a new instance object: everything below comes back from the database, not from memory
    with dg.DagsterInstance.from_config(str(home)) as instance:
        run = instance.get_run_by_id(run_id)
        assert run is not None and run.status == dg.DagsterRunStatus.SUCCESS
        release = instance.get_latest_materialization_event(dg.AssetKey("release"))
        assert release is not None
        assert release.asset_materialization.metadata["release_id"].value == (outputs / "latest").resolve().name
        zones = instance.get_latest_materialization_event(dg.AssetKey("pilot_zones"))
        assert zones.asset_materialization.metadata["dagster/row_count"].value == 136
        records = instance.event_log_storage.get_records_for_run(
            run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION, limit=1000
        ).records
        evaluations = {}
        for record in records:
            data = record.event_log_entry.dagster_event.event_specific_data
            evaluations[(data.asset_key.to_user_string(), data.check_name)] = data.passed
        assert evaluations[("annual_indicators", "schema")] is True
        assert evaluations[("pilot_zones", "expectations")] is True
        assert evaluations[("findings", "currency_conversions")] is True  # flagged, and reviewed
        assert evaluations[("raw/paper_appendix_2020", "readable")] is True  # evaluated as the file is observed
        # 7 datasets x 2, 2 on the release, 5 cross-checks, and one per raw file (5 extracts, 4 references)
        assert len(evaluations) == 12 * 2 + 1 + 2 + 9 + 11 + 6
