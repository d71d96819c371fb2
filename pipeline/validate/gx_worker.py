"""Great Expectations in a worker process of its own, imported while the pipeline parses and cleans.

Importing GX takes 5-10 s, and every run that rebuilds a dataset needs it. The run allows the worker
(:func:`allow`, when Dagster sets up the resource); the first asset that rebuilds its dataset calls
:func:`warm`, which takes the worker the process started with its command
(:mod:`pipeline.validate.gx_prewarm`) or starts one that imports GX at once, on the other core, while this
process goes on with the steps before the first expectation check (a run that rebuilds nothing reuses
every suite's outcome and uses no worker); :func:`run_suite` then runs
each suite in that worker. Without a started worker (another executor, a daemon process such as a Celery
worker, which may not start processes) or when the worker died, the suite runs in this process. The
outcomes are the same either way: the worker runs :func:`pipeline.validate.gx_suites.run_suite` on a
copy of the same frame.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.records import CheckOutcome
from pipeline.validate import gx_prewarm, gx_suites
from pipeline.workers import forkserver

_WORKER: ProcessPoolExecutor | None = None
_ALLOWED = False  # whether this run's suites may run in a worker (set by the resource's setup)
_STARTING: threading.Thread | None = None  # the thread starting the worker (:func:`warm`)


def _validate_and_release(frame: pd.DataFrame, dataset: str, suite_path: Path) -> list[dict[str, Any]]:
    """One suite in the worker, then its memory back to the system: the worker lives for the whole run, and a
    suite over a large dataset leaves hundreds of MiB of freed heap that Python keeps."""
    try:
        return gx_suites.validate(frame, dataset, suite_path)
    finally:
        del frame
        gc.collect()
        release_freed_memory()


def release_freed_memory() -> None:
    """Return the C heap's free pages to the operating system (glibc's ``malloc_trim``; elsewhere nothing)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def allow(allowed: bool) -> None:
    """Whether :func:`warm` may start the worker in this run (the in-process executor, not a daemon)."""
    global _ALLOWED
    _ALLOWED = allowed


def warm() -> None:
    """Start the worker if the run allows it: a suite will run soon (a dataset is being rebuilt). In a thread:
    the worker's process starts from the fork server, which must first import the parsers (about 3 s the
    step would wait when no parse pool had started the fork server)."""
    global _STARTING
    if _ALLOWED and _WORKER is None and _STARTING is None and not multiprocessing.current_process().daemon:
        _STARTING = threading.Thread(target=start, name="gx-worker-start", daemon=True)
        _STARTING.start()


def _wait_for_start() -> None:
    global _STARTING
    starting = _STARTING
    if starting is not None:
        starting.join()
        _STARTING = None


def start() -> None:
    """Start the worker and its GX import, once per process, or take the one started with the process
    (:mod:`pipeline.validate.gx_prewarm`); returns at once."""
    global _WORKER
    if _WORKER is not None or multiprocessing.current_process().daemon:
        return
    _WORKER = gx_prewarm.take()
    if _WORKER is None:
        _WORKER = ProcessPoolExecutor(max_workers=1, mp_context=forkserver())
        _WORKER.submit(gx_prewarm._import_gx)


def end_of_run() -> None:
    """The run is over: a worker started with the process that the run never took is stopped."""
    gx_prewarm.discard()


def run_suite(frame: pd.DataFrame, dataset: str, suite_path: Path) -> list[CheckOutcome]:
    """:func:`pipeline.validate.gx_suites.run_suite`, in the worker if one was started. The worker is sent only
    the columns the suite reads, and this process adds the failing rows (10,000 extracts: the worker's peak
    795 MiB with whole frames)."""
    global _WORKER
    _wait_for_start()
    if _WORKER is not None:
        raw = gx_suites.load_suite_json(suite_path)
        columns = gx_suites.suite_columns(raw, frame.columns)
        try:
            results = _WORKER.submit(_validate_and_release, frame[columns], dataset, suite_path).result()
        except BrokenProcessPool:  # a killed worker: this suite and the next run here
            _WORKER = None
        else:
            return gx_suites.outcomes(results, frame, dataset, raw)
    return gx_suites.run_suite(frame, dataset, suite_path)
