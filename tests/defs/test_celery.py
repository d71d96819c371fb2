"""The scale-out of deploy/celery/ run for real: a Redis broker, two ``dagster-celery`` workers and the
instance of deploy/celery/dagster.yaml on PostgreSQL. ``materialize_all`` in two document shards runs
every step as a Celery task and publishes the same release, byte for byte, as an in-process run."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import dagster as dg
import pytest

from pipeline.defs.location import ALL_JOB
from pipeline.settings import DEFAULT_RAW_DIR, PROJECT_ROOT
from tests.defs.test_postgres import URL, database  # noqa: F401  (the fixture: one fresh database)
from tests.helpers import keep_only

DEPLOY = PROJECT_ROOT / "deploy" / "celery"
REDIS = shutil.which("redis-server")
BIN = Path(sys.executable).parent  # the environment's dagster, dagster-celery and celery commands
WORKERS = ("celery_w1", "celery_w2")
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        (REDIS is None or URL is None) and os.environ.get("CI") != "true",
        reason="no redis-server or no PostgreSQL (apt-get install redis-server; run scripts/start-postgres)",
    ),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(command: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """A process in its own session (so that it and its children can be stopped as one group), its
    output in ``log``."""
    with log.open("wb") as out:
        return subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the process group (a worker then finishes its task: a warm shutdown), SIGKILL after 10 s."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):  # already gone
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def tail(log: Path, lines: int = 40) -> str:
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def wait_for(
    what: str, ready: Callable[[], bool], processes: dict[Path, subprocess.Popen[bytes]], seconds: float
) -> None:
    """Poll ``ready()`` until it is true; fail with the logs of ``processes`` if one of them exits or time runs out."""
    deadline = time.monotonic() + seconds
    while not ready():
        for log, process in processes.items():
            if process.poll() is not None:
                pytest.fail(f"{what}: {log.name} exited with {process.returncode}:\n{tail(log)}")
        if time.monotonic() > deadline:
            logs = "\n".join(f"--- {log}\n{tail(log)}" for log in processes)
            pytest.fail(f"{what}: not ready after {seconds:.0f} s\n{logs}")
        time.sleep(0.5)


@pytest.fixture
def cluster(database: dict[str, str], tmp_path: Path) -> Iterator[dict[str, str]]:  # noqa: F811
    """Redis on a free port, then two Celery workers started as README "Scaling out" says; yields the
    environment every machine of the deployment shares. Everything started is stopped, whatever happens."""
    import redis
    from celery import Celery

    assert REDIS, "CI must install Debian's redis-server (.ci/run does)"
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(DEPLOY / "dagster.yaml", home / "dagster.yaml")
    raw, outputs = tmp_path / "raw", tmp_path / "outputs"
    shutil.copytree(DEFAULT_RAW_DIR, raw)
    keep_only(raw)  # the five seed extracts: the registry of `published_once`
    port = free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    env = {
        **os.environ,
        **database,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",  # dagster-celery starts `celery` from the PATH
        "DAGSTER_HOME": str(home),
        "PIPELINE_SHARED_ARTIFACTS": str(tmp_path / "shared"),
        "PIPELINE_RAW_DIR": str(raw),
        "PIPELINE_OUTPUTS_DIR": str(outputs),
        "PIPELINE_EXECUTOR": "celery",
        "PIPELINE_SHARDS": "2",
        "PIPELINE_RUN_CONFIG": str(DEPLOY / "run_config.yaml"),
        "DAGSTER_CELERY_BROKER_URL": broker,
        "DAGSTER_CELERY_BACKEND_URL": f"redis://127.0.0.1:{port}/1",
    }
    processes: dict[Path, subprocess.Popen[bytes]] = {}
    try:
        (tmp_path / "redis").mkdir()
        redis_command = [REDIS, "--bind", "127.0.0.1", "--port", str(port), "--dir", str(tmp_path / "redis")]
        redis_command += ["--save", "", "--appendonly", "no"]  # no persistence
        processes[tmp_path / "redis.log"] = start(redis_command, tmp_path / "redis.log", env)

        def redis_answers() -> bool:
            try:
                return bool(redis.Redis(host="127.0.0.1", port=port, socket_timeout=1).ping())
            except redis.exceptions.ConnectionError:
                return False

        wait_for("redis-server", redis_answers, processes, 15)
        for name in WORKERS:
            log = tmp_path / f"{name}.log"
            command = [str(BIN / "dagster-celery"), "worker", "start", "-A", "dagster_celery.app"]
            processes[log] = start([*command, "-y", str(DEPLOY / "run_config.yaml"), "-n", name], log, env)
        app = Celery(broker=broker)

        def workers_answer() -> bool:
            names = {name.split("@")[0] for reply in app.control.ping(timeout=1) for name in reply}
            return names == set(WORKERS)

        # both workers listen before the run starts: then the first ready steps (five raw files) spread
        # over both, since a worker holds one unacknowledged task at a time (prefetch 1, late acks)
        wait_for("the Celery workers", workers_answer, processes, 90)
        yield env
    finally:
        for process in reversed(processes.values()):
            stop(process)


def step_workers(instance: dg.DagsterInstance, run_id: str) -> dict[str, str]:
    """step key -> the Celery worker that ran it, from the executor's own engine events in the run's log."""
    records = instance.event_log_storage.get_records_for_run(
        run_id, of_type=dg.DagsterEventType.ENGINE_EVENT, limit=10_000
    ).records
    workers = {}
    for record in records:
        event = record.event_log_entry.dagster_event
        if event is not None and event.message and event.message.endswith("in celery worker"):
            workers[str(event.step_key)] = str(event.engine_event_data.metadata["Celery worker"].value)
    return workers


def tasks_done(log: Path) -> list[str]:
    """The ids of the ``execute_plan`` tasks a worker's log says succeeded."""
    text = log.read_text(encoding="utf-8", errors="replace")
    return re.findall(r"Task execute_plan\[([0-9a-f-]{36})\] succeeded in", text)


def test_materialise_on_two_celery_workers_gives_the_in_process_release(
    cluster: dict[str, str],
    published_once: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    command = [str(BIN / "dagster"), "job", "execute", "-m", "pipeline.definitions", "-j", ALL_JOB]
    try:  # README "Scaling out", step 5, from the command line
        launch = subprocess.run(command, cwd=PROJECT_ROOT, env=cluster, capture_output=True, text=True, timeout=240)
    except subprocess.TimeoutExpired as error:
        pytest.fail(f"`dagster job execute` on Celery did not finish in 240 s:\n{str(error.stderr)[-3000:]}")
    assert launch.returncode == 0, f"the Celery run failed:\n{launch.stderr[-3000:]}"

    for key in ("DAGSTER_PG_USERNAME", "DAGSTER_PG_PASSWORD", "DAGSTER_PG_HOST", "DAGSTER_PG_DB", "DAGSTER_PG_PORT"):
        monkeypatch.setenv(key, cluster[key])
    monkeypatch.setenv("PIPELINE_SHARED_ARTIFACTS", cluster["PIPELINE_SHARED_ARTIFACTS"])
    with dg.DagsterInstance.from_config(cluster["DAGSTER_HOME"]) as instance:
        runs = instance.get_runs()
        assert [(r.job_name, r.status) for r in runs] == [(ALL_JOB, dg.DagsterRunStatus.SUCCESS)]
        succeeded = {
            str(r.event_log_entry.dagster_event.step_key)
            for r in instance.event_log_storage.get_records_for_run(
                runs[0].run_id, of_type=dg.DagsterEventType.STEP_SUCCESS, limit=10_000
            ).records
            if r.event_log_entry.dagster_event is not None
        }
        ran_on = step_workers(instance, runs[0].run_id)

    # every step was a Celery task on one of the two workers, the two document shards included
    assert {"parsed_documents.parse_shard[shard_0]", "parsed_documents.parse_shard[shard_1]", "release"} <= succeeded
    assert set(ran_on) == succeeded
    assert {worker.split("@")[0] for worker in ran_on.values()} == set(WORKERS), ran_on
    for name in WORKERS:  # and each worker's own log counts the same tasks
        steps = [step for step, worker in ran_on.items() if worker.startswith(f"{name}@")]
        assert len(tasks_done(tmp_path / f"{name}.log")) == len(steps), tail(tmp_path / f"{name}.log")

    celery_release = Path(cluster["PIPELINE_OUTPUTS_DIR"]) / "latest"
    in_process_release = published_once[1] / "latest"
    assert celery_release.resolve().name == in_process_release.resolve().name  # the release id hashes the content
    names = sorted(p.name for p in in_process_release.iterdir())
    assert sorted(p.name for p in celery_release.iterdir()) == names
    for name in names:
        assert (celery_release / name).read_bytes() == (in_process_release / name).read_bytes(), name
