"""The Dagster floor: a job of as many trivial assets and asset checks as the pipeline's ``materialize_all``
for the same raw folder, each doing nothing, run by ``dagster job execute`` the same way. Its wall time is what
Dagster itself costs for that many steps (start-up, the run, event storage), with no work of ours in it.

The counts come from the environment (``FLOOR_ASSETS``, ``FLOOR_CHECKS``); ``benchmarks/scale.py`` sets them
from the real graph. The assets form a chain of layers like the real graph's (raw -> parsed -> curated ->
release), so steps run one after another as they do there.

    FLOOR_ASSETS=32 FLOOR_CHECKS=53 python -m dagster job execute -f benchmarks/floor_job.py -j floor
"""

from __future__ import annotations

import os

import dagster as dg

ASSETS = int(os.environ.get("FLOOR_ASSETS", "30"))
CHECKS = int(os.environ.get("FLOOR_CHECKS", "50"))
LAYERS = 4


def _asset(index: int) -> dg.AssetsDefinition:
    layer = index * LAYERS // max(ASSETS, 1)
    deps = [f"floor_{i}" for i in range(ASSETS) if i * LAYERS // max(ASSETS, 1) == layer - 1][:3]

    @dg.asset(name=f"floor_{index}", deps=deps)
    def trivial() -> dg.MaterializeResult:
        return dg.MaterializeResult(metadata={"rows": 0})

    return trivial


def _check(index: int) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=f"floor_{index % ASSETS}", name=f"check_{index}")
    def trivial() -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=True)

    return trivial


assets = [_asset(i) for i in range(ASSETS)]
checks = [_check(i) for i in range(CHECKS)]
# the in-process executor, as materialize_all runs by default (pipeline/defs/location.py)
floor = dg.define_asset_job(
    "floor", selection=dg.AssetSelection.all(include_sources=False), executor_def=dg.in_process_executor
)
defs = dg.Definitions(assets=assets, asset_checks=checks, jobs=[floor])
