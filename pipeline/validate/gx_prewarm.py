"""Great Expectations' import, started with a process that is about to execute a run.

Importing GX takes 5-10 s, longer than the steps of a run of the five real extracts before their first
expectation check, so a worker started by the first rebuilt dataset (:func:`pipeline.validate.gx_worker.warm`)
still kept that check waiting. A process whose command line executes a run (``dagster job execute``,
``dagster asset materialize``, ``dagster api execute_run`` as the UI's run launcher starts it, ``python -m
pipeline.defs.launch`` as ``scripts/run-pipeline`` does) starts the worker as soon as it imports
:mod:`pipeline.defs`, and the worker imports GX on the other core while this process is still importing
the pipeline and Dagster is still setting up the run. The run then takes the worker
(:func:`take`) when it rebuilds a dataset, or discards it at its end (:func:`discard`; at the process's exit
at the latest), so that a run that rebuilt nothing does not wait for an import it never used.

Only the standard library is imported here. ``PIPELINE_GX_PREWARM=0`` turns it off; it is off with
another executor than the in-process one (each step is a process of its own there) and in any process that
is not the command's own (a worker, the fork server).
"""

from __future__ import annotations

import itertools
import multiprocessing
import multiprocessing.popen_forkserver  # imported here: the starting thread then imports nothing
import os
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

from pipeline.workers import forkserver

# pairs of words on a command line that execute a run in that process
RUN_COMMANDS = (("job", "execute"), ("asset", "materialize"), ("api", "execute_run"), ("-m", "pipeline.defs.launch"))

_EARLY: tuple[ProcessPoolExecutor, threading.Thread] | None = None


def executes_a_run(argv: Sequence[str]) -> bool:
    """Whether the command line ``argv`` (``sys.orig_argv``) executes a run in its own process."""
    pairs = set(itertools.pairwise(argv))
    return any(pair in pairs for pair in RUN_COMMANDS)


def wanted(argv: Sequence[str] | None = None) -> bool:
    """Whether this process should start the GX worker now (see the module's docstring)."""
    if os.environ.get("PIPELINE_GX_PREWARM", "1") == "0":
        return False
    if os.environ.get("PIPELINE_EXECUTOR", "in_process") != "in_process":
        return False
    if multiprocessing.parent_process() is not None or multiprocessing.current_process().daemon:
        return False
    return executes_a_run(sys.orig_argv if argv is None else argv)


def _import_gx() -> None:
    import great_expectations  # noqa: F401  (imported for its side effect: the worker's modules are loaded)


def start_if_wanted() -> None:
    """Start the worker and its GX import if this process executes a run; returns at once."""
    if _EARLY is None and wanted():
        start()


def start() -> None:
    """Start the worker and its GX import; returns at once (a thread waits for the fork server, which first
    imports the parsers)."""
    global _EARLY
    executor = ProcessPoolExecutor(max_workers=1, mp_context=forkserver())
    thread = threading.Thread(target=executor.submit, args=(_import_gx,), name="gx-prewarm", daemon=True)
    thread.start()
    _EARLY = (executor, thread)
    # and at exit, for a run without the GX resource (no teardown): threading's exit calls run last registered
    # first, so this runs before concurrent.futures joins the worker, which would wait for the import
    register = getattr(threading, "_register_atexit", None)
    if register is not None:
        register(discard)


def take() -> ProcessPoolExecutor | None:
    """The worker started early, for the run to use (once), or None if none was started."""
    global _EARLY
    if _EARLY is None:
        return None
    executor, thread = _EARLY
    _EARLY = None
    thread.join()
    return executor


def discard() -> None:
    """End a worker started early that the run did not take: stop its import (the process would otherwise
    wait for it on exit)."""
    executor = take()
    if executor is None:
        return
    for process in list(getattr(executor, "_processes", {}).values()):  # the import may still be running
        process.terminate()
    executor.shutdown(wait=True, cancel_futures=True)
