"""The start method of every worker process (the parse pool's, the GX worker's), in a module that
imports only the standard library, so that :mod:`pipeline.validate.gx_prewarm` can start the GX worker
while the rest of the pipeline is still being imported."""

from __future__ import annotations

import multiprocessing
import multiprocessing.context

# what the fork server imports once, before it forks any worker: the parsers and the cache's plumbing
PRELOAD = ["pipeline.store.cache", "pipeline.parse.tables", "pipeline.clean.documents"]


def forkserver() -> multiprocessing.context.ForkServerContext:
    """A fork server with the parsers imported, whichever pool starts it first.

    Workers are started by a fork server, not by forking this process: a Dagster run has threads, and
    forking a process with threads can deadlock on a lock another thread held."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context
