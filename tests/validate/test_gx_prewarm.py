"""A process whose command executes a run starts the GX worker as it imports the pipeline's Dagster
package; the run takes it, or its end stops it without waiting for the import."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from pipeline.settings import PROJECT_ROOT
from pipeline.validate import gx_prewarm, gx_worker

PYTHON = "/usr/bin/python3"


@pytest.mark.parametrize(
    ("argv", "runs"),
    [
        ([PYTHON, "-m", "dagster", "job", "execute", "-m", "pipeline.definitions", "-j", "materialize_all"], True),
        ([".venv/bin/dagster", "asset", "materialize", "--select", "*", "-m", "pipeline.definitions"], True),
        ([PYTHON, "-m", "dagster", "api", "execute_run", "{}"], True),  # the UI's and the daemon's run launcher
        ([PYTHON, "-m", "pipeline.defs.launch"], True),  # scripts/run-pipeline
        ([PYTHON, "-m", "dagster", "dev", "-m", "pipeline.definitions"], False),  # a code server runs nothing
        ([PYTHON, "-m", "dagster", "job", "list", "-m", "pipeline.definitions"], False),
        ([PYTHON, "-m", "pytest", "tests", "-k", "execute"], False),  # a word alone is not the command
        ([PYTHON, "-m", "pipeline", "status"], False),
    ],
)
def test_only_a_command_that_executes_a_run_starts_the_worker(argv: list[str], runs: bool) -> None:
    assert gx_prewarm.executes_a_run(argv) is runs


def test_another_executor_or_the_switch_turns_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    argv = [PYTHON, "-m", "pipeline.defs.launch"]
    monkeypatch.delenv("PIPELINE_GX_PREWARM", raising=False)
    monkeypatch.delenv("PIPELINE_EXECUTOR", raising=False)
    assert gx_prewarm.wanted(argv)
    monkeypatch.setenv("PIPELINE_EXECUTOR", "multiprocess")  # each step is a process of its own
    assert not gx_prewarm.wanted(argv)
    monkeypatch.setenv("PIPELINE_EXECUTOR", "in_process")
    monkeypatch.setenv("PIPELINE_GX_PREWARM", "0")
    assert not gx_prewarm.wanted(argv)


@pytest.fixture
def no_worker(monkeypatch: pytest.MonkeyPatch) -> object:
    """This process's GX worker, if an earlier test started one, set aside for the test."""
    monkeypatch.setattr(gx_worker, "_WORKER", None)
    monkeypatch.setattr(gx_prewarm, "_EARLY", None)
    yield
    gx_prewarm.discard()
    if gx_worker._WORKER is not None:
        gx_worker._WORKER.shutdown()


def test_the_run_takes_the_early_worker_and_gx_is_imported_there(no_worker: object) -> None:
    gx_prewarm.start()
    gx_worker.start()
    worker = gx_worker._WORKER
    assert worker is not None
    assert gx_prewarm.take() is None  # taken once
    assert worker.submit(_gx_is_imported).result(timeout=120)


def _gx_is_imported() -> bool:
    return "great_expectations" in sys.modules


def test_a_run_that_did_not_take_it_stops_it_at_once(no_worker: object) -> None:
    gx_prewarm.start()
    executor, thread = gx_prewarm._EARLY  # type: ignore[misc]
    thread.join()  # the worker is started and importing GX
    processes = list(executor._processes.values())  # type: ignore[union-attr]
    assert processes and all(p.is_alive() for p in processes)
    start = time.perf_counter()
    gx_worker.end_of_run()
    assert time.perf_counter() - start < 3.0  # GX's import takes 5-10 s: it was stopped, not waited for
    assert gx_prewarm.take() is None
    assert not any(p.is_alive() for p in processes)


def test_a_process_that_executes_a_run_has_the_worker_started_by_importing_the_defs() -> None:
    code = (
        "import sys; sys.orig_argv[1:] = ['-m', 'pipeline.defs.launch'];"  # as scripts/run-pipeline's command
        "import pipeline.defs; from pipeline.validate import gx_prewarm;"
        "print(gx_prewarm._EARLY is not None); gx_prewarm.discard()"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          timeout=120, env={"PATH": "/usr/bin:/bin"})  # fmt: skip
    assert done.stdout.split() == ["True"], done.stderr


def test_a_process_that_never_ran_the_resource_exits_without_waiting_for_the_import() -> None:
    code = (
        "import time; from pipeline.validate import gx_prewarm; gx_prewarm.start();"
        "gx_prewarm._EARLY[1].join(); print(time.time())"  # the worker is importing GX; exit now
    )
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert time.time() - float(done.stdout.split()[-1]) < 3.0  # GX's import takes 5-10 s: not waited for
    assert time.perf_counter() - start < 60
